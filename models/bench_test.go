package models_test

// The benchmarks of issue 2: a generated 台账 of 10,000 tasks in 500
// departments, imported, digested and read back for export, on whichever
// database DATABASE_URL selects (PostgreSQL, or the embedded SQLite when it
// is unset). Run them on both:
//
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	    go test -run '^$' -bench . -benchtime 3x ./models/
//	DATABASE_URL= go test -run '^$' -bench . -benchtime 3x ./models/
//
// Targets on PostgreSQL: a digest of 10,000 tasks in ≤ 100 ms and ≤ 3
// queries; an import of ≥ 2,000 rows/s. The benchmarks only measure and
// print; every "x_…" and "…_vs_…" ratio is target-relative so that ≥ 1 means
// the target is met. TestDigestQueryCountIsConstant is the assertion.

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// ---------------------------------------------------------------------------
// Targets and the fixed day.

const (
	targetImportRowsPerSec = 2000.0
	targetDigestMillis     = 100.0
	targetDigestQueries    = 3.0
)

// benchAsOf is the day every digest is computed for; deadlines spread
// ±60 days around it.
var benchAsOf = ledger.MustDate(2021, time.September, 14)

// benchClock is 09:00 on benchAsOf in the plan's zone, so the import's
// timestamps are the same on every run.
func benchClock() clock.Clock {
	return clock.NewManual(time.Date(2021, time.September, 14, 1, 0, 0, 0, time.UTC))
}

func benchPlan(tasks int) models.PlanSpec {
	return models.PlanSpec{
		Title: fmt.Sprintf("市局党委巡察反馈问题整改台账（基准，%d 项）", tasks),
		Team:  "市委第三巡察组", Unit: "市某局",
		FeedbackDate: ledger.MustDate(2021, time.June, 1),
		Year:         2021,
	}
}

// ledger10k is generated once per test binary: the import benchmark uses the
// same rows in every iteration.
var ledger10k = sync.OnceValue(func() []ledger.Row { return ledgergen.Generate(ledgergen.Spec10k) })

// ---------------------------------------------------------------------------
// Shared setup.

// importLedger imports rows into a fresh database and returns the store,
// a statement counter on its handle and the plan's id.
func importLedger(tb testing.TB, rows []ledger.Row) (*models.Store, *testdb.QueryCounter, models.ImportSummary) {
	tb.Helper()
	db, _ := testdb.Open(tb)
	qc := testdb.CountQueries(tb, db)
	store := models.NewStore(db, benchClock())
	sum, err := store.ImportPlan(context.Background(), benchPlan(len(rows)), rows, models.CLIActor, false)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	if sum.Tasks != len(rows) {
		tb.Fatalf("import: %d tasks, want %d", sum.Tasks, len(rows))
	}
	return store, qc, sum
}

// expectedDigest computes, from the rows alone, what the digest must count.
func expectedDigest(rows []ledger.Row, th ledger.LightThresholds) (byStatus map[ledger.Status]int, byLight map[ledger.Light]int, listed int) {
	byStatus, byLight = map[ledger.Status]int{}, map[ledger.Light]int{}
	for _, r := range rows {
		li := ledger.LightOf(r.Status, r.Deadline.Date, benchAsOf, th)
		byStatus[r.Status]++
		byLight[li]++
		if li != ledger.LightGreen {
			listed++
		}
	}
	return byStatus, byLight, listed
}

func checkDigest(tb testing.TB, d ledger.Digest, rows []ledger.Row, depts int) {
	tb.Helper()
	byStatus, byLight, listed := expectedDigest(rows, ledger.DefaultLightThresholds)
	if d.Total != len(rows) || len(d.Departments) != depts {
		tb.Fatalf("digest: %d tasks in %d departments, want %d in %d", d.Total, len(d.Departments), len(rows), depts)
	}
	if !reflect.DeepEqual(d.ByStatus, byStatus) || !reflect.DeepEqual(d.ByLight, byLight) {
		tb.Fatalf("digest: by status %v, by light %v; want %v, %v", d.ByStatus, d.ByLight, byStatus, byLight)
	}
	if got := len(d.OverdueList) + len(d.DueSoon); got != listed {
		tb.Fatalf("digest: %d tasks listed (overdue + due soon), want %d", got, listed)
	}
}

