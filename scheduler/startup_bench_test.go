package scheduler_test

// The startup benchmark of issue 9: a generated ledger imported from the
// command line (so nothing is planned yet), then what serve does at start,
// on whichever database DATABASE_URL names (PostgreSQL when it starts with
// postgres, else SQLite):
//
//   - reconcile: Service.Reconcile, every task planned after the import —
//     the heaviest start there is;
//   - reconcile again: the same on the planned ledger — a restart;
//   - start: the time until Service.Start returns (River running, the
//     catch-up and Reconcile left to the background), which is when serve
//     takes updates; and the time until that background work is done.
//
// Reconcile must be linear: the ratio of the two sizes' reconcile times
// should be close to the ratio of the sizes (5). By default the sizes are
// 2,000 and 10,000 tasks (about a minute with both imports on 2 cores);
// RECTIBOT_BENCH_LARGE=1 runs 10,000 and 50,000 (several minutes: give
// -timeout 30m).
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	    go test -run '^$' -bench Startup -benchtime 1x ./scheduler/
//
// `rectibot serve` itself as a process — the time until /readyz answers and
// its peak resident memory — at 10,000 and 250,000 tasks in many units is
// BenchmarkUnitsServe (units_bench_test.go).

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
	"github.com/rectibot/rectibot/scheduler"
)

// startupDay is the ledger's "today", years ahead: every job planned lies
// in the future by the database's clock, so River, once started, has
// nothing to work and the measures are the start's alone.
var startupDay = ledger.MustDate(2036, time.September, 16)

type startupResult struct {
	tasks               int
	imported            time.Duration // not part of the start; logged
	reconcile, again    time.Duration
	start, startupTotal time.Duration
}

func (r startupResult) perTask(d time.Duration) float64 {
	return float64(d.Microseconds()) / float64(r.tasks)
}

func BenchmarkStartup(b *testing.B) {
	sizes := [2]int{2000, 10000}
	if os.Getenv("RECTIBOT_BENCH_LARGE") == "1" {
		sizes = [2]int{10000, 50000}
	}
	var res [2]startupResult
	for b.Loop() {
		for i, n := range sizes {
			res[i] = measureStartup(b, n)
		}
	}
	small, large := res[0], res[1]
	label := func(n int) string { return fmt.Sprintf("%dk", n/1000) }
	ratio := large.reconcile.Seconds() / small.reconcile.Seconds()
	againRatio := large.again.Seconds() / small.again.Seconds()
	sizeRatio := float64(large.tasks) / float64(small.tasks)
	for _, r := range res {
		b.ReportMetric(r.reconcile.Seconds(), "reconcile_"+label(r.tasks)+"_s")
		b.ReportMetric(r.perTask(r.reconcile), "us/task_"+label(r.tasks))
		b.Logf("%s, %d tasks (imported in %v): reconcile %v (%.0f µs/task); again (a restart) %v (%.0f µs/task); "+
			"Start returned in %v, its background catch-up and reconcile done in %v",
			testdb.Kind(), r.tasks, r.imported.Round(time.Millisecond),
			r.reconcile.Round(time.Millisecond), r.perTask(r.reconcile), r.again.Round(time.Millisecond), r.perTask(r.again),
			r.start.Round(time.Microsecond), r.startupTotal.Round(time.Millisecond))
	}
	b.ReportMetric(ratio, "ratio_"+label(large.tasks)+"/"+label(small.tasks))
	b.ReportMetric(againRatio, "again_ratio")
	b.ReportMetric(float64(large.start.Microseconds())/1000, "start_ms_"+label(large.tasks))
	b.Logf("%s: reconcile %s/%s = %.2f (linear: %.0f); again %.2f; Start returns in %v at %d tasks (target: well under 5 s)",
		testdb.Kind(), label(large.tasks), label(small.tasks), ratio, sizeRatio, againRatio,
		large.start.Round(time.Microsecond), large.tasks)
}

// measureStartup imports n generated tasks into a fresh database and
// times Reconcile twice, then a second process's Start.
func measureStartup(b *testing.B, n int) startupResult {
	b.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, loc := testdb.Open(b)
	defer func() { _ = models.Close(db) }() // free the pool now; the cleanup drops the schema
	if err := scheduler.Migrate(ctx, db, loc, quiet); err != nil {
		b.Fatal(err)
	}
	zone, err := time.LoadLocation(models.DefaultTimeZone)
	if err != nil {
		b.Fatal(err)
	}
	clk := clock.NewManual(time.Date(startupDay.Year, startupDay.Month, startupDay.Day, 10, 0, 0, 0, zone))
	rows := ledgergen.Generate(ledgergen.Spec{Tasks: n, Departments: min(500, max(1, n/20)), Categories: 40, AsOf: startupDay})
	r := startupResult{tasks: n}
	began := time.Now()
	if _, err := models.NewStore(db, clk).ImportPlan(ctx, models.PlanSpec{Title: fmt.Sprintf("启动基准（%d 项）", n),
		Team: "市委第三巡察组", Unit: "市某局", TimeZone: models.DefaultTimeZone, FeedbackDate: startupDay.AddDays(-90), Year: startupDay.Year},
		rows, models.CLIActor, false); err != nil {
		b.Fatalf("import: %v", err)
	}
	r.imported = time.Since(began)

	process := func() *scheduler.Service {
		svc, err := scheduler.New(scheduler.Config{Store: models.NewStore(db, clk), Location: loc,
			Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil)), Clock: clk, Zone: zone,
			Light: ledger.DefaultLightThresholds, Log: quiet})
		if err != nil {
			b.Fatal(err)
		}
		return svc
	}
	svc := process()
	for _, d := range []*time.Duration{&r.reconcile, &r.again} {
		began = time.Now()
		if err := svc.Reconcile(ctx); err != nil {
			b.Fatalf("reconcile: %v", err)
		}
		*d = time.Since(began)
	}

	restarted := process()
	began = time.Now()
	if err := restarted.Start(ctx); err != nil {
		b.Fatal(err)
	}
	r.start = time.Since(began)
	select {
	case <-restarted.ReconcileDone():
		r.startupTotal = time.Since(began)
	case <-time.After(10 * time.Minute):
		b.Fatal("the background reconcile did not end within 10 minutes")
	}
	if err := restarted.ReconcileErr(); err != nil {
		b.Fatal(err)
	}
	stop, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := restarted.Stop(stop); err != nil {
		b.Fatal(err)
	}
	return r
}
