package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// Overview is the supervisors' ranking of the units on day asOf (issue 11,
// item 4): per unit its tasks, done, on-time rate (see ledger.UnitSummary
// for the exact rule), overdue and yellow, closures and new deadlines
// awaiting a decision, and the day it last reported. units limits it to
// those units (nil: every unit; empty: none).
//
// Three queries whatever the number of units: the units with their plans;
// one pass over the tasks, counted by plan, with the latest report (kept
// on the task as last_report_at, migration 00011: joining every progress
// entry to its task cost a third of the overview); and the pending
// deadline requests by plan. Counting by plan (summed by unit here) spares
// joining every task to its plan — the plan is joined only when the plans
// are in more than one zone.
func (s *Store) Overview(ctx context.Context, asOf ledger.Date, units []uint, th ledger.LightThresholds) (ledger.Overview, error) {
	ov := ledger.Overview{AsOf: asOf}
	if units != nil && len(units) == 0 {
		return ov, nil
	}
	db := s.db.WithContext(ctx)
	params := map[string]any{"today": DateOf(asOf), "soon": DateOf(asOf.AddDays(th.YellowWithinDays))}
	scope, requestScope := "", ""
	if units != nil {
		params["units"] = units
		scope = " AND t.plan_id IN (SELECT id FROM plans WHERE unit_id IN @units)"
		requestScope = " AND dc.task_id IN (SELECT t.id FROM tasks t WHERE 1 = 1" + scope + ")"
	}
	byID, order, plans, zones, err := overviewUnits(db, units, params)
	if err != nil {
		return ov, err
	}

	offset, zoneJoin := "CAST(@tzoff AS integer)", ""
	if len(zones) > 1 {
		offset, zoneJoin = zoneOffsetSQL(zones, asOf, params), " JOIN plans pl ON pl.id = t.plan_id"
	} else {
		loc := Plan{}.Location()
		for _, l := range zones {
			loc = l
		}
		params["tzoff"] = offsetOn(loc, asOf)
	}
	// COUNT(*) FILTER is PostgreSQL's and SQLite's (3.30+) alike, and
	// cheaper per row than SUM(CASE …). The lights are lightSQL's cases:
	// red is open and past the deadline, yellow open and due by @soon
	// (TestOverviewMatchesTheDigest keeps them the digest's).
	q := `SELECT t.plan_id, COUNT(*),
			COUNT(*) FILTER (WHERE t.status = 'closed' OR (t.status = 'ongoing' AND t.stage_done_at IS NOT NULL)),
			COUNT(*) FILTER (WHERE t.deadline IS NOT NULL AND (t.status = 'closed' OR t.deadline < @today)),
			COUNT(*) FILTER (WHERE t.deadline IS NOT NULL AND t.status = 'closed'
				AND (t.closed_at IS NULL OR ` + closedDaySQL(DialectOf(s.db), offset) + ` <= t.deadline)),
			COUNT(*) FILTER (WHERE t.status <> 'closed' AND t.deadline < @today),
			COUNT(*) FILTER (WHERE t.status <> 'closed' AND t.deadline >= @today AND t.deadline <= @soon),
			COUNT(*) FILTER (WHERE t.status = 'pending_verification'),
			MAX(t.last_report_at)
		FROM tasks t` + zoneJoin + ` WHERE 1 = 1` + scope + ` GROUP BY t.plan_id`
	err = eachRow(db.Raw(q, params), func(scan func(...any) error) error {
		var (
			plan                                                uint
			tasks, done, due, onTime, overdue, yellow, awaiting int
			last                                                dbTime
		)
		if err := scan(&plan, &tasks, &done, &due, &onTime, &overdue, &yellow, &awaiting, &last); err != nil {
			return err
		}
		p, ok := plans[plan]
		if !ok {
			return nil // a plan made since the units were read
		}
		u := p.unit
		u.Tasks += tasks
		u.Done += done
		u.Due += due
		u.OnTime += onTime
		u.Overdue += overdue
		u.Yellow += yellow
		u.AwaitingClosure += awaiting
		if last.Valid {
			if day := ledger.DateOf(last.Time.In(p.loc)); day.After(u.LastReport) {
				u.LastReport = day
			}
		}
		return nil
	})
	if err != nil {
		return ov, fmt.Errorf("overview: tasks: %w", err)
	}

	// A request's plan is looked up per request (a few, by primary key):
	// a join made the database read every task. A closed task's request
	// is moot, and has no plan here.
	q = `SELECT (SELECT t.plan_id FROM tasks t WHERE t.id = dc.task_id AND t.status <> 'closed'), COUNT(*)
			FROM deadline_changes dc WHERE dc.state = 'pending'` + requestScope + ` GROUP BY 1`
	err = eachRow(db.Raw(q, named(q, params)...), func(scan func(...any) error) error {
		var (
			plan     sql.NullInt64
			requests int
		)
		if err := scan(&plan, &requests); err != nil {
			return err
		}
		if p, ok := plans[uint(plan.Int64)]; ok { // else a closed task's request, or a plan made since the units were read
			p.unit.DeadlineRequests += requests
		}
		return nil
	})
	if err != nil {
		return ov, fmt.Errorf("overview: deadline requests: %w", err)
	}
	ov.Units = make([]ledger.UnitSummary, 0, len(order))
	for _, id := range order {
		ov.Units = append(ov.Units, *byID[id])
	}
	ledger.RankUnits(ov.Units)
	return ov, nil
}

