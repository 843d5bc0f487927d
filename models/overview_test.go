package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

var ovCST = time.FixedZone("CST", 8*3600)

// ovAsOf is the overview's day in the test below.
var ovAsOf = ledger.MustDate(2021, 11, 1)

func ovRow(seq int, code string, deadline ledger.Deadline, st ledger.Status) ledger.Row {
	return ledger.Row{Seq: seq, Category: "党的建设", ProblemCode: code, ProblemTitle: "问题" + code,
		Measures: []string{"一是整改。"}, Leader: "分管副局长", Department: "办公室", Officer: "张伟",
		Deadline: deadline, Status: st}
}

func ovDated(y int, m time.Month, d int) ledger.Deadline {
	return ledger.Deadline{Date: ledger.MustDate(y, m, d)}
}

// twoUnits imports 县财政局 (7 tasks, in Beijing time) and 乙县教育局 (4
// tasks, in Urumqi's time), both with an 办公室 and a 张伟, and moves them
// along at chosen times; it returns the two units' ids. The figures each unit must show are in the test.
func twoUnits(t *testing.T, e *env) (fin, edu uint) {
	t.Helper()
	ctx := context.Background()
	longTerm := ledger.Deadline{LongTerm: true, Recurrence: ledger.DefaultRecurrence}
	a := []ledger.Row{
		ovRow(1, "1", ovDated(2021, 9, 30), ledger.StatusInProgress),  // closed 09-30 20:00: on time
		ovRow(2, "2", ovDated(2021, 9, 30), ledger.StatusInProgress),  // closed 10-01 07:00 (09-30 in UTC): late
		ovRow(3, "3", ovDated(2021, 10, 20), ledger.StatusInProgress), // open, overdue
		ovRow(4, "4", ovDated(2021, 11, 5), ledger.StatusInProgress),  // closure asked, yellow, not due yet
		ovRow(5, "5", longTerm, ledger.StatusOngoing),                 // stage done: done, out of the rate
		ovRow(6, "6", ovDated(2021, 6, 30), ledger.StatusClosed),      // imported closure: on time
		ovRow(7, "7", ovDated(2021, 12, 31), ledger.StatusInProgress), // a new deadline asked
	}
	a[4].StageDone = true
	a[2].Progress = "已召开专题会议。" // imported: not a report
	b := []ledger.Row{
		ovRow(1, "1", ovDated(2021, 10, 10), ledger.StatusInProgress), // closed 10-09: on time
		ovRow(2, "2", ovDated(2021, 10, 15), ledger.StatusInProgress), // closed late on the day in its zone: on time
		ovRow(3, "3", ovDated(2021, 10, 31), ledger.StatusInProgress), // open, one day late
		ovRow(4, "4", ovDated(2021, 12, 31), ledger.StatusNotStarted),
	}
	b[0].Progress = "已自查。"
	sa, err := e.store.ImportPlan(ctx, models.PlanSpec{Title: "县财政局整改方案", Unit: "甲县财政局", UnitShort: "县财政局", Year: 2021}, a, models.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := e.store.ImportPlan(ctx, models.PlanSpec{Title: "乙县教育局整改方案", Unit: "乙县教育局", TimeZone: "Asia/Urumqi", Year: 2021}, b, models.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	task := func(plan uint, code string) uint {
		var id uint
		if err := e.db.Model(&models.Task{}).Where("plan_id = ? AND code = ?", plan, code).Pluck("id", &id).Error; err != nil || id == 0 {
			t.Fatalf("task %s of plan %d: %v", code, plan, err)
		}
		return id
	}
	closeAt := func(plan uint, code string, at time.Time) {
		t.Helper()
		id := task(plan, code)
		e.clock.Set(at.Add(-time.Hour))
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: id, To: ledger.StatusPendingVerification}, models.CLIActor); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(at)
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: id, To: ledger.StatusClosed}, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	closeAt(sa.PlanID, "1", time.Date(2021, 9, 30, 20, 0, 0, 0, ovCST))
	closeAt(sa.PlanID, "2", time.Date(2021, 10, 1, 7, 0, 0, 0, ovCST))
	closeAt(sb.PlanID, "1", time.Date(2021, 10, 9, 16, 0, 0, 0, ovCST))
	// 23:30 in Urumqi (UTC+6) is 01:30 the next day in Beijing: each
	// plan's closures are dated in its own zone.
	urumqi, err := time.LoadLocation("Asia/Urumqi")
	if err != nil {
		t.Fatal(err)
	}
	closeAt(sb.PlanID, "2", time.Date(2021, 10, 15, 23, 30, 0, 0, urumqi))
	e.clock.Set(time.Date(2021, 10, 20, 9, 0, 0, 0, ovCST))
	if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: task(sa.PlanID, "4"), To: ledger.StatusPendingVerification}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.RequestDeadline(ctx, task(sa.PlanID, "7"), ledger.MustDate(2022, 3, 31), "需协调上级部门", models.CLIActor); err != nil {
		t.Fatal(err)
	}
	// The latest report: 10-28 late at night in the unit's zone (10-28 in
	// UTC too), then an earlier one.
	e.clock.Set(time.Date(2021, 10, 28, 23, 30, 0, 0, ovCST))
	if _, err := e.store.AddProgress(ctx, models.NewProgress{TaskID: task(sa.PlanID, "3"), Text: "正在整改。", Source: "command"}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2021, 10, 12, 9, 0, 0, 0, ovCST))
	if _, err := e.store.AddProgress(ctx, models.NewProgress{TaskID: task(sa.PlanID, "7"), Text: "已起草。", Source: "reply"}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	var units []models.Unit
	if err := e.db.Order("id").Find(&units).Error; err != nil || len(units) != 2 {
		t.Fatalf("units: %v %v", units, err)
	}
	return units[0].ID, units[1].ID
}

