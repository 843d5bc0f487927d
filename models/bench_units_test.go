package models_test

// The unit benchmarks of issue 11 ("Benchmarks"): an installation of many
// units of 25 tasks each (ledgergen.UnitsSpec: every unit has an 办公室 and a
// 张伟), written by ledgergen.Load, and what one person of one unit asks of
// it. By default 400 units (10,000 tasks, the size of issue 2's
// benchmarks); with RECTIBOT_BENCH_PROVINCE=1 also the province, 10,000
// units (250,000 tasks, 50,000 officers, 20,000 leaders: loading it takes
// half a minute), and each figure's growth from one to the other.
//
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable RECTIBOT_BENCH_PROVINCE=1 \
//	    go test -run '^$' -bench Units -benchtime 20x -timeout 60m ./models/
//
// Targets at province scale on PostgreSQL (2 cores): one unit's digest
// ≤ 30 ms (its queries do not grow: 3), a unit's import ≤ 100 ms. The
// benchmarks only measure and print; RECTIBOT_BENCH_EXPLAIN=1 prints
// PostgreSQL's plan of each query of a unit's digest too.

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

const (
	targetUnitDigestMillis = 30.0
	targetUnitImportMillis = 100.0
)

// unitFigure is one measure at one size: milliseconds per call and SQL
// statements per call.
type unitFigure struct{ ms, queries float64 }

// unitEnv is a loaded installation and the people the benchmarks act as:
// the middle unit's 书记-level leader 王建国 and its officer 张伟.
type unitEnv struct {
	spec    ledgergen.UnitsSpec
	store   *models.Store
	qc      *testdb.QueryCounter
	unitID  uint
	leader  ledger.Actor
	officer ledger.Actor
	loaded  ledgergen.Loaded
}

func BenchmarkUnits(b *testing.B) {
	sizes := ledgergen.UnitSizes()
	figures := map[int]map[string]unitFigure{}
	for _, units := range sizes {
		b.Run(fmt.Sprintf("%s/units=%d", testdb.Kind(), units), func(b *testing.B) {
			e := loadUnitEnv(b, units)
			fig := map[string]unitFigure{}
			figures[units] = fig
			th := ledger.DefaultLightThresholds
			unitReach := ledger.Reach{Units: []uint{e.unitID}, All: true}
			leaderReach := ledger.ReadReach(e.leader)
			digest := func(name string, r ledger.Reach, wantTasks int) {
				b.Run(name, func(b *testing.B) {
					fig[name] = e.measure(b, func(ctx context.Context) int {
						d, err := e.store.Digest(ctx, models.DigestFilter{Reach: &r}, benchAsOf, th)
						if err != nil {
							b.Fatal(err)
						}
						return d.Total
					}, wantTasks)
				})
			}
			digest("unit_digest", unitReach, ledgergen.UnitTasks)
			digest("leader_digest", leaderReach, e.tasksOf(b, "d.name IN ?", ledgergen.UnitDepartments[:3]))
			b.Run("officer_tasks", func(b *testing.B) {
				want := e.tasksOf(b, "t.department_id = ? OR t.officer_id = ?", e.officer.DepartmentID, e.officer.PersonID)
				fig["officer_tasks"] = e.measure(b, func(ctx context.Context) int {
					items, err := e.store.TasksFor(ctx, e.officer)
					if err != nil {
						b.Fatal(err)
					}
					return len(items)
				}, want)
			})
			b.Run("unit_import", func(b *testing.B) { fig["unit_import"] = e.importUnits(b) })
			if os.Getenv("RECTIBOT_BENCH_EXPLAIN") == "1" {
				explainUnitDigest(b, e, unitReach)
			}
			imp := fig["unit_import"].ms
			say("%s, %d units (%d tasks, %d officers, %d leaders, %d measures, %d progress entries, %d deadline requests) loaded in %.1f s; "+
				"by ImportPlan one unit at a time it would take about %.0f s (%.1f ms × %d)",
				testdb.Kind(), units, e.loaded.Tasks, e.loaded.Officers, e.loaded.Leaders, e.loaded.Measures, e.loaded.Progress,
				e.loaded.DeadlineRequests, e.loaded.Took.Seconds(), imp*float64(units)/1000, imp, units)
			for _, name := range unitFigureNames {
				f := fig[name]
				say("%s, %d units: %-14s %7.2f ms, %2.0f SQL statements%s", testdb.Kind(), units, name, f.ms, f.queries, targetNote(name, f.ms))
			}
		})
	}
	if len(sizes) == 2 {
		small, large := sizes[0], sizes[1]
		say("%s: growth from %d to %d units (×%d tasks):", testdb.Kind(), small, large, large/small)
		for _, name := range unitFigureNames {
			s, l := figures[small][name], figures[large][name]
			if s.ms == 0 {
				continue
			}
			say("  %-14s %7.2f → %7.2f ms (×%.2f), queries %.0f → %.0f%s", name, s.ms, l.ms, l.ms/s.ms, s.queries, l.queries, targetNote(name, l.ms))
		}
	}
}

// say prints a figure: the parent of sub-benchmarks has no result line,
// and its b.Log is shown only with -v.
func say(format string, args ...any) { fmt.Printf(format+"\n", args...) }

var unitFigureNames = []string{"unit_digest", "leader_digest", "officer_tasks", "unit_import"}

