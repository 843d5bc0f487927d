// Package importer reads a 整改台账 (rectification ledger) from CSV or XLSX
// into validated ledger rows (SPEC §5). It either returns every row or, in a
// *ValidationError, every problem found, located by spreadsheet row and
// column header, so an import is all or nothing. It does no database work.
//
// Decisions callers should know:
//   - Row numbers are the spreadsheet's: header row 1, first data row 2.
//     Blank rows, empty CSV lines and title rows above the header are
//     counted (the header is looked for in the first 10 non-blank rows), so
//     "row 7" is the row Excel or WPS shows as 7. ledger.Row.SourceRow is set
//     to it.
//   - A header that is not a known column is a Problem, so a typo cannot
//     silently drop a column; only 备注 (remarks) is accepted and ignored.
//     A column with no header is fine while its cells are empty.
//   - Rows are returned in file order; Status is "" when the file has no
//     整改状态 or the cell is empty, and the caller picks the default.
//   - In an XLSX, merged cells count as their value in every cell they cover,
//     and a date-formatted 整改时限 is read as the date, whatever its display.
package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// DefaultMaxBytes is the size limit when Options.MaxBytes is 0. A 台账 of a
// few hundred rows is well under 1 MB; 10 MiB leaves room for XLSX styling
// while keeping a hostile upload from exhausting memory.
const DefaultMaxBytes int64 = 10 << 20

// Options tune an import.
type Options struct {
	// PlanYear is the year for deadlines written without one (6月底前);
	// 0 means none is known and such deadlines are reported.
	PlanYear int
	// MaxBytes is the largest file accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// Format is the kind of file a Result came from.
type Format string

const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// ErrUnsupportedFormat is wrapped by Read's error for a file name whose
// extension is neither .csv nor .xlsx.
var ErrUnsupportedFormat = errors.New("unsupported file type")

// Result is a validated 台账.
type Result struct {
	Format Format
	// Rows are in file order (not sorted by 序号). Status is "" where the
	// file has no 整改状态 column or the cell is empty: the caller decides
	// the default (a plan's rows start as not_started, long-term rows may
	// start ongoing).
	Rows        []ledger.Row
	HasStatus   bool // the file has a 整改状态 column
	HasProgress bool // the file has a 整改情况 column
}

// Read reads a 台账 named name (the uploaded file's name). The extension
// must be .csv or .xlsx; the content then decides, so that a workbook saved
// under a .csv name (or a CSV under an .xlsx name) is still read.
func Read(r io.Reader, name string, opts Options) (*Result, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".csv" && ext != ".xlsx" {
		hint := ""
		if ext == ".xls" || ext == ".et" {
			hint = "; save the workbook as .xlsx (Excel 工作簿) first"
		}
		return nil, fmt.Errorf("%w %q: accepted are .csv and .xlsx%s", ErrUnsupportedFormat, ext, hint)
	}
	data, err := readLimited(r, opts)
	if err != nil {
		return nil, err
	}
	if isZip(data) || (ext == ".xlsx" && looksBinary(data)) {
		return readXLSXBytes(data, opts)
	}
	return readCSVBytes(data, opts)
}

var zipMagic = []byte("PK\x03\x04")

func isZip(data []byte) bool { return bytes.HasPrefix(data, zipMagic) }

func looksBinary(data []byte) bool {
	return bytes.IndexByte(data, 0) >= 0 || bytes.HasPrefix(data, oleMagic)
}

// readLimited reads at most one byte past the limit, so an oversized upload
// is refused without holding all of it in memory.
func readLimited(r io.Reader, opts Options) ([]byte, error) {
	limit := opts.maxBytes()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the file: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: the limit is %s", ErrTooLarge, megabytes(limit))
	}
	return data, nil
}

func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MB"
}

// record is one row of the file as text, with its spreadsheet row number.
type record struct {
	num   int
	cells []string
}

func (r record) blank() bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cell returns the trimmed cell i, "" when the row is shorter.
func (r record) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// parseTable finds the header, lets prepare adjust cells once the columns
// are known (XLSX dates), and validates every row below the header. pre are
// problems the reader found (CSV syntax). strictWidth reports rows with
// fewer cells than the header: in a CSV that means a broken line, while an
// XLSX row simply ends at its last filled cell.
func parseTable(recs []record, pre []Problem, opts Options, format Format, strictWidth bool, prepare func(*header)) (*Result, error) {
	h, err := findHeader(recs)
	if err != nil {
		return nil, err
	}
	if prepare != nil {
		prepare(h)
	}
	v := newValidator(h, opts, strictWidth)
	v.problems = append(v.problems, pre...)
	v.problems = append(v.problems, h.problems(recs[h.index])...)
	res := &Result{Format: format, HasStatus: h.pos[colStatus] >= 0, HasProgress: h.pos[colProgress] >= 0}
	for _, rec := range recs[h.index+1:] {
		if rec.blank() {
			continue
		}
		if row, ok := v.row(rec); ok {
			res.Rows = append(res.Rows, row)
		}
	}
	if len(v.problems) == 0 && len(res.Rows) == 0 {
		v.problems = append(v.problems, Problem{Found: "no rows below the header", Expected: "at least one problem row"})
	}
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.sorted()}
	}
	return res, nil
}
