package models

import (
	"context"
	"fmt"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
)

// DashboardTrend is what the trends of a dashboard are drawn from: the
// tasks in reach counted by plan, and by day — the day each falls due
// (its current deadline), is closed (销号) and became done. Days are in
// the plan's zone.
type DashboardTrend struct {
	Tasks  map[uint]int // by plan
	Due    map[ledger.Date]int
	Closed map[ledger.Date]int
	// Done is when tasks became done: closed (an imported closure, whose
	// day the ledger does not give, on the day of its import), or a
	// long-term task's stage goals met. A task reopened since is open.
	Done map[ledger.Date]int
}

// DashboardTrends counts the tasks in reach by plan and by day: one query,
// one pass over the tasks grouped by their days (a few hundred groups).
func (s *Store) DashboardTrends(ctx context.Context, r TaskReach, scope DashboardScope, asOf ledger.Date) (DashboardTrend, error) {
	out := DashboardTrend{Tasks: map[uint]int{}, Due: map[ledger.Date]int{}, Closed: map[ledger.Date]int{}, Done: map[ledger.Date]int{}}
	params := map[string]any{}
	where := r.sql(params)
	// The plan is joined for its import time (an imported closure's day);
	// the zone's offset then costs nothing more.
	offset := "CAST(@tzoff AS integer)"
	if zones := scope.zones(); len(zones) > 1 {
		offset = zoneOffsetSQL(zones, asOf, params)
	} else {
		loc := Plan{}.Location()
		for _, l := range zones {
			loc = l
		}
		params["tzoff"] = offsetOn(loc, asOf)
	}
	d := DialectOf(s.db)
	closed := `CASE WHEN t.status = 'closed' AND t.closed_at IS NOT NULL THEN ` + daySQL(d, "t.closed_at", offset) + ` END`
	done := `CASE WHEN t.status = 'closed' THEN ` + daySQL(d, "COALESCE(t.closed_at, pl.created_at)", offset) + `
		WHEN t.status = 'ongoing' AND t.stage_done_at IS NOT NULL THEN ` + daySQL(d, "t.stage_done_at", offset) + ` END`
	q := `SELECT t.plan_id, t.deadline, ` + closed + `, ` + done + `, COUNT(*)
		FROM tasks t JOIN plans pl ON pl.id = t.plan_id
		WHERE ` + where + `
		GROUP BY 1, 2, 3, 4` // by position: the days' expressions hold parameters
	err := eachRow(s.db.WithContext(ctx).Raw(q, params), func(scan func(...any) error) error {
		var (
			plan                    uint
			deadline, closed, doneD Date
			n                       int
		)
		if err := scan(&plan, &deadline, &closed, &doneD, &n); err != nil {
			return err
		}
		out.Tasks[plan] += n
		if !deadline.IsZero() {
			out.Due[deadline.Date] += n
		}
		if !closed.IsZero() {
			out.Closed[closed.Date] += n
		}
		if !doneD.IsZero() {
			out.Done[doneD.Date] += n
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("dashboard: trends: %w", err)
	}
	return out, nil
}

// daySQL is the day of a timestamp expression (stored in UTC) in a zone
// offset by minutes (an SQL expression): a date on PostgreSQL,
// 'YYYY-MM-DD' text on SQLite, as closedDaySQL for t.closed_at.
func daySQL(d dburl.Dialect, ts, minutes string) string {
	if d == dburl.Postgres {
		return "CAST((" + ts + " AT TIME ZONE 'UTC') + CAST(" + minutes + " AS integer) * INTERVAL '1 minute' AS date)"
	}
	return "date(" + ts + ", (" + minutes + ") || ' minutes')"
}
