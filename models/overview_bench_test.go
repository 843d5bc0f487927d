package models_test

// BenchmarkOverview: the supervisors' overview (issue 11, item 4) over 100
// and 1,000 units of 25 tasks each, and at province scale — 10,000 units,
// 250,000 tasks, 50,000 officers, 20,000 leaders — when
// RECTIBOT_BENCH_PROVINCE=1 (seeding it takes a minute or two). Targets
// at province scale on PostgreSQL: ≤ 200 ms and ≤ 3 queries. Run it on
// both databases:
//
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	    RECTIBOT_BENCH_PROVINCE=1 go test -run '^$' -bench Overview -benchtime 5x ./models/
//	DATABASE_URL= go test -run '^$' -bench Overview -benchtime 5x ./models/

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

const (
	targetOverviewMillis  = 200.0
	targetOverviewQueries = 3.0
	overviewTasksPerUnit  = 25
)

func BenchmarkOverview(b *testing.B) {
	sizes := []int{100, 1000}
	if os.Getenv("RECTIBOT_BENCH_PROVINCE") == "1" {
		sizes = append(sizes, 10000)
	}
	ms := map[int]float64{}
	for i, units := range sizes {
		b.Run(fmt.Sprintf("%s/units=%d", testdb.Kind(), units), func(b *testing.B) {
			ctx := context.Background()
			db, _ := testdb.Open(b)
			start := time.Now()
			want := seedOverviewUnits(b, db, units)
			seeded := time.Since(start)
			qc := testdb.CountQueries(b, db)
			store := models.NewStore(db, benchClock())
			th := ledger.DefaultLightThresholds

			var (
				ov  ledger.Overview
				err error
			)
			start = time.Now()
			first := qc.Count(func() { ov, err = store.Overview(ctx, benchAsOf, nil, th) })
			cold := time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			checkOverview(b, ov, want)

			qc.Reset()
			for b.Loop() {
				if _, err := store.Overview(ctx, benchAsOf, nil, th); err != nil {
					b.Fatal(err)
				}
			}
			per := b.Elapsed().Seconds() * 1000 / float64(b.N)
			queries := float64(qc.N()) / float64(b.N)
			ms[units] = per
			b.ReportMetric(per, "ms/overview")
			b.ReportMetric(queries, "queries/overview")
			b.ReportMetric(targetOverviewMillis/per, "x_200ms_target")
			b.ReportMetric(targetOverviewQueries/queries, "queries_vs_3")
			b.Logf("%s: overview of %d units (%d tasks): %.1f ms (first call %.1f ms, %d queries) = %.2f× the 200 ms target; "+
				"%.0f queries per overview, target ≤ 3; seeded in %.1f s",
				testdb.Kind(), units, want.tasks, per, cold.Seconds()*1000, first, targetOverviewMillis/per, queries, seeded.Seconds())
			if i > 0 && ms[sizes[i-1]] > 0 {
				small := sizes[i-1]
				b.ReportMetric(per/ms[small], "x_time_vs_prev_size")
				b.Logf("%s: %d → %d units (×%d): the overview takes ×%.1f as long (%.1f → %.1f ms)",
					testdb.Kind(), small, units, units/small, per/ms[small], ms[small], per)
			}
		})
	}
}

// overviewTotals is what the seeded ledger must add up to, over every unit.
type overviewTotals struct {
	units, tasks, done, due, onTime, overdue, awaiting, requests, reported int
}

func checkOverview(tb testing.TB, ov ledger.Overview, want overviewTotals) {
	tb.Helper()
	got := overviewTotals{units: len(ov.Units)}
	for _, u := range ov.Units {
		got.tasks += u.Tasks
		got.done += u.Done
		got.due += u.Due
		got.onTime += u.OnTime
		got.overdue += u.Overdue
		got.awaiting += u.AwaitingClosure
		got.requests += u.DeadlineRequests
		if !u.LastReport.IsZero() {
			got.reported++
		}
	}
	if got != want {
		tb.Fatalf("overview totals %+v, want %+v", got, want)
	}
}

