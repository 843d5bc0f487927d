package models

// The Mini App's dashboard (issue 14): where the tasks a person reads
// stand (dashboard_counts.go), how they moved (dashboard_trends.go) and one
// task's whole history (dashboard_task.go) — each in a fixed number of
// queries whatever the ledger's size.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

// TaskReach is which tasks a dashboard covers: what a person reads as a
// whole (the reach of their digest), and an officer's own tasks.
type TaskReach struct {
	// Reads is the person's digest reach (ledger.ReadReach); nil: none.
	Reads *ledger.Reach
	// Officer adds an officer's tasks: their own and their department's
	// (the tasks of /tasks, and of ledger.Authorize's ActViewTask).
	Officer *OfficerReach
}

// OfficerReach names an officer's tasks. Zero ids match no task.
type OfficerReach struct {
	PersonID, DepartmentID uint
	UnitID                 uint // 0: above the units (not restricted)
}

// sql is the reach as a condition on the tasks t alone (no join: the
// dashboard's aggregates read nothing else of the rows they count), with
// its params (added to params). The reading part is the digest's
// condition (DigestFilter.sql) without its plan and department filters;
// TestDashboardReachIsTheBots keeps the two in step.
func (r TaskReach) sql(params map[string]any) string {
	var parts []string
	if rd := r.Reads; rd != nil {
		var conds []string
		if rd.Units != nil {
			params["reach_units"] = rd.Units
			conds = append(conds, "t.plan_id IN (SELECT id FROM plans WHERE unit_id IN @reach_units)")
		}
		if !rd.All {
			params["reach_leader"] = rd.LeaderID
			if len(rd.DepartmentIDs) == 0 {
				conds = append(conds, "t.leader_id = @reach_leader")
			} else {
				params["reach_depts"] = rd.DepartmentIDs
				conds = append(conds, "(t.department_id IN @reach_depts OR t.leader_id = @reach_leader)")
			}
		}
		if len(conds) == 0 {
			conds = append(conds, "1 = 1")
		}
		parts = append(parts, "("+strings.Join(conds, " AND ")+")")
	}
	if o := r.Officer; o != nil {
		params["own_officer"], params["own_dept"] = o.PersonID, o.DepartmentID
		cond := "(t.officer_id = @own_officer OR t.department_id = @own_dept)"
		if o.UnitID != 0 {
			params["own_unit"] = o.UnitID
			cond = "(" + cond + " AND t.plan_id IN (SELECT id FROM plans WHERE unit_id = @own_unit))"
		}
		parts = append(parts, cond)
	}
	if len(parts) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// Units are the units the reach may touch; nil: every unit.
func (r TaskReach) Units() []uint {
	var out []uint
	if r.Reads != nil {
		if r.Reads.Units == nil {
			return nil
		}
		out = append(out, r.Reads.Units...)
	}
	if r.Officer != nil {
		if r.Officer.UnitID == 0 {
			return nil
		}
		out = append(out, r.Officer.UnitID)
	}
	if out == nil {
		out = []uint{} // none, not every unit
	}
	return out
}

// DashboardUnit is a unit of a dashboard with its plans.
type DashboardUnit struct {
	ID              uint
	Name, ShortName string
}

// Label is how the dashboard names the unit: its short name, else its name.
func (u DashboardUnit) Label() string {
	if u.ShortName != "" {
		return u.ShortName
	}
	return u.Name
}

// DashboardPlan is what the dashboard needs of a plan: its unit, zone and
// when it began (the feedback date; the import for an imported closure).
type DashboardPlan struct {
	ID, UnitID   uint
	FeedbackDate ledger.Date
	CreatedAt    time.Time
	ZoneName     string
	Zone         *time.Location
}

// DashboardScope is the units a reach may touch (id order) and their plans.
type DashboardScope struct {
	Units []DashboardUnit
	Plans map[uint]DashboardPlan
}

// zones lists the zones the plans name, by name.
func (s DashboardScope) zones() map[string]*time.Location {
	out := map[string]*time.Location{}
	for _, p := range s.Plans {
		out[p.ZoneName] = p.Zone
	}
	return out
}

// DashboardScopeOf loads the units (nil: every unit) with their plans: one
// query.
func (s *Store) DashboardScopeOf(ctx context.Context, units []uint) (DashboardScope, error) {
	out := DashboardScope{Plans: map[uint]DashboardPlan{}}
	if units != nil && len(units) == 0 {
		return out, nil
	}
	q := `SELECT u.id, u.name, u.short_name, pl.id, pl.time_zone, pl.feedback_date, pl.created_at
		FROM units u LEFT JOIN plans pl ON pl.unit_id = u.id`
	params := map[string]any{"units": units}
	if units != nil {
		q += ` WHERE u.id IN @units`
	}
	q += ` ORDER BY u.id, pl.id`
	err := eachRow(s.db.WithContext(ctx).Raw(q, named(q, params)...), func(scan func(...any) error) error {
		var (
			u        DashboardUnit
			plan     sql.NullInt64
			zone     sql.NullString
			feedback Date
			created  dbTime
		)
		if err := scan(&u.ID, &u.Name, &u.ShortName, &plan, &zone, &feedback, &created); err != nil {
			return err
		}
		if n := len(out.Units); n == 0 || out.Units[n-1].ID != u.ID {
			out.Units = append(out.Units, u)
		}
		if plan.Valid {
			out.Plans[uint(plan.Int64)] = DashboardPlan{ID: uint(plan.Int64), UnitID: u.ID, FeedbackDate: feedback.Date,
				CreatedAt: created.Time, ZoneName: zone.String, Zone: Plan{TimeZone: zone.String}.Location()}
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("dashboard: units: %w", err)
	}
	return out, nil
}

// DashboardDeadlineRequests counts the new deadlines asked and not yet
// decided on open tasks in reach (the digest's DeadlineRequests): one query.
func (s *Store) DashboardDeadlineRequests(ctx context.Context, r TaskReach) (int, error) {
	params := map[string]any{}
	q := `SELECT COUNT(*) FROM deadline_changes dc JOIN tasks t ON t.id = dc.task_id
		WHERE dc.state = 'pending' AND t.status <> 'closed' AND ` + r.sql(params)
	var n int64
	if err := s.db.WithContext(ctx).Raw(q, named(q, params)...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("dashboard: deadline requests: %w", err)
	}
	return int(n), nil
}

// DashboardOverdue lists the open tasks in reach past their deadline on
// day asOf, most days late first (the digest's overdue list), at most
// limit of them (0: all), and how many there are in all: one query.
func (s *Store) DashboardOverdue(ctx context.Context, r TaskReach, asOf ledger.Date, limit int) ([]ledger.TaskLine, int, error) {
	params := map[string]any{"today": DateOf(asOf), "limit": limit}
	q := `SELECT t.id, t.code, t.title, d.name, o.name, l.name, t.status, t.deadline, COUNT(*) OVER ()
		FROM ` + taskFrom + `
		WHERE t.status <> 'closed' AND t.deadline < @today AND ` + r.sql(params) + `
		ORDER BY t.deadline, t.seq, t.id`
	if limit > 0 {
		q += " LIMIT @limit"
	}
	var (
		out   []ledger.TaskLine
		total int
	)
	err := eachRow(s.db.WithContext(ctx).Raw(q, params), func(scan func(...any) error) error {
		var (
			l        ledger.TaskLine
			status   string
			deadline Date
		)
		if err := scan(&l.TaskID, &l.Code, &l.Title, &l.Department, &l.Officer, &l.Leader, &status, &deadline, &total); err != nil {
			return err
		}
		l.Status, l.Deadline = ledger.Status(status), deadline.Date
		l.Days = l.Deadline.DaysUntil(asOf)
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("dashboard: overdue: %w", err)
	}
	return out, total, nil
}

// zoneOffset is the plans' UTC offset in minutes on asOf as an SQL
// expression, and the join it needs: a constant for plans in one zone (no
// join, as the overview), a CASE over the plan's zone otherwise.
func (s *Store) zoneOffset(scope DashboardScope, asOf ledger.Date, params map[string]any) (string, string) {
	zones := scope.zones()
	if len(zones) > 1 {
		return zoneOffsetSQL(zones, asOf, params), " JOIN plans pl ON pl.id = t.plan_id"
	}
	loc := Plan{}.Location()
	for _, l := range zones {
		loc = l
	}
	params["tzoff"] = offsetOn(loc, asOf)
	return "CAST(@tzoff AS integer)", ""
}