func targetNote(name string, ms float64) string {
	switch name {
	case "unit_digest":
		return fmt.Sprintf(" (target ≤ %.0f ms: %.1f×)", targetUnitDigestMillis, targetUnitDigestMillis/ms)
	case "unit_import":
		return fmt.Sprintf(" (target ≤ %.0f ms: %.1f×)", targetUnitImportMillis, targetUnitImportMillis/ms)
	}
	return ""
}

// loadUnitEnv loads units × 25 tasks into a fresh database and finds the
// middle unit's leader of its first three departments and its 张伟.
func loadUnitEnv(b *testing.B, units int) *unitEnv {
	b.Helper()
	ctx := context.Background()
	db, _ := testdb.Open(b)
	e := &unitEnv{spec: ledgergen.UnitsSpec{Units: units, TasksPerUnit: ledgergen.UnitTasks, AsOf: benchAsOf}}
	var err error
	if e.loaded, err = ledgergen.Load(ctx, db, e.spec, benchClock().Now()); err != nil {
		b.Fatal(err)
	}
	// On PostgreSQL the tables read, not the whole database (other tests'
	// schemas); SQLite's file is this test's alone.
	analyze := "ANALYZE"
	if testdb.Kind() == dburl.Postgres {
		analyze = "ANALYZE units, plans, departments, people, person_roles, department_leaders, tasks, deadline_changes"
	}
	if err := db.Exec(analyze).Error; err != nil {
		b.Fatal(err)
	}
	e.store = models.NewStore(db, benchClock())
	e.qc = testdb.CountQueries(b, db)
	u := e.spec.Unit(units / 2)
	if err := db.Model(&models.Unit{}).Where("name = ?", u.Name).Pluck("id", &e.unitID).Error; err != nil || e.unitID == 0 {
		b.Fatalf("unit %q: %v", u.Name, err)
	}
	member := func(name string) ledger.Actor {
		var id uint
		if err := db.Model(&models.Person{}).Where("unit_id = ? AND name = ?", e.unitID, name).Pluck("id", &id).Error; err != nil || id == 0 {
			b.Fatalf("person %s: %v", name, err)
		}
		m, err := e.store.MemberByID(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		return m.Actor
	}
	e.leader, e.officer = member(ledgergen.UnitLeaderNames[0]), member(ledgergen.UnitOfficerNames[0])
	if len(e.leader.LedDepartmentIDs) != 3 || e.leader.SeesAll || e.officer.DepartmentID == 0 {
		b.Fatalf("leader %+v, officer %+v: not as loaded", e.leader, e.officer)
	}
	return e
}

// tasksOf counts the middle unit's tasks matching where (over tasks t and
// departments d), for checking what a call returned.
func (e *unitEnv) tasksOf(b *testing.B, where string, args ...any) int {
	b.Helper()
	var n int64
	if err := e.store.DB().Table("tasks t").Joins("JOIN departments d ON d.id = t.department_id").
		Where("d.unit_id = ?", e.unitID).Where(where, args...).Count(&n).Error; err != nil {
		b.Fatal(err)
	}
	return int(n)
}

// measure checks call's count once (untimed), then times it over b.N.
func (e *unitEnv) measure(b *testing.B, call func(context.Context) int, want int) unitFigure {
	b.Helper()
	ctx := context.Background()
	if got := call(ctx); got != want {
		b.Fatalf("%d tasks, want %d", got, want)
	}
	e.qc.Reset()
	for b.Loop() {
		call(ctx)
	}
	f := unitFigure{ms: b.Elapsed().Seconds() * 1000 / float64(b.N), queries: float64(e.qc.N()) / float64(b.N)}
	b.ReportMetric(f.ms, "ms/op")
	b.ReportMetric(f.queries, "queries/op")
	return f
}

// importUnits times ImportPlan of a new unit's 25 rows — names colliding
// with every unit already there — one new unit per iteration.
func (e *unitEnv) importUnits(b *testing.B) unitFigure {
	ctx := context.Background()
	next := e.spec.Units
	e.qc.Reset()
	var took time.Duration
	for b.Loop() {
		u := e.spec.Unit(next)
		next++
		began := time.Now()
		sum, err := e.store.ImportPlan(ctx, models.PlanSpec{Title: u.PlanTitle, Team: "县委第一巡察组", Unit: u.Name,
			UnitShort: u.ShortName, UnitSelf: u.SelfName, FeedbackDate: benchAsOf.AddDays(-120), Year: benchAsOf.Year},
			u.Rows, models.CLIActor, false)
		took += time.Since(began)
		if err != nil {
			b.Fatalf("import unit %d: %v", next-1, err)
		}
		if !sum.NewUnit || sum.Tasks != ledgergen.UnitTasks || sum.NewDepartments != len(ledgergen.UnitDepartments) ||
			sum.NewPeople != ledgergen.UnitOfficers+ledgergen.UnitLeaders {
			b.Fatalf("import unit %d: %+v: expected a new unit with its own departments and people", next-1, sum)
		}
	}
	f := unitFigure{ms: took.Seconds() * 1000 / float64(b.N), queries: float64(e.qc.N()) / float64(b.N)}
	b.ReportMetric(f.ms, "ms/op")
	b.ReportMetric(f.queries, "queries/op")
	return f
}
