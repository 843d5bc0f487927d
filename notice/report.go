// Package notice writes the stage progress report (整改阶段性进展情况通报)
// from the ledger: the document the office publishes, structured like the
// Dongguan report of 2021-09-14 (../shared/fixtures/dongguan-2021). Build
// turns the ledger into a Report; Markdown and DOCX lay the same text out
// for reading and for publishing.
package notice

import (
	"strings"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// Extra is what the report needs beyond the ledger rows.
type Extra struct {
	// Inspection is <inspection> in the title (中共…关于<inspection>整改
	// 阶段性进展情况的通报); "" means the plan title without its trailing 整改.
	Inspection string
	// Changes is the latest deadline change per task id
	// (models.Store.DeadlineChangesOf).
	Changes map[uint]models.DeadlineChangeInfo
}

// Report is the 通报, with every part the layouts need.
type Report struct {
	Title      string
	Opening    []string // the opening paragraph's sentences
	Done, Open int      // 已完成 (closed, or long-term done at its stage) and 正在整改 (the rest)
	Overdue    []TaskRef
	Sections   []Section
	Unfinished []Unfinished // every task not done, in document order
	Signature  string       // the unit
	AsOf       ledger.Date  // the report's date
}

// TaskRef names a task: its code and its title as lists show it.
type TaskRef struct {
	TaskID uint
	Code   string
	Title  string
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

// Unfinished is a task still being rectified, for the closing part.
type Unfinished struct {
	TaskRef
	Status   ledger.Status
	Deadline ledger.Deadline
	Overdue  bool
	Change   *models.DeadlineChangeInfo // nil when the deadline never moved
}

// Build writes the report of plan as of asOf from its ledger rows (in 序号
// order, as models.Store.LedgerRows returns them). It is pure: the same
// ledger gives the same report.
func Build(plan models.Plan, rows []models.LedgerRow, extra Extra, asOf ledger.Date) Report {
	r := Report{Title: title(plan, extra.Inspection), Opening: opening(plan), Signature: strings.TrimSpace(plan.Unit), AsOf: asOf}
	for _, row := range rows {
		ref := TaskRef{TaskID: row.TaskID, Code: row.ProblemCode, Title: ledger.TaskTitle(row.ProblemCode, row.ProblemTitle, row.Detail)}
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
		u := Unfinished{TaskRef: ref, Status: row.Status, Deadline: row.Deadline, Overdue: overdue}
		if ch, ok := extra.Changes[row.TaskID]; ok {
			u.Change = &ch
		}
		r.Unfinished = append(r.Unfinished, u)
	}
	r.Sections = sections(rows)
	return r
}

// sections groups the rows by category and problem, each in the order it
// first appears, and moves the 立行立改 categories to the end. Problems are
// numbered on through the ordinary sections (the Dongguan report runs 1–11
// across four categories) and from 1 again among the 立行立改 items, which
// the ledger codes 立行立改一…六 apart from the rest.
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
	for _, group := range [][]*Section{ordinary, immediate} {
		n := 0 // the 立行立改 items count from 1 again
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
