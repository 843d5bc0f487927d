package notice

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

// Compilation is the half-monthly 梳理汇总 as a document the office files
// or circulates: where the rectification stands, what changed in the
// period, what is still open with why and what next, and who is behind.
// It is the chat compilation's content (render's), in the documents'
// register and layout.
type Compilation struct {
	Unit    string        // the unit's name as given (the title and the signature)
	Digest  ledger.Digest // at the period's end, with Changes set
	Changes ledger.DigestChanges
}

// BuildCompilation pairs a digest with the changes of its period.
func BuildCompilation(unit string, d ledger.Digest, ch ledger.DigestChanges) Compilation {
	d.Changes = nil
	return Compilation{Unit: strings.TrimSpace(unit), Digest: d, Changes: ch}
}

func (c Compilation) header() (string, ledger.Date) { return c.title(), c.asOf() }

func (c Compilation) asOf() ledger.Date {
	if !c.Changes.AsOf.IsZero() {
		return c.Changes.AsOf
	}
	return c.Digest.AsOf
}

func (c Compilation) title() string {
	return c.Unit + "巡察整改工作半月梳理汇总"
}

func (c Compilation) blocks() []block { return punctuate(c.rawBlocks()) }

func (c Compilation) rawBlocks() []block {
	d, ch := c.Digest, c.Changes
	out := []block{
		{kind: kindTitle, text: c.title(), lines: []string{c.Unit, "巡察整改工作半月梳理汇总"}},
		{kind: kindBody, text: fmt.Sprintf("（%s至%s）", ch.Since.Chinese(), c.asOf().Chinese())},
		{kind: kindPart, text: "一、总体进展"},
		{kind: kindBody, text: c.rateSentence()},
		{kind: kindPart, text: "二、本期进展"},
	}
	list := func(n int, head string, items []string) {
		out = append(out, block{kind: kindSection, text: fmt.Sprintf("（%s）%s%d项", chineseNumeral(n), head, len(items))})
		if len(items) == 0 {
			out = append(out, block{kind: kindBody, text: "本期无。"})
		}
		for i, it := range items {
			out = append(out, block{kind: kindBody, text: fmt.Sprintf("%d.%s", i+1, it)})
		}
	}
	var items []string
	for _, t := range ch.NewlyClosed {
		items = append(items, lineName(t)+"已审核销号。")
	}
	list(1, "新销号", items)
	items = nil
	for _, p := range ch.NewProgress {
		s := fmt.Sprintf("%s本期报送进展%d次", lineName(p.TaskLine), p.Reports)
		if latest := oneLine(p.Latest); latest != "" {
			s += "，最新进展：" + strings.TrimRight(latest, closers)
		}
		items = append(items, s+"。")
	}
	list(2, "新报送进展", items)
	items = nil
	for _, m := range ch.DeadlineChanges {
		s := fmt.Sprintf("%s整改时限由%s调整为%s", lineName(m.TaskLine), m.Old.Chinese(), m.New.Chinese())
		if r := oneLine(m.Reason); r != "" {
			s += "，调整原因：" + strings.TrimRight(r, closers)
		}
		items = append(items, s+"。")
	}
	list(3, "调整整改时限", items)
	items = nil
	for _, t := range ch.NewlyOverdue {
		items = append(items, fmt.Sprintf("%s整改时限为%s，已逾期。", lineName(t), t.Deadline.Chinese()))
	}
	list(4, "新增逾期", items)

	out = append(out, block{kind: kindPart, text: "三、未完成事项"})
	if len(ch.Open) == 0 {
		out = append(out, block{kind: kindBody, text: "巡察反馈的问题均已完成整改或按期推进，暂无未完成的定期整改事项。"})
	}
	for i, o := range ch.Open {
		out = append(out, block{kind: kindBody, text: fmt.Sprintf("%d.%s", i+1, openSentence(o, c.asOf()))})
	}
	out = append(out, block{kind: kindPart, text: "四、进展滞后的科室"}, block{kind: kindBody, text: laggingSentence(d)})
	return append(out, block{kind: kindSignature, text: c.Unit}, block{kind: kindDate, text: c.asOf().Chinese()})
}

