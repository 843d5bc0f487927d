package notice

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// name is how a list names a task: by its title in quotes, as a reader
// finds it in the body — “共建共治共享社会治理配套文件出台较慢”问题 — and a
// 立行立改 item with the code its heading carries: “部分专项资金使用存在廉政
// 风险”问题（立行立改四）. Never the internal code of a sub-problem (6(2)).
// The 问题 after the quotes lets a list take 、 between its names (GB/T
// 15834 4.5.3.5: no 顿号 between bare quotations).
func (t TaskRef) name() string {
	n := "“" + headline(t.Title) + "”问题"
	if code := ledger.ProblemNumber(t.Code); t.Immediate && !isNumber(code) {
		n += "（" + code + "）"
	}
	return n
}

// heading is the task as 三、下一步工作计划 heads it: 关于“…”的问题, or for a
// 立行立改 item 关于…的问题（立行立改四）, as the body's problem headings read.
func (t TaskRef) heading() string {
	return Problem{Code: ledger.ProblemNumber(t.Code), Title: headline(t.Title)}.heading(t.Immediate)
}

// latestDone is what an unfinished task has done, from its latest progress
// entry. An imported 整改情况 is the ledger's whole account, written at
// once, and the body prints it in full already; its last item is where the
// work stands (6(2): 「计划…目前已出台35份，尚有2份未出台：一是…；二是…」),
// so that item is taken, without its 一是/二是. An item is the lines up to
// one that ends a sentence: the ledger breaks lines before every 一是, also
// inside a sentence. A report made through the bot is taken whole.
func latestDone(e models.ProgressEntry) string {
	ls := lines(e.Text)
	if len(ls) == 0 {
		return ""
	}
	if e.Source != models.SourceImport {
		return paragraph(ls)
	}
	start := len(ls) - 1
	for start > 0 && !endsFullSentence(ls[start-1]) {
		start--
	}
	return dropEnumerator(paragraph(ls[start:]))
}

// endsFullSentence reports whether a line ends a sentence (。！？), not a
// clause (：；，) that the next line goes on with.
func endsFullSentence(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	return strings.ContainsRune("。.!！?？", r)
}

// nextSteps are the measures not yet ticked as done, each without its
// 一是/二是 (nextText numbers them again).
func nextSteps(measures []string, done []bool) []string {
	var out []string
	for i, m := range measures {
		if i < len(done) && done[i] {
			continue
		}
		if l := paragraph(lines(m)); l != "" {
			out = append(out, dropEnumerator(l))
		}
	}
	return out
}

// enumerators are the first characters of 一是, 二是 … 十是.
const enumerators = "一二三四五六七八九十"

// dropEnumerator removes a leading 一是/二是…/十二是 from a line.
func dropEnumerator(l string) string {
	rest := strings.TrimLeft(l, enumerators)
	if rest != l && strings.HasPrefix(rest, "是") {
		if out := strings.TrimSpace(strings.TrimPrefix(rest, "是")); out != "" {
			return out
		}
	}
	return l
}

// text is an item of 三、下一步工作计划: the task by its title, what is done,
// why it is not done yet (the reason given for moving its deadline), the
// next step and the deadline — the approved new one when it moved:
//
//	1.关于“…”的问题。目前进展：…。尚未完成的原因：…。下一步：一是…；二是…。
//	原定整改时限为2021年12月31日，经批准调整为2022年6月30日。
func (u Unfinished) text(n int) string {
	var b strings.Builder
	b.WriteString(itoa(n) + "." + u.heading() + "。")
	if u.Latest != "" {
		b.WriteString("目前进展：" + sentence(u.Latest))
	}
	if u.Status == ledger.StatusPendingVerification {
		b.WriteString("已基本完成整改，正在审核销号。")
	}
	if u.Change != nil {
		if reason := strings.TrimSpace(u.Change.Reason); reason != "" {
			b.WriteString("尚未完成的原因：" + sentence(reason))
		}
	}
	b.WriteString("下一步：" + u.nextText())
	b.WriteString(u.deadlineText())
	return b.String()
}

// nextText is the next step: the measures left, numbered 一是、二是… again
// when there are several, or words for a task whose measures are all done.
func (u Unfinished) nextText() string {
	switch {
	case len(u.Next) == 1:
		return sentence(u.Next[0])
	case len(u.Next) > 1:
		// Each step keeps the mark it ends in (一是…；二是…。); one with
		// none gets a ；, and the last ends the sentence.
		var b strings.Builder
		for i, s := range u.Next {
			b.WriteString(chineseNumeral(i+1) + "是")
			switch {
			case i == len(u.Next)-1:
				b.WriteString(sentence(s))
			case endsSentence(s):
				b.WriteString(s)
			default:
				b.WriteString(s + "；")
			}
		}
		return b.String()
	case u.Status == ledger.StatusPendingVerification:
		return "抓紧完成审核销号。"
	default:
		return "紧盯整改目标，巩固已有措施，确保按期整改到位。"
	}
}

// deadlineText is the task's deadline: long-term and how it goes on, the
// original and the approved new one, or the date; and whether it passed.
func (u Unfinished) deadlineText() string {
	var b strings.Builder
	switch {
	case u.Deadline.LongTerm:
		b.WriteString("该问题需长期坚持")
		if rec := u.Deadline.Recurrence.Chinese(); rec != "" {
			b.WriteString("，" + rec + "跟踪推进")
		} else {
			b.WriteString("，持续推进")
		}
	case u.Change != nil:
		if !u.Change.Original.IsZero() {
			b.WriteString("原定整改时限为" + u.Change.Original.Chinese() + "，")
		}
		b.WriteString("经批准调整为" + u.Deadline.Date.Chinese())
	case u.Deadline.Date.IsZero():
		b.WriteString("尚未确定整改时限")
	default:
		b.WriteString("整改时限为" + u.Deadline.Date.Chinese())
	}
	if u.Overdue {
		b.WriteString("，已超过整改时限")
	}
	b.WriteString("。")
	return b.String()
}

// overdueSentence names the tasks past their deadline after the counts:
// 其中，已超过整改时限尚未完成的问题1个：“…”（立行立改四）。
func (r Report) overdueSentence() string {
	if len(r.Overdue) == 0 {
		return ""
	}
	names := make([]string, len(r.Overdue))
	for i, t := range r.Overdue {
		names[i] = t.name()
	}
	return fmt.Sprintf(overdueFormat, len(r.Overdue), strings.Join(names, "、"))
}

// sentence ends s as a sentence: its own closing mark, or 。 for one
// without (a 、, ；, ， or ： becomes 。).
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, size := utf8.DecodeLastRuneInString(s)
	switch {
	case strings.ContainsRune("。！？!?…”’）)", r):
		return s
	case strings.ContainsRune("，,；;：:、.", r):
		return s[:len(s)-size] + "。"
	}
	return s + "。"
}
