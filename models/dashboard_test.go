package models_test

import (
	"context"
	"testing"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// TestDashboardMatchesOverview: on the two units of the overview's test
// (two zones, closures around midnight, a report, a closure and a new
// deadline awaiting), the dashboard's counts summed by unit are the
// overview's, each unit's and both together, in a fixed number of
// queries.
func TestDashboardMatchesOverview(t *testing.T) {
	e := newEnv(t)
	qc := testdb.CountQueries(t, e.db)
	twoUnits(t, e)
	ctx := context.Background()
	th := ledger.DefaultLightThresholds
	ov, err := e.store.Overview(ctx, ovAsOf, nil, th)
	if err != nil {
		t.Fatal(err)
	}
	all := &ledger.Reach{All: true}
	for _, reach := range []*ledger.Reach{all, {Units: []uint{ov.Units[0].UnitID}, All: true}} {
		r := models.TaskReach{Reads: reach}
		var (
			scope    models.DashboardScope
			depts    []models.DepartmentTally
			totals   models.Tally
			requests int
		)
		n := qc.Count(func() {
			if scope, err = e.store.DashboardScopeOf(ctx, r.Units()); err != nil {
				t.Fatal(err)
			}
			if depts, err = e.store.DashboardDepartments(ctx, r, scope, ovAsOf, th); err != nil {
				t.Fatal(err)
			}
			if totals, err = e.store.DashboardTotals(ctx, r, scope, ovAsOf, th); err != nil {
				t.Fatal(err)
			}
			if requests, err = e.store.DashboardDeadlineRequests(ctx, r); err != nil {
				t.Fatal(err)
			}
		})
		if n != 4 {
			t.Errorf("%d statements, want 4", n)
		}
		byUnit := map[uint]*models.Tally{}
		var sum models.Tally
		for _, d := range depts {
			if byUnit[d.UnitID] == nil {
				byUnit[d.UnitID] = &models.Tally{}
			}
			byUnit[d.UnitID].Add(d.Tally)
			sum.Add(d.Tally)
		}
		sum.LastReport = ledger.Date{} // the totals leave it out
		if sum != totals {
			t.Errorf("totals %+v, the departments' sum %+v", totals, sum)
		}
		wantRequests := 0
		for _, u := range ov.Units {
			got, in := byUnit[u.UnitID]
			if reach.Units != nil && u.UnitID != reach.Units[0] {
				if in {
					t.Errorf("unit %d counted outside the reach", u.UnitID)
				}
				continue
			}
			wantRequests += u.DeadlineRequests
			if !in || got.Tasks != u.Tasks || got.Done() != u.Done || got.Due != u.Due || got.OnTime != u.OnTime ||
				got.Red != u.Overdue || got.Yellow != u.Yellow || got.Status(ledger.StatusPendingVerification) != u.AwaitingClosure ||
				got.LastReport != u.LastReport {
				t.Errorf("unit %s: dashboard %+v, overview %+v", u.Name, got, u)
			}
		}
		if requests != wantRequests {
			t.Errorf("deadline requests %d, want %d", requests, wantRequests)
		}
	}
}

// TestDashboardReachIsTheBots: on the Dongguan ledger, a leader's counts
// are their digest's, an officer's tasks are their /tasks, and one with
// no reach counts nothing.
func TestDashboardReachIsTheBots(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	th := ledger.DefaultLightThresholds
	var leader, officer models.Person
	if err := e.db.Where("name = ?", "分管社会治理副书记").Take(&leader).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.db.Where("name = ?", "周杰").Take(&officer).Error; err != nil {
		t.Fatal(err)
	}
	lm, err := e.store.MemberByID(ctx, leader.ID)
	if err != nil {
		t.Fatal(err)
	}
	om, err := e.store.MemberByID(ctx, officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := func(r models.TaskReach) models.Tally {
		t.Helper()
		scope, err := e.store.DashboardScopeOf(ctx, r.Units())
		if err != nil {
			t.Fatal(err)
		}
		all, err := e.store.DashboardTotals(ctx, r, scope, ovAsOf, th)
		if err != nil {
			t.Fatal(err)
		}
		return all
	}

	reach := ledger.ReadReach(lm.Actor)
	d, err := e.store.Digest(ctx, models.DigestFilter{Reach: &reach}, ovAsOf, th)
	if err != nil {
		t.Fatal(err)
	}
	got := count(models.TaskReach{Reads: &reach})
	if got.Tasks != 5 || got.Tasks != d.Total || got.Done() != d.Done() || got.Red != d.Overdue || got.Yellow != d.ByLight[ledger.LightYellow] {
		t.Errorf("leader: dashboard %+v, digest %d tasks, %d done, %d overdue", got, d.Total, d.Done(), d.Overdue)
	}

	o := om.Actor
	tasks, err := e.store.TasksFor(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	got = count(models.TaskReach{Officer: &models.OfficerReach{PersonID: o.PersonID, DepartmentID: o.DepartmentID, UnitID: o.UnitID}})
	if got.Tasks != 3 || got.Tasks != len(tasks) {
		t.Errorf("officer: dashboard %d tasks, /tasks %d", got.Tasks, len(tasks))
	}
	lines, _, err := e.store.DashboardOverdue(ctx, models.TaskReach{Officer: &models.OfficerReach{PersonID: o.PersonID}}, ovAsOf, 0)
	if err != nil || len(lines) != 1 || lines[0].Code != "立行立改四" || lines[0].Days != 1 {
		t.Errorf("officer's overdue: %+v, %v", lines, err)
	}
	if got := count(models.TaskReach{}); got.Tasks != 0 {
		t.Errorf("no reach: %+v", got)
	}
	// A phone is sent the longest overdue first, the rest counted.
	all := ledger.ReadReach(ledger.Actor{Roles: []ledger.Role{ledger.RoleAdmin}})
	every, total, err := e.store.DashboardOverdue(ctx, models.TaskReach{Reads: &all}, ovAsOf.AddDays(60), 0)
	if err != nil || len(every) < 2 || total != len(every) {
		t.Fatalf("every overdue task 60 days on: %d of %d, %v", len(every), total, err)
	}
	first, total, err := e.store.DashboardOverdue(ctx, models.TaskReach{Reads: &all}, ovAsOf.AddDays(60), 1)
	if err != nil || total != len(every) || len(first) != 1 || first[0].TaskID != every[0].TaskID {
		t.Errorf("the first of %d: %+v (total %d), %v", len(every), first, total, err)
	}
}