// ---------------------------------------------------------------------------
// Benchmarks. Each runs as a sub-benchmark named after the database, so the
// output lines say which engine they measured.

// BenchmarkImport10k times Store.ImportPlan of the 10,000 rows into a fresh
// database per iteration (creating and migrating it is not timed).
func BenchmarkImport10k(b *testing.B) {
	rows := ledger10k()
	b.Run(string(testdb.Kind()), func(b *testing.B) {
		ctx := context.Background()
		var (
			queries int64
			sum     models.ImportSummary
		)
		for b.Loop() {
			b.StopTimer()
			db, _ := testdb.Open(b)
			qc := testdb.CountQueries(b, db)
			store := models.NewStore(db, benchClock())
			b.StartTimer()

			s, err := store.ImportPlan(ctx, benchPlan(len(rows)), rows, models.CLIActor, false)

			b.StopTimer()
			if err != nil {
				b.Fatalf("import: %v", err)
			}
			sum, queries = s, qc.N()
			_ = models.Close(db) // free the pool now; the cleanup drops the schema
			b.StartTimer()
		}
		perSec := float64(len(rows)*b.N) / b.Elapsed().Seconds()
		b.ReportMetric(perSec, "rows/s")
		b.ReportMetric(perSec/targetImportRowsPerSec, "x_target")
		b.ReportMetric(float64(queries), "queries/import")
		b.Logf("%s: imported %d tasks (%d problems, %d categories, %d departments, %d people, %d measures, %d progress entries) "+
			"in %.0f ms per import: %.0f rows/s = %.2f× the %.0f rows/s target; %d SQL statements per import",
			testdb.Kind(), sum.Tasks, sum.Problems, sum.Categories, sum.Departments, sum.NewPeople, sum.Measures, sum.ProgressItems,
			b.Elapsed().Seconds()*1000/float64(b.N), perSec, perSec/targetImportRowsPerSec, targetImportRowsPerSec, queries)
	})
}

// BenchmarkDigest10k times Store.Digest of the imported 10,000-task plan
// and counts the SQL statements one call runs.
func BenchmarkDigest10k(b *testing.B) {
	rows := ledger10k()
	b.Run(string(testdb.Kind()), func(b *testing.B) {
		ctx := context.Background()
		store, qc, sum := importLedger(b, rows)
		filter := models.DigestFilter{PlanID: sum.PlanID}
		th := ledger.DefaultLightThresholds

		// One untimed call: check the result and time the cold call.
		var (
			d   ledger.Digest
			err error
		)
		start := time.Now()
		firstQueries := qc.Count(func() { d, err = store.Digest(ctx, filter, benchAsOf, th) })
		cold := time.Since(start)
		if err != nil {
			b.Fatalf("digest: %v", err)
		}
		checkDigest(b, d, rows, ledgergen.Spec10k.Departments)

		qc.Reset()
		for b.Loop() {
			if _, err := store.Digest(ctx, filter, benchAsOf, th); err != nil {
				b.Fatalf("digest: %v", err)
			}
		}
		ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
		queries := float64(qc.N()) / float64(b.N)
		b.ReportMetric(ms, "ms/digest")
		b.ReportMetric(queries, "queries/digest")
		b.ReportMetric(targetDigestMillis/ms, "x_100ms_target")
		b.ReportMetric(targetDigestQueries/queries, "queries_vs_3")
		b.Logf("%s: digest of %d tasks in %d departments (%d overdue listed, %d due soon): %.1f ms (first call %.1f ms) = %.2f× the 100 ms target; "+
			"%.0f SQL statements per digest (first call %d), target ≤ 3",
			testdb.Kind(), d.Total, len(d.Departments), len(d.OverdueList), len(d.DueSoon), ms, cold.Seconds()*1000,
			targetDigestMillis/ms, queries, firstQueries)
	})
}