// TestOverviewRanksTwoUnits: each figure of a small hand-made two-unit
// ledger, the ranking, a unit filter, and at most three queries.
func TestOverviewRanksTwoUnits(t *testing.T) {
	e := newEnv(t)
	qc := testdb.CountQueries(t, e.db)
	fin, edu := twoUnits(t, e)
	// A unit with nothing yet: listed, no rate, last.
	empty := models.Unit{Name: "丙县林业局", ShortName: "县林业局", CreatedAt: reportDay}
	if err := e.db.Create(&empty).Error; err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var (
		ov  ledger.Overview
		err error
	)
	n := qc.Count(func() { ov, err = e.store.Overview(ctx, ovAsOf, nil, ledger.DefaultLightThresholds) })
	if err != nil {
		t.Fatal(err)
	}
	if n > 3 {
		t.Errorf("the overview ran %d SQL statements, want at most 3", n)
	}
	want := []ledger.UnitSummary{
		// 2 of 3 on time; one overdue; never reported (imports are not reports).
		{UnitID: edu, Name: "乙县教育局", Tasks: 4, Done: 2, Due: 3, OnTime: 2, Overdue: 1},
		// Due: 1, 2 (closed late), 3 (overdue), 6 (imported closure): 2 on time.
		{UnitID: fin, Name: "甲县财政局", ShortName: "县财政局", Tasks: 7, Done: 4, Due: 4, OnTime: 2, Overdue: 1, Yellow: 1,
			AwaitingClosure: 1, DeadlineRequests: 1, LastReport: ledger.MustDate(2021, 10, 28)},
		{UnitID: empty.ID, Name: "丙县林业局", ShortName: "县林业局"},
	}
	if len(ov.Units) != len(want) {
		t.Fatalf("%d units, want %d: %+v", len(ov.Units), len(want), ov.Units)
	}
	for i := range want {
		if ov.Units[i] != want[i] {
			t.Errorf("rank %d:\n got %+v\nwant %+v", i+1, ov.Units[i], want[i])
		}
	}
	if d, ok := ov.Units[1].DaysSinceReport(ovAsOf); !ok || d != 4 {
		t.Errorf("县财政局 last reported %d days ago (%v), want 4", d, ok)
	}
	if ov.AsOf != ovAsOf {
		t.Errorf("as of %s", ov.AsOf)
	}

	// One unit, as a supervisor limited to it reads it.
	n = qc.Count(func() { ov, err = e.store.Overview(ctx, ovAsOf, []uint{fin}, ledger.DefaultLightThresholds) })
	if err != nil || len(ov.Units) != 1 || ov.Units[0] != want[1] || n > 3 {
		t.Errorf("县财政局 alone: %+v, %v, %d queries", ov.Units, err, n)
	}
	// No unit at all: nothing to ask.
	n = qc.Count(func() { ov, err = e.store.Overview(ctx, ovAsOf, []uint{}, ledger.DefaultLightThresholds) })
	if err != nil || len(ov.Units) != 0 || n != 0 {
		t.Errorf("no units: %+v, %v, %d queries", ov.Units, err, n)
	}
}

// TestOverviewMatchesTheDigest: on the Dongguan ledger, the overview's
// counts are the digest's (one unit, the same day).
func TestOverviewMatchesTheDigest(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	for _, day := range []ledger.Date{ledger.MustDate(2021, 9, 14), ovAsOf} {
		d, err := e.store.Digest(ctx, models.DigestFilter{}, day, ledger.DefaultLightThresholds)
		if err != nil {
			t.Fatal(err)
		}
		ov, err := e.store.Overview(ctx, day, nil, ledger.DefaultLightThresholds)
		if err != nil {
			t.Fatal(err)
		}
		if len(ov.Units) != 1 {
			t.Fatalf("%d units", len(ov.Units))
		}
		u := ov.Units[0]
		if u.Tasks != d.Total || u.Done != d.Done() || u.Overdue != d.Overdue || u.Yellow != d.ByLight[ledger.LightYellow] ||
			u.AwaitingClosure != d.ByStatus[ledger.StatusPendingVerification] || u.DeadlineRequests != d.DeadlineRequests {
			t.Errorf("%s: overview %+v, digest total %d done %d overdue %d yellow %d", day, u, d.Total, d.Done(), d.Overdue, d.ByLight[ledger.LightYellow])
		}
	}
}
