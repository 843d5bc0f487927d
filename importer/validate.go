package importer

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
)

// MaxCodeLen is the longest 问题编号 accepted, in characters.
const MaxCodeLen = 32

// requiredExpected says what belongs in a required cell found empty.
var requiredExpected = map[column]string{
	colSeq:        "a whole number from 1, unique in the file",
	colCategory:   "the problem's category",
	colCode:       "a problem code such as 6(2) or 立行立改四",
	colTitle:      "the problem's title",
	colMeasures:   "the rectification measures (一是…二是…)",
	colLeader:     "the responsible leader",
	colDepartment: "the responsible department",
	colOfficer:    "the responsible officer's name",
	colDeadline:   ledger.DeadlineFormsExpected,
}

// firstSeen remembers where a value first appeared, to name that row when a
// later row contradicts it.
type firstSeen struct {
	row             int
	category, title string // for a problem
	department      string // for an officer
}

type validator struct {
	h           *header
	opts        Options
	strictWidth bool
	problems    []Problem
	seqs        map[int]int          // 序号 → row
	codes       map[string]int       // 问题编号 → row
	problemsAt  map[string]firstSeen // problem key → first row
	officers    map[string]firstSeen // 责任人 → first row and department
	noHeaderCol map[int]bool         // unnamed columns already reported
}

func newValidator(h *header, opts Options, strictWidth bool) *validator {
	return &validator{h: h, opts: opts, strictWidth: strictWidth,
		seqs: map[int]int{}, codes: map[string]int{}, problemsAt: map[string]firstSeen{},
		officers: map[string]firstSeen{}, noHeaderCol: map[int]bool{}}
}

// sorted returns the problems in file order: whole-file and missing-column
// problems first, then by row; within a row, in the order they were found.
func (v *validator) sorted() []Problem {
	slices.SortStableFunc(v.problems, func(a, b Problem) int { return a.Row - b.Row })
	return v.problems
}

// rowProblems collects one row's problems with the cell position each is
// about, so they come out left to right even when a cross-column check
// finds one late.
type rowProblems struct {
	row   int
	items []positioned
}

type positioned struct {
	pos int
	p   Problem
}

func (rp *rowProblems) add(pos int, c column, found, expected string) {
	rp.items = append(rp.items, positioned{pos, Problem{Row: rp.row, Column: c.String(), Found: found, Expected: expected}})
}

// row validates one non-blank data row. ok is false when it has problems,
// which are added to v.problems.
func (v *validator) row(rec record) (row ledger.Row, ok bool) {
	h := v.h
	rp := &rowProblems{row: rec.num}
	if v.strictWidth && len(rec.cells) < len(h.cols) {
		// The cells would be misaligned, so checking them would only add noise.
		v.problems = append(v.problems, Problem{Row: rec.num,
			Found:    fmt.Sprintf("%d cells where the header has %d", len(rec.cells), len(h.cols)),
			Expected: "every row as wide as the header (a stray quote or line break may have split or joined rows)"})
		return row, false
	}
	for i := range rec.cells {
		unnamed := i >= len(h.cols) || h.cols[i] == colUnnamed
		if unnamed && rec.cell(i) != "" && !v.noHeaderCol[i] {
			v.noHeaderCol[i] = true
			rp.items = append(rp.items, positioned{i, Problem{Row: rec.num,
				Found:    fmt.Sprintf("a value in column %s, which has no header", colLetter(i)),
				Expected: "a header for every column that has values (" + ExpectedHeader + ")"}})
		}
	}

	get := func(c column) string { return rec.cell(h.pos[c]) }
	for c := range numColumns {
		val, pos := get(c), h.pos[c]
		if pos >= 0 && val == "" && requiredExpected[c] != "" {
			rp.add(pos, c, "", requiredExpected[c])
		}
	}

	row.SourceRow = rec.num
	row.Category, row.ProblemTitle, row.Detail = get(colCategory), get(colTitle), get(colDetail)
	row.Leader, row.Department, row.Officer = get(colLeader), get(colDepartment), get(colOfficer)
	row.Measures, row.Progress = SplitMeasures(get(colMeasures)), get(colProgress)
	row.Seq = v.seq(rp, get(colSeq))
	row.ProblemCode = v.code(rp, get(colCode))
	row.Deadline = v.deadline(rp, get(colDeadline))
	row.Status, row.StageDone = v.status(rp, get(colStatus))
	v.sameProblem(rp, row)
	v.oneDepartment(rp, row)

	slices.SortStableFunc(rp.items, func(a, b positioned) int { return a.pos - b.pos })
	for _, it := range rp.items {
		v.problems = append(v.problems, it.p)
	}
	return row, len(rp.items) == 0
}