// BenchmarkLedgerRows10k times Store.LedgerRows, the query behind every
// export, of the imported 10,000-task plan.
func BenchmarkLedgerRows10k(b *testing.B) {
	rows := ledger10k()
	b.Run(string(testdb.Kind()), func(b *testing.B) {
		ctx := context.Background()
		store, qc, sum := importLedger(b, rows)

		var (
			got []models.LedgerRow
			err error
		)
		firstQueries := qc.Count(func() { got, err = store.LedgerRows(ctx, sum.PlanID) })
		if err != nil {
			b.Fatalf("ledger rows: %v", err)
		}
		checkLedgerRows(b, got, rows)

		qc.Reset()
		for b.Loop() {
			if _, err := store.LedgerRows(ctx, sum.PlanID); err != nil {
				b.Fatalf("ledger rows: %v", err)
			}
		}
		ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
		queries := float64(qc.N()) / float64(b.N)
		b.ReportMetric(ms, "ms/export")
		b.ReportMetric(queries, "queries/export")
		b.Logf("%s: LedgerRows of %d tasks (%d measures, %d progress entries): %.1f ms, %.0f SQL statements (first call %d)",
			testdb.Kind(), len(got), sum.Measures, sum.ProgressItems, ms, queries, firstQueries)
	})
}

// checkLedgerRows checks the export reads back exactly what was imported
// (but the file row numbers, which are not stored).
func checkLedgerRows(tb testing.TB, got []models.LedgerRow, want []ledger.Row) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("ledger rows: %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		w.SourceRow = 0
		if !reflect.DeepEqual(got[i].Row, w) {
			tb.Fatalf("ledger row %d:\n got %+v\nwant %+v", i, got[i].Row, w)
		}
	}
}

// ---------------------------------------------------------------------------
// Tests.

// TestDigestQueryCountIsConstant: a digest runs the same number of SQL
// statements, at most 3, whether the plan has 100 tasks or 2,000, and
// whatever the filter.
func TestDigestQueryCountIsConstant(t *testing.T) {
	ctx := context.Background()
	th := ledger.DefaultLightThresholds
	specs := []ledgergen.Spec{
		{Tasks: 100, Departments: 5, Categories: 4, AsOf: benchAsOf},
		{Tasks: 2000, Departments: 100, Categories: 16, AsOf: benchAsOf},
	}
	counts := make([]int64, len(specs))
	for i, spec := range specs {
		t.Run(fmt.Sprintf("%d_tasks", spec.Tasks), func(t *testing.T) {
			rows := ledgergen.Generate(spec)
			store, qc, sum := importLedger(t, rows)
			var (
				d   ledger.Digest
				err error
			)
			counts[i] = qc.Count(func() { d, err = store.Digest(ctx, models.DigestFilter{PlanID: sum.PlanID}, benchAsOf, th) })
			if err != nil {
				t.Fatal(err)
			}
			checkDigest(t, d, rows, spec.Departments)
			if counts[i] > targetDigestQueries {
				t.Errorf("a digest of %d tasks ran %d SQL statements, want at most %d", spec.Tasks, counts[i], int(targetDigestQueries))
			}
			for _, f := range []models.DigestFilter{{}, {PlanID: sum.PlanID, Department: rows[0].Department}} {
				n := qc.Count(func() { _, err = store.Digest(ctx, f, benchAsOf, th) })
				if err != nil {
					t.Fatal(err)
				}
				if n != counts[i] {
					t.Errorf("digest with filter %+v ran %d SQL statements, the plan's digest %d", f, n, counts[i])
				}
			}
		})
	}
	if counts[0] != counts[1] {
		t.Errorf("a digest of %d tasks ran %d SQL statements, of %d tasks %d: the count must not grow with the ledger",
			specs[0].Tasks, counts[0], specs[1].Tasks, counts[1])
	}
}
