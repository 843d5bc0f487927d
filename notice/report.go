// Package notice writes the stage progress report (整改阶段性进展情况通报)
// from the ledger: the document the office publishes, structured like the
// Dongguan report of 2021-09-14 (../shared/fixtures/dongguan-2021). Build
// turns the ledger into a Report; Markdown and DOCX lay the same text out
// for reading and for publishing.
package notice

import (
	"fmt"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// Extra is what the report needs beyond the plan and its ledger rows,
// gathered by the caller (models.Store.NoticeFacts): the package builds
// from values and queries nothing.
type Extra struct {
	// Inspection is <inspection> in the title (<unit>关于<inspection>整改
	// 阶段性进展情况的通报); "" means the plan title without its trailing 整改.
	Inspection string
	// The plan's unit (its name as given, short name, self-name), the
	// latest approved deadline change and the latest progress entry per
	// task id, and the result figures summed per kind.
	models.NoticeFacts
}

// Report is the 通报, with every part the layouts need. Its text is in
// three parts, as the Dongguan report is: 一、整改工作开展情况 (Organisation,
// Supervision, the counts and the result figures), 二、整改落实情况
// (Sections), 三、下一步工作计划 (Unfinished); then the paragraph inviting
// 监督 (Contact), the signature and the date.
type Report struct {
	Title string
	// TitleLines is the title broken at word boundaries into lines that
	// fit the page (one line when it fits as a whole).
	TitleLines   []string
	Opening      []string // the opening paragraph's sentences
	Organisation []string // 组织领导: the office's paragraphs, or the default
	Supervision  []string // 督促检查: the office's paragraphs, or the default
	Done, Open   int      // 已完成 (closed, or long-term done at its stage) and 正在整改 (the rest)
	Overdue      []TaskRef
	Results      []models.ResultTotal // summed per kind, in report order
	Sections     []Section
	Unfinished   []Unfinished // every task not done, in document order
	Self         string       // how the unit calls itself: 我委, else its short or full name
	Contact      string       // the closing paragraph's contact line; "" for none
	Signature    string       // the unit
	AsOf         ledger.Date  // the report's date
}

// TaskRef names a task: its code and its title as lists show it.
type TaskRef struct {
	TaskID    uint
	Code      string
	Title     string
	Immediate bool // a 立行立改 item: the body shows its code (立行立改四)
}

// Section is one 问题类别, numbered (一)(二)…; the 立行立改 items have the
// last section to themselves.
type Section struct {
	Number    string // "（一）"
	Category  string
	Immediate bool // 立行立改
	Problems  []Problem
}

// Problem is a numbered problem with its tasks.
type Problem struct {
	Number string // "1."
	Code   string // the 问题编号 of the problem: "6", "立行立改四"
	Title  string
	Items  []Item // one per task; a problem without sub-problems has one, unnumbered
}

// Item is one task: a sub-problem (1)(2)…, or the problem itself.
type Item struct {
	TaskID   uint
	Number   string // "（1）"; "" when the problem has no sub-problems
	Code     string
	Detail   string   // 具体问题, or the paragraph of facts of a 立行立改 item
	Measures []string // 整改措施, in order
	Progress []string // 整改情况, lines in the order the entries were made
	Status   ledger.Status
	Deadline ledger.Deadline
	// StageDone: a long-term task whose stage goals are met, reported as
	// done while its check-ins go on.
	StageDone bool

	// MeasuresDone says, for each line of Measures, whether it ends a
	// measure ticked as done.
	MeasuresDone []bool
}

// Unfinished is a task still being rectified, for 三、下一步工作计划.
type Unfinished struct {
	TaskRef
	Status   ledger.Status
	Deadline ledger.Deadline
	Overdue  bool
	Change   *models.DeadlineChangeInfo // nil when the deadline never moved
	// Latest is what is done: the latest progress entry (see latestDone);
	// "" when nothing was reported.
	Latest string
	// Next is the next step: the measures not ticked as done, each without
	// its 一是/二是.
	Next []string
}

// Build writes the report of plan as of asOf from its ledger rows (in 序号
// order, as models.Store.LedgerRows returns them). It is pure: the same
// ledger gives the same report.
func Build(plan models.Plan, rows []models.LedgerRow, extra Extra, asOf ledger.Date) Report {
	unit := strings.TrimSpace(extra.Unit.Name)
	if unit == "" {
		unit = strings.TrimSpace(plan.Unit)
	}
	r := Report{Self: selfName(extra.Unit, unit), Contact: strings.TrimSpace(plan.Contact), Signature: unit,
		Results: extra.Results, AsOf: asOf}
	r.Title, r.TitleLines = title(unit, inspectionName(plan, extra.Inspection))
	r.Opening = opening(plan, unit, strings.TrimSpace(extra.Unit.ShortName))
	for _, row := range rows {
		ref := TaskRef{TaskID: row.TaskID, Code: row.ProblemCode, Immediate: isImmediate(row.Category),
			Title: ledger.TaskTitle(row.ProblemCode, row.ProblemTitle, row.Detail)}
		// A long-term item whose stage goals are met is done, as the
		// published reports count it, while its check-ins go on.
		if ledger.IsDone(row.Status, row.StageDone) {
			r.Done++
			continue
		}
		r.Open++
		overdue := !row.Deadline.LongTerm && ledger.IsOverdue(row.Status, row.Deadline.Date, asOf)
		if overdue {
			r.Overdue = append(r.Overdue, ref)
		}
		u := Unfinished{TaskRef: ref, Status: row.Status, Deadline: row.Deadline, Overdue: overdue,
			Latest: latestDone(extra.Latest[row.TaskID]), Next: nextSteps(row.Measures, row.MeasuresDone)}
		if ch, ok := extra.Changes[row.TaskID]; ok {
			u.Change = &ch
		}
		r.Unfinished = append(r.Unfinished, u)
	}
	r.Organisation = paragraphsOr(plan.Organisation, fmt.Sprintf(organisationFormat, r.Self, r.Done+r.Open))
	r.Supervision = paragraphsOr(plan.Supervision, supervisionDefault)
	r.Sections = sections(rows)
	return r
}

// sections groups the rows by category and problem, each in the order it
// first appears, and moves the 立行立改 categories to the end. Problems are
// numbered on through every section (the Dongguan report runs 1–11 across
// four categories, and its 立行立改 items 12–17), so that each number names
// one problem; a 立行立改 item's heading also carries the ledger's code
// (立行立改四), which the lists name it by.
func sections(rows []models.LedgerRow) []Section {
	var ordinary, immediate []*Section
	byCategory := map[string]*Section{}
	byProblem := map[string]*Problem{}
	var problems []*Problem // in first appearance, to number afterwards
	owner := map[*Problem]*Section{}
	for _, row := range rows {
		s := byCategory[row.Category]
		if s == nil {
			s = &Section{Category: row.Category, Immediate: isImmediate(row.Category)}
			byCategory[row.Category] = s
			if s.Immediate {
				immediate = append(immediate, s)
			} else {
				ordinary = append(ordinary, s)
			}
		}
		code := ledger.ProblemNumber(row.ProblemCode)
		key := row.Category + "\x00" + code
		p := byProblem[key]
		if p == nil {
			p = &Problem{Code: code, Title: row.ProblemTitle}
			byProblem[key] = p
			problems = append(problems, p)
			owner[p] = s
		}
		measures, done := measureLines(row.Measures, row.MeasuresDone)
		p.Items = append(p.Items, Item{TaskID: row.TaskID, Code: row.ProblemCode, Detail: strings.TrimSpace(row.Detail),
			Measures: measures, MeasuresDone: done, Progress: lines(row.Progress), Status: row.Status, Deadline: row.Deadline, StageDone: row.StageDone})
	}
	for _, p := range problems {
		s := owner[p]
		s.Problems = append(s.Problems, *p)
	}
	var out []Section
	n := 0
	for _, group := range [][]*Section{ordinary, immediate} {
		for _, s := range group {
			s.Number = "（" + chineseNumeral(len(out)+1) + "）"
			for j := range s.Problems {
				n++
				s.Problems[j].Number = itoa(n) + "."
				numberItems(&s.Problems[j])
			}
			out = append(out, *s)
		}
	}
	return out
}

// numberItems numbers the sub-problems (1)(2)…; a problem that is its own
// only task has none.
func numberItems(p *Problem) {
	if len(p.Items) == 1 && !ledger.IsSubProblem(p.Items[0].Code) {
		return
	}
	for i := range p.Items {
		p.Items[i].Number = "（" + itoa(i+1) + "）"
	}
}

// isImmediate reports whether a category holds the 立行立改 items.
func isImmediate(category string) bool { return strings.Contains(category, "立行立改") }

// lines splits texts into their non-empty lines, trimmed.
func lines(texts ...string) []string {
	var out []string
	for _, t := range texts {
		for _, l := range strings.Split(t, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}
