package models

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
)

// Overview is the supervisors' ranking of the units on day asOf (issue 11,
// item 4): per unit its tasks, done, on-time rate (see ledger.UnitSummary
// for the exact rule), overdue and yellow, closures and new deadlines
// awaiting a decision, and the day it last reported. units limits it to
// those units (nil: every unit; empty: none). Three queries whatever the
// number of units: the units with their plans' zones, one aggregate of the
// tasks grouped by unit, and one of the reports and deadline requests
// grouped by unit.
func (s *Store) Overview(ctx context.Context, asOf ledger.Date, units []uint, th ledger.LightThresholds) (ledger.Overview, error) {
	ov := ledger.Overview{AsOf: asOf}
	if units != nil && len(units) == 0 {
		return ov, nil
	}
	db := s.db.WithContext(ctx)
	params := map[string]any{"today": DateOf(asOf), "soon": DateOf(asOf.AddDays(th.YellowWithinDays))}
	inUnits := ""
	if units != nil {
		params["units"] = units
		inUnits = " AND pl.unit_id IN @units"
	}

	var heads []struct {
		ID        uint
		Name      string
		ShortName string
		TimeZone  *string // nil: a unit without a plan
	}
	where := ""
	if units != nil {
		where = " WHERE u.id IN @units"
	}
	q := `SELECT u.id, u.name, u.short_name, pl.time_zone FROM units u LEFT JOIN plans pl ON pl.unit_id = u.id` + where +
		` GROUP BY u.id, u.name, u.short_name, pl.time_zone ORDER BY u.id, MIN(pl.id)`
	if err := db.Raw(q, named(q, params)...).Scan(&heads).Error; err != nil {
		return ov, fmt.Errorf("overview: units: %w", err)
	}
	byID := map[uint]*ledger.UnitSummary{}
	zoneOf := map[uint]*time.Location{}
	zones := map[string]*time.Location{}
	var order []uint
	for _, h := range heads {
		if _, seen := byID[h.ID]; !seen {
			byID[h.ID] = &ledger.UnitSummary{UnitID: h.ID, Name: h.Name, ShortName: h.ShortName}
			order = append(order, h.ID)
		}
		if h.TimeZone == nil {
			continue
		}
		loc := Plan{TimeZone: *h.TimeZone}.Location()
		zones[*h.TimeZone] = loc
		if zoneOf[h.ID] == nil {
			zoneOf[h.ID] = loc // a unit's plans share a zone in practice; the first plan's says
		}
	}

	var counts []struct {
		UnitID                                                uint
		Tasks, Done, Due, OnTime, Overdue, Yellow, Awaiting int
	}
	closedDay := closedDaySQL(DialectOf(s.db), zoneOffsetSQL(zones, asOf, params))
	err := db.Raw(`SELECT unit_id, COUNT(*) AS tasks, SUM(done) AS done, SUM(due) AS due, SUM(on_time) AS on_time,
			SUM(CASE WHEN light = 'red' THEN 1 ELSE 0 END) AS overdue,
			SUM(CASE WHEN light = 'yellow' THEN 1 ELSE 0 END) AS yellow,
			SUM(CASE WHEN status = 'pending_verification' THEN 1 ELSE 0 END) AS awaiting
		FROM (SELECT pl.unit_id, t.status, `+lightSQL+` AS light,
			CASE WHEN t.status = 'closed' OR (t.status = 'ongoing' AND t.stage_done_at IS NOT NULL) THEN 1 ELSE 0 END AS done,
			CASE WHEN t.deadline IS NOT NULL AND (t.status = 'closed' OR t.deadline < @today) THEN 1 ELSE 0 END AS due,
			CASE WHEN t.deadline IS NOT NULL AND t.status = 'closed'
				AND (t.closed_at IS NULL OR `+closedDay+` <= t.deadline) THEN 1 ELSE 0 END AS on_time
			FROM tasks t JOIN plans pl ON pl.id = t.plan_id
			WHERE 1 = 1`+inUnits+`) x
		GROUP BY unit_id`, params).Scan(&counts).Error
	if err != nil {
		return ov, fmt.Errorf("overview: tasks: %w", err)
	}
	for _, c := range counts {
		if u := byID[c.UnitID]; u != nil {
			u.Tasks, u.Done, u.Due, u.OnTime = c.Tasks, c.Done, c.Due, c.OnTime
			u.Overdue, u.Yellow, u.AwaitingClosure = c.Overdue, c.Yellow, c.Awaiting
		}
	}

	// The latest report and the pending deadline requests, per unit, in one
	// statement: the report branch first, so the column takes its type.
	var extra []struct {
		UnitID     uint
		Requests   int
		LastReport dbTime
	}
	q = `SELECT pl.unit_id, 0 AS requests, MAX(p.created_at) AS last_report
			FROM progress_entries p JOIN tasks t ON t.id = p.task_id JOIN plans pl ON pl.id = t.plan_id
			WHERE p.source <> 'import'` + inUnits + ` GROUP BY pl.unit_id
		UNION ALL
		SELECT pl.unit_id, COUNT(*), NULL
			FROM deadline_changes dc JOIN tasks t ON t.id = dc.task_id JOIN plans pl ON pl.id = t.plan_id
			WHERE dc.state = 'pending' AND t.status <> 'closed'` + inUnits + ` GROUP BY pl.unit_id`
	err = db.Raw(q, named(q, params)...).Scan(&extra).Error
	if err != nil {
		return ov, fmt.Errorf("overview: reports and requests: %w", err)
	}
	for _, e := range extra {
		u := byID[e.UnitID]
		if u == nil {
			continue
		}
		u.DeadlineRequests += e.Requests
		if e.LastReport.Valid {
			loc := zoneOf[e.UnitID]
			if loc == nil {
				loc = Plan{}.Location()
			}
			u.LastReport = ledger.DateOf(e.LastReport.Time.In(loc))
		}
	}
	ov.Units = make([]ledger.UnitSummary, 0, len(order))
	for _, id := range order {
		ov.Units = append(ov.Units, *byID[id])
	}
	ledger.RankUnits(ov.Units)
	return ov, nil
}