// seedOverviewUnits writes units × 25 tasks straight into the tables (an
// import per unit would take an hour at province scale): per unit one plan,
// 5 departments with an officer each and 2 leaders (the same names in
// every unit), tasks of every status around benchAsOf, reports on a third
// of them and a pending deadline request. It returns what the overview
// must count.
func seedOverviewUnits(tb testing.TB, db *gorm.DB, units int) overviewTotals {
	tb.Helper()
	rnd := rand.New(rand.NewPCG(2021, uint64(units)))
	now := time.Date(2021, 9, 14, 1, 0, 0, 0, time.UTC)
	want := overviewTotals{units: units}
	create := func(rows any) {
		tb.Helper()
		if err := db.CreateInBatches(rows, 1000).Error; err != nil {
			tb.Fatal(err)
		}
	}
	us := make([]models.Unit, units)
	for i := range us {
		us[i] = models.Unit{Name: fmt.Sprintf("第%05d号被巡察单位党组", i), ShortName: fmt.Sprintf("单位%05d", i), SelfName: "我局", CreatedAt: now}
	}
	create(&us)
	plans := make([]models.Plan, units)
	for i, u := range us {
		plans[i] = models.Plan{Title: u.ShortName + "整改方案", Team: "第一巡察组", Unit: u.Name, UnitID: u.ID,
			TimeZone: "Asia/Shanghai", Year: 2021, CreatedAt: now}
	}
	create(&plans)
	cats := make([]models.Category, units)
	for i, p := range plans {
		cats[i] = models.Category{PlanID: p.ID, Seq: 1, Name: "党的建设方面"}
	}
	create(&cats)
	deptNames := []string{"办公室", "人事股", "计划财务股", "政策法规股", "安全监管股"}
	depts := make([]models.Department, 0, units*len(deptNames))
	for _, u := range us {
		for _, n := range deptNames {
			depts = append(depts, models.Department{Name: n, UnitID: u.ID})
		}
	}
	create(&depts)
	people := make([]models.Person, 0, units*7)
	for i, u := range us {
		uid := u.ID
		for k := range deptNames {
			d := depts[i*len(deptNames)+k].ID
			people = append(people, models.Person{Name: ovOfficerNames[k], UnitID: &uid, DepartmentID: &d, CreatedAt: now})
		}
		people = append(people, models.Person{Name: "党组书记、局长", UnitID: &uid, SeesAll: true, CreatedAt: now},
			models.Person{Name: "分管副局长", UnitID: &uid, CreatedAt: now})
	}
	create(&people)
	problems := make([]models.Problem, 0, units*overviewTasksPerUnit)
	for i, p := range plans {
		for k := range overviewTasksPerUnit {
			problems = append(problems, models.Problem{PlanID: p.ID, CategoryID: cats[i].ID, Seq: k + 1,
				Number: fmt.Sprint(k + 1), Title: "问题" + fmt.Sprint(k+1)})
		}
	}
	create(&problems)
	tasks := make([]models.Task, 0, len(problems))
	for i, p := range plans {
		for k := range overviewTasksPerUnit {
			d := rnd.IntN(len(deptNames))
			t := models.Task{PlanID: p.ID, ProblemID: problems[i*overviewTasksPerUnit+k].ID, Seq: k + 1, Code: fmt.Sprint(k + 1),
				Title: "问题", DepartmentID: depts[i*len(deptNames)+d].ID, OfficerID: people[i*7+d].ID, LeaderID: people[i*7+5+k%2].ID,
				CreatedAt: now, UpdatedAt: now}
			seedTaskState(rnd, &t, &want)
			tasks = append(tasks, t)
		}
	}
	create(&tasks)
	var progress []models.ProgressEntry
	var requests []models.DeadlineChange
	reported := map[uint]bool{}
	for i, t := range tasks {
		if rnd.IntN(3) == 0 {
			progress = append(progress, models.ProgressEntry{TaskID: t.ID, Text: "已召开专题会议研究部署。", Source: "command",
				CreatedAt: now.Add(-time.Duration(rnd.IntN(30*24)) * time.Hour)})
			reported[t.PlanID] = true
		}
		if i%overviewTasksPerUnit == 0 && t.Status != string(ledger.StatusClosed) && !t.LongTerm {
			requests = append(requests, models.DeadlineChange{TaskID: t.ID, OldDeadline: t.Deadline,
				NewDeadline: models.DateOf(t.Deadline.AddDays(30)), Reason: "需协调", CreatedAt: now, State: "pending"})
		}
	}
	create(&progress)
	create(&requests)
	// What AddProgress keeps on each task, set as migration 00011 does.
	if err := db.Exec(`UPDATE tasks SET last_report_at = (SELECT MAX(p.created_at) FROM progress_entries p
		WHERE p.task_id = tasks.id AND p.source <> 'import')`).Error; err != nil {
		tb.Fatal(err)
	}
	want.reported, want.requests = len(reported), len(requests)
	if err := db.Exec("ANALYZE").Error; err != nil {
		tb.Fatal(err)
	}
	return want
}

var ovOfficerNames = []string{"张伟", "李娜", "王芳", "刘洋", "陈静"}

// seedTaskState gives a task a status and deadline the way a real ledger
// spreads them, and counts it in want as the overview must.
func seedTaskState(rnd *rand.Rand, t *models.Task, want *overviewTotals) {
	want.tasks++
	if rnd.IntN(100) < 8 { // 长期坚持
		t.LongTerm, t.Status, t.Recurrence = true, string(ledger.StatusOngoing), ledger.DefaultRecurrence.String()
		if rnd.IntN(2) == 0 {
			at := benchAsOf.StartIn(time.UTC)
			t.StageDoneAt = &at
			want.done++
		}
		return
	}
	deadline := benchAsOf.AddDays(rnd.IntN(121) - 60)
	t.Deadline, t.OriginalDeadline = models.DateOf(deadline), models.DateOf(deadline)
	switch n := rnd.IntN(100); {
	case n < 45 && !deadline.After(benchAsOf.AddDays(20)):
		// Closed, from 10 days early to 10 days late (in Beijing time),
		// never after the day of the overview.
		day := deadline.AddDays(rnd.IntN(21) - 10)
		if day.After(benchAsOf) {
			day = benchAsOf
		}
		at := day.StartIn(time.FixedZone("CST", 8*3600)).Add(time.Duration(8+rnd.IntN(12)) * time.Hour).UTC()
		t.Status, t.ClosedAt = string(ledger.StatusClosed), &at
		want.done++
		want.due++
		if !day.After(deadline) {
			want.onTime++
		}
		return
	case n < 55:
		t.Status = string(ledger.StatusPendingVerification)
		want.awaiting++
	case n < 65:
		t.Status = string(ledger.StatusNotStarted)
	default:
		t.Status = string(ledger.StatusInProgress)
	}
	if deadline.Before(benchAsOf) {
		want.due++
		want.overdue++
	}
}