// rateSentence is the overall figure against the period's start.
func (c Compilation) rateSentence() string {
	d, ch := c.Digest, c.Changes
	if d.Total == 0 {
		return "台账中暂无整改事项。"
	}
	done := d.Done()
	pct := func(n int) float64 { return float64(n) / float64(d.Total) }
	s := fmt.Sprintf("截至%s，巡察反馈问题共%d项，已完成整改%d项，正在整改%d项，完成率%s%%",
		c.asOf().Chinese(), d.Total, done, d.Total-done, render.Percent(pct(done), done < d.Total))
	switch diff := pct(done) - pct(ch.DoneAtSince); {
	case done == ch.DoneAtSince:
		s += "，与上期（" + ch.Since.Chinese() + "）持平"
	case diff > 0:
		s += fmt.Sprintf("，较上期（%s）提高%s个百分点", ch.Since.Chinese(), render.Percent(diff, false))
	default:
		s += fmt.Sprintf("，较上期（%s）下降%s个百分点", ch.Since.Chinese(), render.Percent(-diff, false))
	}
	if d.Overdue > 0 {
		s += fmt.Sprintf("；逾期未完成%d项", d.Overdue)
	}
	return s + "。"
}

// openSentence is an unfinished task: deadline, progress, why, next.
func openSentence(o ledger.OpenLine, asOf ledger.Date) string {
	s := lineName(o.TaskLine) + "整改时限为" + o.Deadline.Chinese()
	if !o.Deadline.IsZero() && o.Deadline.Before(asOf) {
		s += "，已逾期"
	}
	parts := []string{s}
	latest := o.Latest
	if o.LatestImported {
		// The ledger's whole account: where the work stands is its last item.
		latest = latestDone(models.ProgressEntry{Text: latest, Source: models.SourceImport})
	}
	if l := oneLine(latest); l != "" {
		parts = append(parts, "目前进展："+strings.TrimRight(l, closers))
	} else {
		parts = append(parts, "尚未报送进展")
	}
	if r := oneLine(o.Reason); r != "" {
		parts = append(parts, "未完成原因："+strings.TrimRight(r, closers))
	}
	if n := dropEnumerator(oneLine(o.NextStep)); n != "" {
		parts = append(parts, "下一步："+strings.TrimRight(n, closers))
	}
	return strings.Join(parts, "；") + "。"
}

// laggingSentence names the departments with overdue tasks, most first.
func laggingSentence(d ledger.Digest) string {
	var names []string
	for _, ds := range d.Lagging() {
		names = append(names, fmt.Sprintf("%s（逾期%d项）", ds.Name, ds.ByLight[ledger.LightRed]))
	}
	if len(names) == 0 {
		return "本期无逾期事项，暂无进展滞后的科室。"
	}
	return "进展滞后的科室：" + strings.Join(names, "、") + "。请相关科室加快推进，按期完成整改。"
}

// lineName names a task of a list with who is responsible:
// “机关干部管理工作不够严格”问题（政治部，刘洋）.
func lineName(t ledger.TaskLine) string {
	s := "“" + headline(t.Title) + "”问题"
	var who []string
	for _, w := range []string{t.Department, t.Officer} {
		if w = strings.TrimSpace(w); w != "" {
			who = append(who, w)
		}
	}
	if len(who) > 0 {
		s += "（" + strings.Join(who, "，") + "）"
	}
	return s
}

// oneLine is a ledger text on one line: its line breaks (the ledger puts
// one before every 一是) go, and a space stays only between Latin words.
func oneLine(s string) string {
	var b strings.Builder
	for i, f := range strings.Fields(s) {
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(f)
			if last < utf8.RuneSelf && first < utf8.RuneSelf {
				b.WriteByte(' ')
			}
		}
		b.WriteString(f)
	}
	return b.String()
}
