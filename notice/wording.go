package notice

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// The report's own words, in standard Chinese punctuation (GB/T 15834;
// TestTheReportIsInStandardPunctuation): the counts sentence reads as the
// seed's 「目前，已完成问题整改22个；正在整改的问题3个。」.
const (
	countsFormat  = "目前，已完成问题整改%d个；正在整改的问题%d个。"
	overdueFormat = "其中，已超过整改时限尚未完成的问题%d个：%s。"
	measuresLabel = "整改措施："
	progressLabel = "整改情况："

	partWork = "一、整改工作开展情况"
	partDone = "二、整改落实情况"
	partNext = "三、下一步工作计划"

	// The defaults of 组织领导 (<self>, the number of problems) and 督促检查,
	// for a plan whose office wrote none (rectibot plans set
	// --organisation/--supervision). They say only what the ledger shows:
	// measures, responsibilities and deadlines per problem, the half-monthly
	// compilation, reminders before and after the deadlines, and closure
	// after verification.
	organisationFormat = "%s高度重视巡察整改工作，坚持把巡察整改作为重要政治任务，对照巡察反馈的%d个问题逐项制定整改措施，" +
		"明确责任领导、责任部门、责任人和整改时限，建立整改台账，压实整改责任。"
	supervisionDefault = "坚持把督促检查贯穿整改全过程，对整改台账实行动态管理，每半月梳理汇总一次整改进展情况，" +
		"对临近整改时限和超过整改时限的问题及时提醒督办，做到整改一项、销号一项。"
	resultsPrefix        = "通过整改，共"
	immediateIntroFormat = "对巡察期间指出的%d个立行立改问题，%s坚持即知即改、立行立改，整改情况如下："
	unfinishedIntro      = "截至%s，尚有%d个问题正在整改，具体情况和下一步工作计划如下："
	unfinishedClosing    = "同时，%s将继续压实整改责任，对正在整改的问题紧盯不放、跟踪督办，确保按期整改到位；" +
		"对已完成整改的问题适时开展“回头看”，巩固整改成效，建立健全长效机制。"
	allDoneFormat   = "巡察反馈的问题已全部完成整改。下一步，%s将适时对已完成整改的问题开展“回头看”，巩固整改成效，建立健全长效机制。"
	superviseFormat = "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向%s反映。"
)

// resultWords phrases each result kind: 新建、修订制度19项.
var resultWords = map[models.ResultKind]string{
	models.ResultRules:          "新建、修订制度%s项",
	models.ResultFunds:          "追回资金%s万元",
	models.ResultAccountability: "问责%s人",
	models.ResultClues:          "移交问题线索%s件",
}

// CountsSentence is "目前，已完成问题整改N个；正在整改的问题M个。".
func (r Report) CountsSentence() string { return fmt.Sprintf(countsFormat, r.Done, r.Open) }

// ResultsSentence is 「通过整改，共新建、修订制度19项，追回资金1.44万元。」,
// or "" when the plan has no result figures (or they sum to nothing).
func (r Report) ResultsSentence() string {
	var parts []string
	for _, t := range r.Results {
		if f, ok := resultWords[t.Kind]; ok && t.Amount > 0 {
			parts = append(parts, fmt.Sprintf(f, t.Amount))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return resultsPrefix + strings.Join(parts, "，") + "。"
}

// inspectionName is <inspection> of the title: as given, else the plan's
// title without its trailing 整改.
func inspectionName(plan models.Plan, inspection string) string {
	if inspection = strings.TrimSpace(inspection); inspection != "" {
		return inspection
	}
	return strings.TrimSuffix(strings.TrimSpace(plan.Title), "整改")
}

// selfName is how the later sentences name the unit: its self-name (我委),
// else its short name, else its name.
func selfName(u models.Unit, name string) string {
	for _, n := range []string{u.SelfName, u.ShortName, name} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return "被巡察单位"
}

// opening is the first paragraph: who inspected when, the short name the
// report goes on with, when the feedback came.
func opening(plan models.Plan, unit, short string) []string {
	team := strings.TrimSpace(plan.Team)
	if team == "" {
		team = "巡察组"
	}
	if unit == "" {
		unit = "被巡察单位"
	}
	var b strings.Builder
	b.WriteString("根据" + commissioner(team) + "巡察工作统一部署，" + team)
	if !plan.InspectedFrom.IsZero() && !plan.InspectedTo.IsZero() {
		b.WriteString("于" + plan.InspectedFrom.Date.Chinese() + "至" + plan.InspectedTo.Date.Chinese())
	}
	b.WriteString("对" + unit)
	if short != "" && short != unit {
		b.WriteString("（以下简称“" + short + "”）")
	}
	b.WriteString("开展了巡察，")
	if plan.FeedbackDate.IsZero() {
		b.WriteString("并反馈了巡察意见。")
	} else {
		b.WriteString("并于" + plan.FeedbackDate.Date.Chinese() + "反馈了巡察意见。")
	}
	return []string{b.String(), "现将整改阶段性进展情况通报如下："}
}

// commissioner is the party committee whose round the team belongs to:
// 市委 of 市委第六巡察组, so that the report reads 根据市委巡察工作统一部署;
// "" when the team's name does not say.
func commissioner(team string) string {
	before, _, ok := strings.Cut(team, "第")
	if ok && strings.HasSuffix(before, "委") {
		return before
	}
	return ""
}

// paragraphsOr is the office's text as paragraphs (one a line), or def.
func paragraphsOr(text, def string) []string {
	if ps := lines(text); len(ps) > 0 {
		return ps
	}
	return []string{def}
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
// (it may carry quotes of its own, as “惩腐打伞”工作成效不明显 does) and is
// followed by the ledger's code, (立行立改四), which lists name it by.
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
	if immediate && !isNumber(p.Code) {
		t += "（" + p.Code + "）"
	}
	return p.Number + t
}

// isNumber reports whether a problem code is a plain number (6), which the
// body's numbering already shows.
func isNumber(code string) bool {
	_, err := strconv.Atoi(code)
	return err == nil
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