// named is params as GORM's Raw wants them: a map of named parameters when
// the statement names one, else nothing (a map would be taken for a
// positional argument).
func named(q string, params map[string]any) []any {
	if strings.Contains(q, "@") {
		return []any{params}
	}
	return nil
}

// zoneOffsetSQL is the UTC offset, in minutes, of a task's plan zone on day
// asOf, as a CASE over the zones the plans name (a handful; unknown names
// are Plan.Location's default). Offsets are taken on asOf: a closure within
// hours of a daylight-saving change may be placed a day off, which China's
// zone, without one, never is.
func zoneOffsetSQL(zones map[string]*time.Location, asOf ledger.Date, params map[string]any) string {
	offset := func(loc *time.Location) int {
		_, secs := asOf.StartIn(loc).Add(12 * time.Hour).Zone()
		return secs / 60
	}
	// Sorted, so the statement's text is the same from call to call.
	names := slices.Sorted(maps.Keys(zones))
	var b strings.Builder
	b.WriteString("CASE pl.time_zone")
	for i, name := range names {
		z, o := "tz"+strconv.Itoa(i), "tzoff"+strconv.Itoa(i)
		params[z], params[o] = name, offset(zones[name])
		fmt.Fprintf(&b, " WHEN @%s THEN CAST(@%s AS integer)", z, o)
	}
	params["tzdefault"] = offset(Plan{}.Location())
	b.WriteString(" ELSE CAST(@tzdefault AS integer) END")
	return b.String()
}

// closedDaySQL is the day of t.closed_at (stored in UTC) in the plan's zone,
// offset by minutes (an SQL expression): a date on PostgreSQL, 'YYYY-MM-DD'
// text on SQLite, each comparable with t.deadline on its engine.
func closedDaySQL(d dburl.Dialect, minutes string) string {
	if d == dburl.Postgres {
		return "CAST((t.closed_at AT TIME ZONE 'UTC') + CAST(" + minutes + " AS integer) * INTERVAL '1 minute' AS date)"
	}
	return "date(t.closed_at, (" + minutes + ") || ' minutes')"
}

// dbTime scans a timestamp an aggregate returns: PostgreSQL gives a
// time.Time, SQLite the text it stored (MAX loses the column's type).
type dbTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeLayouts are the forms the SQLite driver writes times in.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// GormDataType keeps GORM from taking the struct for a relation.
func (dbTime) GormDataType() string { return "time" }

// Scan implements sql.Scanner.
func (t *dbTime) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*t = dbTime{}
		return nil
	case time.Time:
		*t = dbTime{Time: v, Valid: true}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("models: cannot scan %T as a time", src)
	}
	for _, layout := range sqliteTimeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			*t = dbTime{Time: v, Valid: true}
			return nil
		}
	}
	return fmt.Errorf("models: cannot read %q as a time", s)
}
