package ledgergen

import (
	"bytes"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/render"
)

// TestGeneratedLedgerIsValid: the generated 台账 is one an importer accepts
// unchanged, written out as the export writes it and read back by the
// importer, and it has the shape the benchmarks promise.
func TestGeneratedLedgerIsValid(t *testing.T) {
	spec := Spec10k
	if testing.Short() {
		spec = Spec{Tasks: 2000, Departments: 100, Categories: 16, AsOf: Spec10k.AsOf}
	}
	rows := Generate(spec)
	if !reflect.DeepEqual(rows, Generate(spec)) {
		t.Fatal("Generate is not deterministic")
	}

	// Shape.
	var (
		depts, cats, leaders = map[string]bool{}, map[string]bool{}, map[string]bool{}
		officers             = map[string]string{}
		problemTasks         = map[string]int{}
		longTerm, progress   int
		statuses             = map[ledger.Status]int{}
	)
	inRange := func(s string) bool {
		n := utf8.RuneCountInString(s)
		return n >= textMinRunes && n <= textMaxRunes
	}
	for i, r := range rows {
		depts[r.Department], cats[r.Category], leaders[r.Leader] = true, true, true
		officers[r.Officer] = r.Department
		problemTasks[ledger.ProblemNumber(r.ProblemCode)]++
		statuses[r.Status]++
		if r.Deadline.LongTerm {
			longTerm++
			if r.Deadline.Recurrence != ledger.DefaultRecurrence || !r.Deadline.Date.IsZero() {
				t.Errorf("row %d: long-term deadline %+v", i, r.Deadline)
			}
		} else if days := spec.AsOf.DaysUntil(r.Deadline.Date); days < -deadlineDays || days > deadlineDays {
			t.Errorf("row %d: deadline %s is %d days from %s", i, r.Deadline.Date, days, spec.AsOf)
		}
		if len(r.Measures) != 3 {
			t.Errorf("row %d: %d measures, want 3", i, len(r.Measures))
		}
		for _, m := range r.Measures {
			if !inRange(m) {
				t.Errorf("row %d: a measure of %d runes", i, utf8.RuneCountInString(m))
			}
		}
		if r.Progress != "" {
			progress++
			if !inRange(r.Progress) {
				t.Errorf("row %d: progress of %d runes", i, utf8.RuneCountInString(r.Progress))
			}
		}
	}
	if len(depts) != spec.Departments || len(cats) != spec.Categories ||
		len(leaders) != (spec.Departments+4)/5 || len(officers) != 2*spec.Departments {
		t.Errorf("%d departments, %d categories, %d leaders, %d officers; want %d, %d, %d, %d",
			len(depts), len(cats), len(leaders), len(officers),
			spec.Departments, spec.Categories, (spec.Departments+4)/5, 2*spec.Departments)
	}
	for p, n := range problemTasks {
		if n < 1 || n > 3 {
			t.Errorf("problem %s has %d tasks, want 1–3", p, n)
		}
	}
	for _, st := range []ledger.Status{ledger.StatusClosed, ledger.StatusInProgress, ledger.StatusNotStarted,
		ledger.StatusPendingVerification, ledger.StatusOngoing} {
		if statuses[st] == 0 {
			t.Errorf("no task is %s", st)
		}
	}
	if progress < len(rows)*7/10 {
		t.Errorf("%d of %d rows have a progress text, want most", progress, len(rows))
	}
	t.Logf("%d tasks, %d problems, %d categories, %d departments, %d leaders, %d officers, %d long-term, %d with progress; by status %v",
		len(rows), len(problemTasks), len(cats), len(depts), len(leaders), len(officers), longTerm, progress, statuses)

	// Through the importer: the rows as the export writes them, read back.
	ex := make([]render.ExportRow, len(rows))
	for i, r := range rows {
		ex[i] = render.ExportRow{Row: r}
	}
	var buf bytes.Buffer
	if err := render.WriteCSV(&buf, ex); err != nil {
		t.Fatal(err)
	}
	res, err := importer.ReadCSV(&buf, importer.Options{PlanYear: 2021, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatalf("the importer rejects the generated ledger: %v", err)
	}
	if !reflect.DeepEqual(res.Rows, rows) {
		for i := range rows {
			if i >= len(res.Rows) || !reflect.DeepEqual(res.Rows[i], rows[i]) {
				t.Fatalf("row %d read back differs (%d rows read)", i, len(res.Rows))
			}
		}
		t.Fatalf("%d rows read back, want %d", len(res.Rows), len(rows))
	}
}