func (v *validator) seq(rp *rowProblems, s string) int {
	pos := v.h.pos[colSeq]
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(toHalfWidth(s)))
	if err != nil || n < 1 {
		rp.add(pos, colSeq, s, requiredExpected[colSeq])
		return 0
	}
	if first, dup := v.seqs[n]; dup {
		rp.add(pos, colSeq, s, fmt.Sprintf("a 序号 not used before (row %d has %d)", first, n))
		return n
	}
	v.seqs[n] = rp.row
	return n
}

// normCode writes a 问题编号 one way: ASCII digits and parentheses, no
// spaces ("6 （2）" → "6(2)"), so that codes compare equal.
func normCode(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, toHalfWidth(s))
}

func (v *validator) code(rp *rowProblems, s string) string {
	pos := v.h.pos[colCode]
	code := normCode(s)
	switch {
	case s == "":
	case utf8.RuneCountInString(code) > MaxCodeLen:
		rp.add(pos, colCode, s, fmt.Sprintf("a problem code of at most %d characters", MaxCodeLen))
	default:
		if first, dup := v.codes[code]; dup {
			rp.add(pos, colCode, s, fmt.Sprintf("a 问题编号 not used before (row %d has %s)", first, code))
		} else {
			v.codes[code] = rp.row
		}
	}
	return code
}

func (v *validator) deadline(rp *rowProblems, s string) ledger.Deadline {
	if s == "" {
		return ledger.Deadline{}
	}
	d, err := ledger.ParseDeadline(s, v.opts.PlanYear)
	if err != nil {
		p := positioned{v.h.pos[colDeadline], Problem{Row: rp.row, Column: colDeadline.String(), Found: s,
			Expected: ledger.DeadlineFormsExpected}}
		if de, ok := errors.AsType[*ledger.DeadlineError](err); ok {
			p.p.Reason = de.Reason
		}
		rp.items = append(rp.items, p)
	}
	return d
}

// status reads the 整改状态 cell: the status, and whether it says a
// long-term item is done at its stage (长期坚持（阶段性完成）).
func (v *validator) status(rp *rowProblems, s string) (ledger.Status, bool) {
	if s == "" {
		return "", false
	}
	st, stageDone, ok := ledger.ParseStatusCell(toHalfWidth(s))
	if !ok {
		rp.add(v.h.pos[colStatus], colStatus, s, ledger.StatusWordsExpected)
	}
	return st, stageDone
}

// sameProblem checks that the rows of one problem agree on its category and
// title, which become one problem record in the ledger.
func (v *validator) sameProblem(rp *rowProblems, row ledger.Row) {
	if row.ProblemCode == "" || row.Category == "" || row.ProblemTitle == "" {
		return
	}
	// ledger.ProblemNumber is how the rest of the bot groups rows into
	// problems: "6(2)" → "6"; 立行立改四 is its own problem.
	key := ledger.ProblemNumber(row.ProblemCode)
	first, seen := v.problemsAt[key]
	if !seen {
		v.problemsAt[key] = firstSeen{row: rp.row, category: row.Category, title: row.ProblemTitle}
		return
	}
	if row.Category != first.category {
		rp.add(v.h.pos[colCategory], colCategory, row.Category,
			fmt.Sprintf("%q as in row %d (the same problem %s)", first.category, first.row, key))
	}
	if row.ProblemTitle != first.title {
		rp.add(v.h.pos[colTitle], colTitle, row.ProblemTitle,
			fmt.Sprintf("%q as in row %d (the same problem %s)", first.title, first.row, key))
	}
}

// oneDepartment checks that a 责任人 belongs to one department: the bot links
// each officer to one department for digests and permissions. A department
// may have several officers.
func (v *validator) oneDepartment(rp *rowProblems, row ledger.Row) {
	if row.Officer == "" || row.Department == "" {
		return
	}
	first, seen := v.officers[row.Officer]
	if !seen {
		v.officers[row.Officer] = firstSeen{row: rp.row, department: row.Department}
		return
	}
	if row.Department != first.department {
		rp.add(v.h.pos[colDepartment], colDepartment, row.Department,
			fmt.Sprintf("%q, the department of %s in row %d (a 责任人 is in one department)", first.department, row.Officer, first.row))
	}
}
