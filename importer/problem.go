package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

var (
	// ErrTooLarge is wrapped by the error for a file above Options.MaxBytes
	// (or an XLSX that unpacks to far more than that).
	ErrTooLarge = errors.New("file too large")
	// ErrNotATable is wrapped by the error for a file that is not a 台账 at
	// all: binary data, an image, text without a recognisable header row, a
	// corrupt or empty workbook.
	ErrNotATable = errors.New("not a 台账 table")
)

// Problem is one thing wrong with an imported file, located the way a user
// finds it in Excel or WPS.
type Problem struct {
	// Row is the spreadsheet row number: with the header in the first row,
	// the first data row is 2. Blank rows and title rows above the header
	// are counted, so the number is the one the spreadsheet shows. 0 means
	// the whole file (or a whole column, when Column is set).
	Row int
	// Column is the column's canonical Chinese header (整改时限 even when the
	// file says Deadline); "" for a problem with the whole row or file.
	Column string
	// Found is the offending cell value (for a cell problem) or a short
	// description (for a row or file problem).
	Found string
	// Expected says what would have been accepted.
	Expected string
	// Reason, when set, says what exactly is wrong with Found when Expected
	// alone would not tell (a deadline "2021-02-30": no such day).
	Reason string
}

// maxFoundRunes keeps a long 整改措施 cell from flooding an error message;
// the full value stays in Problem.Found.
const maxFoundRunes = 60

// String renders the problem as one line, e.g.
//
//	row 5, column 整改时限: "2021-13-01" (no such month), expected 2021-06-30, … or 长期坚持
//	column 整改时限: missing, expected a header row with 序号,…
//	row 7: 10 cells, expected 12 (as many as the header)
//	file: no rows below the header, expected at least one row
func (p Problem) String() string {
	var b strings.Builder
	switch {
	case p.Row > 0 && p.Column != "":
		fmt.Fprintf(&b, "row %d, column %s: ", p.Row, p.Column)
	case p.Row > 0:
		fmt.Fprintf(&b, "row %d: ", p.Row)
	case p.Column != "":
		fmt.Fprintf(&b, "column %s: ", p.Column)
	default:
		b.WriteString("file: ")
	}
	switch {
	case p.Column == "":
		// Row and file problems carry a description, not a cell value.
		b.WriteString(p.Found)
	case p.Found != "":
		b.WriteString(strconv.Quote(truncate(p.Found, maxFoundRunes)))
	case p.Row > 0:
		b.WriteString("empty")
	default:
		b.WriteString("missing")
	}
	if p.Reason != "" {
		b.WriteString(" (" + p.Reason + ")")
	}
	if p.Expected != "" {
		b.WriteString(", expected ")
		b.WriteString(p.Expected)
	}
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// ValidationError lists every problem found in a file, in file order, so a
// user can fix them all before trying again. An import is all or nothing:
// with a ValidationError no rows are returned.
type ValidationError struct {
	Problems []Problem
}

// maxListed caps Error(): a chat message with hundreds of lines helps no one,
// and a file that broken is usually the wrong file.
const maxListed = 20

func (e *ValidationError) Error() string {
	lines := make([]string, 0, min(len(e.Problems), maxListed)+1)
	for i, p := range e.Problems {
		if i == maxListed {
			lines = append(lines, fmt.Sprintf("… and %d more", len(e.Problems)-maxListed))
			break
		}
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}