// eachRow runs a query and hands each row to f, scanning it straight into
// variables: GORM's reflection over thousands of rows cost more than the
// database's work.
func eachRow(q *gorm.DB, f func(scan func(...any) error) error) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// UnitByID loads a unit by id (a button names it so); ErrNotFound when
// there is none.
func (s *Store) UnitByID(ctx context.Context, id uint) (Unit, error) {
	var u Unit
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return u, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	case err != nil:
		return u, fmt.Errorf("load unit %d: %w", id, err)
	}
	return u, nil
}

// planOfUnit is what the overview needs of a plan: its unit's line and
// its zone.
type planOfUnit struct {
	unit *ledger.UnitSummary
	loc  *time.Location
}

// overviewUnits reads the units (those given, or all) with their plans, in
// one query: the units' lines to fill, in id order, the plans by id and
// the zones the plans name.
func overviewUnits(db *gorm.DB, units []uint, params map[string]any) (map[uint]*ledger.UnitSummary, []uint, map[uint]planOfUnit, map[string]*time.Location, error) {
	fail := func(err error) (map[uint]*ledger.UnitSummary, []uint, map[uint]planOfUnit, map[string]*time.Location, error) {
		return nil, nil, nil, nil, fmt.Errorf("overview: units: %w", err)
	}
	q := `SELECT u.id, u.name, u.short_name, pl.id, pl.time_zone FROM units u LEFT JOIN plans pl ON pl.unit_id = u.id`
	if units != nil {
		q += ` WHERE u.id IN @units`
	}
	byID := map[uint]*ledger.UnitSummary{}
	plans := map[uint]planOfUnit{}
	zones := map[string]*time.Location{}
	var order []uint
	q += ` ORDER BY u.id, pl.id`
	err := eachRow(db.Raw(q, named(q, params)...), func(scan func(...any) error) error {
		var (
			id          uint
			name, short string
			plan        sql.NullInt64
			zone        sql.NullString
		)
		if err := scan(&id, &name, &short, &plan, &zone); err != nil {
			return err
		}
		if byID[id] == nil {
			byID[id] = &ledger.UnitSummary{UnitID: id, Name: name, ShortName: short}
			order = append(order, id)
		}
		if !plan.Valid {
			return nil // a unit without a plan yet
		}
		loc, ok := zones[zone.String]
		if !ok {
			loc = Plan{TimeZone: zone.String}.Location()
			zones[zone.String] = loc
		}
		plans[uint(plan.Int64)] = planOfUnit{unit: byID[id], loc: loc}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return byID, order, plans, zones, nil
}
