package importer

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzReadCSV feeds arbitrary bytes to ReadCSV. The seed corpus is in
// testdata/fuzz/FuzzReadCSV. Whatever the input, ReadCSV must not panic and
// must return either rows that satisfy the 台账's rules or an error.
func FuzzReadCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadCSV(bytes.NewReader(data), Options{PlanYear: planYear, MaxBytes: 1 << 16})
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
	})
}
