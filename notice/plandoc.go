package notice

import (
	"fmt"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// PlanDoc is the 整改方案 with its 三个清单: the plan the office drew up at
// the start, from the same ledger — the title <unit>关于<inspection>反馈意见
// 的整改方案, an opening, the aim in a sentence, and three tables of one
// row per task: 问题清单 (what the team found), 任务清单 (the measures and
// deadlines), 责任清单 (who answers for each). A deadline is the one the
// plan set: an approved change is the 通报's and the 整改报告's news, not
// the plan's.
type PlanDoc struct {
	Title      string
	TitleLines []string
	Opening    string
	Aim        string // 一、整改目标
	Rows       []PlanRow
	Signature  string // the unit
	AsOf       ledger.Date
}

// PlanRow is a task as the three lists show it.
type PlanRow struct {
	Category                    string   // 问题类别
	Problem                     string   // 问题: the problem's title
	Detail                      string   // 具体问题: the sub-problem, or the facts of a 立行立改 item; "" for none
	Task                        string   // the task by its title, as the 任务清单 and 责任清单 name it
	Measures                    []string // 整改措施, one a line
	Deadline                    string   // 整改时限 as printed: 2021年12月31日, 长期坚持, "" for none
	Leader, Department, Officer string
}

// The 整改方案's own words: the aim says what the three lists do, nothing
// the ledger does not bear out.
const (
	planTitleTail  = "的整改方案"
	planFeedback   = "反馈意见"
	planOpeningEnd = "为抓好巡察反馈问题的整改落实，结合实际，制定本方案。"
	planPartAim    = "一、整改目标"
	planAimFormat  = "%s对照巡察反馈的%d个问题，逐项明确整改措施、整改时限、责任领导、责任科室和责任人，形成问题清单、任务清单、责任清单，" +
		"实行台账管理、对账销号，确保按期整改到位。"
	planPartLists  = "二、整改清单"
	planListsIntro = "巡察反馈问题及其整改任务、整改时限和责任分工如下："
	planProblems   = "（一）问题清单"
	planTasks      = "（二）任务清单"
	planDuties     = "（三）责任清单"
	planLongTerm   = "长期坚持"
)

// BuildPlanDoc writes the 整改方案 of plan as of asOf (its date) from the
// ledger rows in 序号 order.
func BuildPlanDoc(plan models.Plan, rows []models.LedgerRow, extra Extra, asOf ledger.Date) PlanDoc {
	base := Build(plan, nil, extra, asOf)
	inspection := inspectionName(plan, extra.Inspection)
	if !strings.HasSuffix(inspection, planFeedback) {
		inspection += planFeedback
	}
	d := PlanDoc{Signature: base.Signature, AsOf: asOf, Opening: base.Opening[0] + planOpeningEnd,
		Aim: fmt.Sprintf(planAimFormat, base.Self, len(rows))}
	d.Title, d.TitleLines = titleWith(base.Signature, inspection, planTitleTail)
	for _, row := range rows {
		measures, _ := measureLines(row.Measures, nil)
		d.Rows = append(d.Rows, PlanRow{
			Category: strings.TrimSpace(row.Category), Problem: headline(row.ProblemTitle),
			Task: requote(headline(ledger.TaskTitle(row.ProblemCode, row.ProblemTitle, row.Detail))), Measures: measures,
			Deadline: plannedDeadline(row), Leader: strings.TrimSpace(row.Leader),
			Department: strings.TrimSpace(row.Department), Officer: strings.TrimSpace(row.Officer),
			Detail: strings.TrimSpace(row.Detail),
		})
	}
	return d
}

// plannedDeadline is the deadline the plan set: before the first approved
// change, if any.
func plannedDeadline(row models.LedgerRow) string {
	if row.Deadline.LongTerm {
		return planLongTerm
	}
	day := row.Deadline.Date
	if len(row.DeadlineMoves) > 0 && !row.DeadlineMoves[0].From.IsZero() {
		day = row.DeadlineMoves[0].From
	}
	if day.IsZero() {
		return ""
	}
	return day.Chinese()
}

// requote makes the quotes of a title standing alone the outer ones: a
// sub-problem “执行‘三重一大’制度有偏差” loses its “” as a title, and its
// ‘’ are then quotes at the top level, which GB/T 15834 writes “”.
func requote(s string) string {
	if strings.ContainsAny(s, "“”") {
		return s
	}
	return strings.NewReplacer("‘", "“", "’", "”").Replace(s)
}

func (d PlanDoc) header() (string, ledger.Date) { return d.Title, d.AsOf }

func (d PlanDoc) blocks() []block { return punctuate(d.rawBlocks()) }

func (d PlanDoc) rawBlocks() []block {
	out := []block{
		{kind: kindTitle, text: d.Title, lines: append([]string(nil), d.TitleLines...)},
		{kind: kindBody, text: d.Opening},
		{kind: kindPart, text: planPartAim},
		{kind: kindBody, text: d.Aim},
		{kind: kindPart, text: planPartLists},
		{kind: kindBody, text: planListsIntro},
		{kind: kindSection, text: planProblems}, {kind: kindTable, table: d.problemList()},
		{kind: kindSection, text: planTasks}, {kind: kindTable, table: d.taskList()},
		{kind: kindSection, text: planDuties}, {kind: kindTable, table: d.dutyList()},
	}
	if d.Signature != "" {
		out = append(out, block{kind: kindSignature, text: d.Signature})
	}
	return append(out, block{kind: kindDate, text: d.AsOf.Chinese()})
}

// The three lists' columns and their relative widths (in about
// hundredths of the type area: 序号 takes its two characters).
var (
	problemListHeader = []string{"序号", "问题类别", "问题", "具体问题"}
	taskListHeader    = []string{"序号", "问题", "整改措施", "整改时限"}
	dutyListHeader    = []string{"序号", "问题", "责任领导", "责任科室", "责任人"}
	problemListWidths = []int{9, 22, 22, 35}
	taskListWidths    = []int{9, 20, 33, 26}
	dutyListWidths    = []int{9, 27, 20, 20, 12}
)

// problemList is the 问题清单: 序号, 问题类别, 问题, 具体问题.
func (d PlanDoc) problemList() *table {
	return d.list(problemListHeader, problemListWidths, func(r PlanRow) [][]string {
		return [][]string{cellLines(r.Category), cellLines(r.Problem), cellLines(r.Detail)}
	})
}

// taskList is the 任务清单: 序号, 问题, 整改措施, 整改时限.
func (d PlanDoc) taskList() *table {
	return d.list(taskListHeader, taskListWidths, func(r PlanRow) [][]string {
		return [][]string{cellLines(r.Task), r.Measures, cellLines(r.Deadline)}
	})
}

// dutyList is the 责任清单: 序号, 问题, 责任领导, 责任科室, 责任人.
func (d PlanDoc) dutyList() *table {
	return d.list(dutyListHeader, dutyListWidths, func(r PlanRow) [][]string {
		return [][]string{cellLines(r.Task), cellLines(r.Leader), cellLines(r.Department), cellLines(r.Officer)}
	})
}

// list is a table of one row per task, numbered 1, 2, … in the 序号 column.
func (d PlanDoc) list(header []string, widths []int, cells func(PlanRow) [][]string) *table {
	t := &table{header: header, widths: widths, centred: []bool{true}}
	for i, r := range d.Rows {
		t.rows = append(t.rows, append([][]string{{itoa(i + 1)}}, cells(r)...))
	}
	return t
}
