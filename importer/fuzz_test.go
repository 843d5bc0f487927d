package importer

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// FuzzReadCSV feeds arbitrary bytes to ReadCSV. The seed corpus is in
// testdata/fuzz/FuzzReadCSV. Whatever the input, ReadCSV must not panic and
// must return either rows that satisfy the 台账's rules or an error.
func FuzzReadCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadCSV(bytes.NewReader(data), Options{PlanYear: planYear, MaxBytes: 1 << 16})
		checkRead(t, res, err)
	})
}

// FuzzReadXLSX feeds workbooks to ReadXLSX: the fixture's as a workbook,
// one with merged 问题类别 cells and a date-formatted 整改时限, and what
// the fuzzer makes of their bytes. ReadXLSX must not panic or hang (the
// zip and the XML are excelize's to read; their failures are ours to
// word) and must keep ReadCSV's promise. CI runs the seeds; a longer run
// is `go test -run '^$' -fuzz FuzzReadXLSX ./importer`.
func FuzzReadXLSX(f *testing.F) {
	recs := fixtureRecords(f, "ledger.csv")
	f.Add(xlsxOf(f, recs, nil))
	f.Add(xlsxOf(f, recs[:4], nil))
	f.Add(xlsxOf(f, recs[:6], func(x *excelize.File, sheet string) {
		if err := x.MergeCell(sheet, "B2", "B5"); err != nil {
			f.Fatal(err)
		}
		style, err := x.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			f.Fatal(err)
		}
		if err := x.SetCellValue(sheet, "J2", time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
			f.Fatal(err)
		}
		if err := x.SetCellStyle(sheet, "J2", "J2", style); err != nil {
			f.Fatal(err)
		}
	}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadXLSX(bytes.NewReader(data), Options{PlanYear: planYear, MaxBytes: 1 << 16})
		checkRead(t, res, err)
	})
}

// checkRead is what a read promises whatever the input: rows that satisfy
// the 台账's rules, or an error of a known kind — never both, never
// neither.
func checkRead(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil {
		if res != nil {
			t.Fatalf("rows returned with error %v", err)
		}
		if ve, ok := errors.AsType[*ValidationError](err); ok {
			if len(ve.Problems) == 0 {
				t.Fatal("ValidationError without problems")
			}
			for _, p := range ve.Problems {
				if p.Row < 0 || p.String() == "" {
					t.Fatalf("bad problem %+v", p)
				}
			}
		} else if !errors.Is(err, ErrNotATable) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
		return
	}
	if len(res.Rows) == 0 {
		t.Fatal("no error and no rows")
	}
	seqs, codes := map[int]bool{}, map[string]bool{}
	for _, r := range res.Rows {
		if r.Seq < 1 || r.Category == "" || r.ProblemCode == "" || r.ProblemTitle == "" || len(r.Measures) == 0 ||
			r.Leader == "" || r.Department == "" || r.Officer == "" || (!r.Deadline.LongTerm && r.Deadline.Date.IsZero()) {
			t.Fatalf("row with an empty required field: %+v", r)
		}
		if seqs[r.Seq] || codes[r.ProblemCode] {
			t.Fatalf("duplicate 序号 or 问题编号 accepted: %+v", r)
		}
		seqs[r.Seq], codes[r.ProblemCode] = true, true
		if r.Status != "" && !r.Status.Valid() {
			t.Fatalf("invalid status %q", r.Status)
		}
	}
}
