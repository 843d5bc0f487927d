package notice

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// The report's own words. Like the Dongguan report they use the half-width
// , : ; ( ) and the full-width 。、“” — so the counts sentence reads exactly
// as the seed's "目前,已完成问题整改22个;正在整改的问题3个".
const (
	countsFormat  = "目前，已完成问题整改%d个；正在整改的问题%d个。"
	overdueFormat = "其中，已超过整改时限尚未完成的问题%d个：%s。"
	measuresLabel = "整改措施："
	progressLabel = "整改情况："
	openHeading   = "尚未完成整改的问题"
)

// CountsSentence is "目前,已完成问题整改N个;正在整改的问题M个。".
func (r Report) CountsSentence() string { return fmt.Sprintf(countsFormat, r.Done, r.Open) }

// title is 中共<unit>关于<inspection>整改阶段性进展情况的通报.
func title(plan models.Plan, inspection string) string {
	inspection = strings.TrimSpace(inspection)
	if inspection == "" {
		inspection = strings.TrimSuffix(strings.TrimSpace(plan.Title), "整改")
	}
	unit := strings.TrimSpace(plan.Unit)
	if unit != "" && !strings.HasPrefix(unit, "中共") {
		unit = "中共" + unit
	}
	return unit + "关于" + inspection + "整改阶段性进展情况的通报"
}

// opening is the first paragraph: who inspected, when the feedback came,
// and that the unit took it seriously.
func opening(plan models.Plan) []string {
	team := strings.TrimSpace(plan.Team)
	if team == "" {
		team = "巡察组"
	}
	unit := strings.TrimSpace(plan.Unit)
	if unit == "" {
		unit = "被巡察单位"
	}
	feedback := "并反馈了巡察意见。"
	if !plan.FeedbackDate.IsZero() {
		feedback = "并于" + ChineseDate(plan.FeedbackDate.Date) + "反馈了巡察意见。"
	}
	return []string{
		"根据巡察工作统一部署，" + team + "对" + unit + "开展了巡察，" + feedback,
		unit + "高度重视，坚持把巡察整改作为重要政治任务，对照反馈问题逐项制定整改措施、压实整改责任，扎实推进整改落实。",
		"现将整改阶段性进展情况通报如下：",
	}
}

// ChineseDate writes a day as 2021年9月14日.
func ChineseDate(d ledger.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// Heading is the section's heading: (一)在…方面, or (五)立行立改问题.
func (s Section) Heading() string {
	name := strings.TrimSpace(s.Category)
	switch {
	case s.Immediate && name == "立行立改":
		name = "立行立改问题"
	case s.Immediate, strings.HasPrefix(name, "在") && strings.HasSuffix(name, "方面"):
	default:
		name = "在" + name + "方面"
	}
	return s.Number + name
}

// heading is 1.关于“理论学习不够深入”的问题; a 立行立改 title is not quoted
// (it may carry quotes of its own, as “惩腐打伞”工作成效不明显 does).
func (p Problem) heading(immediate bool) string {
	t := strings.TrimSpace(p.Title)
	switch {
	case strings.HasPrefix(t, "关于"):
	case strings.HasSuffix(t, "问题"):
		t = "关于" + t
	case immediate:
		t = "关于" + t + "的问题"
	default:
		t = "关于“" + t + "”的问题"
	}
	return p.Number + t
}

// progressText is the 整改情况 paragraph, or words for a task that has
// none yet. Tasks not started are counted among 正在整改 in the counts
// sentence, so they read the same here.
func (it Item) progressText() string {
	if len(it.Progress) > 0 {
		return paragraph(it.Progress)
	}
	switch {
	case it.Status == ledger.StatusClosed:
		return "已完成整改。"
	case it.StageDone:
		return "已完成阶段性整改目标，将长期坚持。"
	case it.Status == ledger.StatusPendingVerification:
		return "已基本完成整改，正在审核销号。"
	case it.Deadline.LongTerm || it.Status == ledger.StatusOngoing:
		return "该问题需长期坚持，正在持续推进。"
	default:
		return "正在推进整改。"
	}
}

// label names a task in a sentence: 问题6(2)“…”, 立行立改四“…”.
func (t TaskRef) label() string {
	code := t.Code
	if code != "" && code[0] < utf8.RuneSelf {
		code = "问题" + code
	}
	return code + "“" + headline(t.Title) + "”"
}

// text is an item of the closing list: the task, where it stands and its
// deadline, with the reason when the deadline was moved.
func (u Unfinished) text(n int) string {
	var b strings.Builder
	b.WriteString(itoa(n) + "." + u.label() + ":")
	if u.Status == ledger.StatusPendingVerification {
		b.WriteString("已基本完成整改，正在审核销号；")
	}
	switch {
	case u.Deadline.LongTerm:
		b.WriteString("该问题需长期坚持")
		if rec := u.Deadline.Recurrence.Chinese(); rec != "" {
			b.WriteString("," + rec + "跟踪推进")
		} else {
			b.WriteString("，持续推进")
		}
	case u.Change != nil:
		if !u.Change.Original.IsZero() {
			b.WriteString("原定整改时限为" + ChineseDate(u.Change.Original) + ",")
		}
		b.WriteString("现调整为" + ChineseDate(u.Deadline.Date))
		if reason := strings.TrimRight(strings.TrimSpace(u.Change.Reason), closers); reason != "" {
			b.WriteString("，调整原因：" + reason)
		}
	case u.Deadline.Date.IsZero():
		b.WriteString("尚未确定整改时限")
	default:
		b.WriteString("整改时限为" + ChineseDate(u.Deadline.Date))
	}
	if u.Overdue {
		b.WriteString("，已超过整改时限")
	}
	b.WriteString("。")
	return b.String()
}

// paragraph joins lines into one paragraph, as the seed prints its 一是,
// 二是… items. Every line of the Dongguan ledger ends in punctuation, so
// joining gives the source text back; a line without (two progress reports
// typed in the bot) gets a 。 so that two sentences do not run together.
func paragraph(ls []string) string {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 && !endsSentence(ls[i-1]) {
			b.WriteString("。")
		}
		b.WriteString(l)
	}
	return b.String()
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。.;\uFF1B:\uFF1A,\uFF0C、!\uFF01?\uFF1F…”’)\uFF09", r)
}

// headline drops the closing punctuation of a sentence used as a name.
func headline(s string) string { return strings.TrimRight(strings.TrimSpace(s), closers) }

// closers is the punctuation that may end a sentence used as a name.
const closers = "。.;\uFF1B,\uFF0C"

var digits = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumeral writes 1–99 as 一…九十九, the numbering of (一)(二)….
func chineseNumeral(n int) string {
	if n < 1 || n > 99 {
		return itoa(n)
	}
	tens, ones := n/10, n%10
	switch {
	case tens == 0:
		return digits[ones]
	case tens == 1:
		return "十" + digits[ones]
	default:
		return digits[tens] + "十" + digits[ones]
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
