package notice

import (
	"fmt"

	"github.com/rectibot/rectibot/zhtypo"
)

// kind is the role of a paragraph; each layout styles it its own way.
type kind int

const (
	kindTitle     kind = iota
	kindBody           // 仿宋, first line indented two characters
	kindSection        // (一) level: 黑体
	kindProblem        // 1. level: 楷体
	kindSignature      // the unit, right-aligned
	kindDate           // the date, right-aligned
)

// block is one paragraph. label, when set, starts the paragraph
// (整改措施:, 整改情况:); Markdown sets it in bold.
type block struct {
	kind  kind
	label string
	text  string
}

// blocks is the report as a sequence of paragraphs, so that Markdown and
// DOCX carry exactly the same words, in standard Chinese punctuation
// (zhtypo): the ledger keeps what was entered, the document normalises.
func (r Report) blocks() []block {
	out := r.rawBlocks()
	for i := range out {
		out[i].label, out[i].text = zhtypo.Punctuate(out[i].label), zhtypo.Punctuate(out[i].text)
	}
	return out
}

func (r Report) rawBlocks() []block {
	out := []block{{kind: kindTitle, text: r.Title}}
	open := ""
	for _, s := range r.Opening {
		open += s
	}
	out = append(out, block{kind: kindBody, text: open})
	counts := r.CountsSentence()
	if len(r.Overdue) > 0 {
		names := ""
		for i, t := range r.Overdue {
			if i > 0 {
				names += "、"
			}
			names += t.label()
		}
		counts += fmt.Sprintf(overdueFormat, len(r.Overdue), names)
	}
	out = append(out, block{kind: kindBody, text: counts})
	for _, s := range r.Sections {
		out = append(out, block{kind: kindSection, text: s.Heading()})
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
	out = append(out, r.closing()...)
	if r.Signature != "" {
		out = append(out, block{kind: kindSignature, text: r.Signature})
	}
	return append(out, block{kind: kindDate, text: ChineseDate(r.AsOf)})
}

// closing lists the tasks still open with their deadlines, or says that
// every problem is rectified, and what comes next.
func (r Report) closing() []block {
	if len(r.Unfinished) == 0 {
		return []block{{kind: kindBody, text: "巡察反馈的问题已全部完成整改。下一步，将适时对已完成整改的问题开展“回头看”，巩固整改成效，建立健全长效机制。"}}
	}
	out := []block{
		{kind: kindSection, text: openHeading},
		{kind: kindBody, text: fmt.Sprintf("截至%s，尚有%d个问题正在整改：", ChineseDate(r.AsOf), len(r.Unfinished))},
	}
	for i, u := range r.Unfinished {
		out = append(out, block{kind: kindBody, text: u.text(i + 1)})
	}
	return append(out, block{kind: kindBody, text: "下一步，将继续压实整改责任，对正在整改的问题紧盯不放、跟踪督办，确保按期整改到位；对已完成整改的问题适时开展“回头看”，巩固整改成效。"})
}
