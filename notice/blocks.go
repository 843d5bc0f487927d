package notice

import (
	"fmt"
	"strings"

	"github.com/rectibot/rectibot/zhtypo"
)

// kind is the role of a paragraph; each layout styles it its own way. The
// heading levels are those of GB/T 9704: 一、 in 黑体, （一） in 楷体, 1. in
// 仿宋 as the body (not bold).
type kind int

const (
	kindTitle     kind = iota
	kindBody           // 仿宋, first line indented two characters
	kindPart           // 一、 level: 黑体
	kindSection        // （一） level: 楷体
	kindProblem        // 1. level: 仿宋
	kindSignature      // the unit, right-aligned
	kindDate           // the date, right-aligned under the unit
	kindAddressee      // 主送: the addressee flush left (市委第六巡察组：)
	kindPrincipal      // 第一责任人：…（签字）, right-aligned under the date
	kindTable          // a table (docx_table.go): block.table
)

// block is one paragraph. label, when set, starts the paragraph
// (整改措施：, 整改情况：); Markdown sets it in bold. lines, on the title,
// are where the DOCX breaks it (text is the whole title). A kindTable
// block is a table instead.
type block struct {
	kind  kind
	label string
	text  string
	lines []string
	table *table
}

// blocks is the report as a sequence of paragraphs, so that Markdown and
// DOCX carry exactly the same words, in standard Chinese punctuation
// (zhtypo): the ledger keeps what was entered, the document normalises.
func (r Report) blocks() []block { return punctuate(r.rawBlocks()) }

// punctuate puts a document's blocks, table cells included, in standard
// Chinese punctuation.
func punctuate(out []block) []block {
	for i := range out {
		out[i].label, out[i].text = zhtypo.Punctuate(out[i].label), zhtypo.Punctuate(out[i].text)
		for j := range out[i].lines {
			out[i].lines[j] = zhtypo.Punctuate(out[i].lines[j])
		}
		if t := out[i].table; t != nil {
			out[i].table = t.punctuated()
		}
	}
	return out
}

func (r Report) rawBlocks() []block {
	out := []block{
		{kind: kindTitle, text: r.Title, lines: append([]string(nil), r.TitleLines...)},
		{kind: kindBody, text: strings.Join(r.Opening, "")},
		{kind: kindPart, text: partWork},
	}
	out = append(out, r.workBlocks()...)
	out = append(out, block{kind: kindPart, text: partDone})
	out = append(out, r.sectionBlocks()...)
	out = append(out, r.nextPart()...)
	out = append(out, block{kind: kindBody, text: r.superviseText()})
	if r.Signature != "" {
		out = append(out, block{kind: kindSignature, text: r.Signature})
	}
	return append(out, block{kind: kindDate, text: r.AsOf.Chinese()})
}

// workBlocks is the body of 一、整改工作开展情况: 组织领导, 督促检查, then the
// counts, the overdue tasks and the result figures.
func (r Report) workBlocks() []block {
	var out []block
	for _, p := range r.Organisation {
		out = append(out, block{kind: kindBody, text: p})
	}
	for _, p := range r.Supervision {
		out = append(out, block{kind: kindBody, text: p})
	}
	return append(out, block{kind: kindBody, text: r.CountsSentence() + r.overdueSentence() + r.ResultsSentence()})
}

// sectionBlocks is the body of 二、: each category, its problems, and each
// task's problem, measures and progress.
func (r Report) sectionBlocks() []block {
	var out []block
	for _, s := range r.Sections {
		out = append(out, block{kind: kindSection, text: s.Heading()})
		if s.Immediate {
			out = append(out, block{kind: kindBody, text: fmt.Sprintf(immediateIntroFormat, len(s.Problems), r.Self)})
		}
		for _, p := range s.Problems {
			out = append(out, block{kind: kindProblem, text: p.heading(s.Immediate)})
			for _, it := range p.Items {
				if it.Number != "" || it.Detail != "" {
					out = append(out, block{kind: kindBody, text: it.Number + paragraph(lines(it.Detail))})
				}
				if len(it.Measures) > 0 {
					out = append(out, block{kind: kindBody, label: measuresLabel, text: it.measuresText()})
				}
				out = append(out, block{kind: kindBody, label: progressLabel, text: it.progressText()})
			}
		}
	}
	return out
}

// nextPart is 三、下一步工作计划: each task still open with what is done, why
// not yet, the next step and its deadline; or, every problem rectified,
// what comes next.
func (r Report) nextPart() []block {
	return append([]block{{kind: kindPart, text: partNext}}, r.nextBlocks()...)
}

// nextBlocks is the body of nextPart, which the 整改报告's 四、下一步打算
// shares.
func (r Report) nextBlocks() []block {
	if len(r.Unfinished) == 0 {
		return []block{{kind: kindBody, text: fmt.Sprintf(allDoneFormat, r.Self)}}
	}
	out := []block{{kind: kindBody, text: fmt.Sprintf(unfinishedIntro, r.AsOf.Chinese(), len(r.Unfinished))}}
	for i, u := range r.Unfinished {
		out = append(out, block{kind: kindBody, text: u.text(i + 1)})
	}
	return append(out, block{kind: kindBody, text: fmt.Sprintf(unfinishedClosing, r.Self)})
}

// superviseText is the closing paragraph: 监督 invited, with the plan's
// contact when it gives one.
func (r Report) superviseText() string {
	text := fmt.Sprintf(superviseFormat, r.Self)
	if r.Contact != "" {
		text += sentence(strings.Join(lines(r.Contact), "；"))
	}
	return text
}
