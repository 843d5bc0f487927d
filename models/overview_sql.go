package models

// The SQL pieces of the overview (overview.go) that differ by engine or
// by the plans' zones, and the scanning of an aggregated timestamp.

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
)

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
// are Plan.Location's default), for a statement that joins the plan as pl.
func zoneOffsetSQL(zones map[string]*time.Location, asOf ledger.Date, params map[string]any) string {
	// Sorted, so the statement's text is the same from call to call.
	names := slices.Sorted(maps.Keys(zones))
	var b strings.Builder
	b.WriteString("CASE pl.time_zone")
	for i, name := range names {
		z, o := "tz"+strconv.Itoa(i), "tzoff"+strconv.Itoa(i)
		params[z], params[o] = name, offsetOn(zones[name], asOf)
		fmt.Fprintf(&b, " WHEN @%s THEN CAST(@%s AS integer)", z, o)
	}
	params["tzdefault"] = offsetOn(Plan{}.Location(), asOf)
	b.WriteString(" ELSE CAST(@tzdefault AS integer) END")
	return b.String()
}

// offsetOn is loc's UTC offset in minutes at noon on day. Offsets are
// taken on the overview's day: a closure within hours of a daylight-saving
// change may be placed a day off, which China's zone, without one, never
// is.
func offsetOn(loc *time.Location, day ledger.Date) int {
	_, secs := day.StartIn(loc).Add(12 * time.Hour).Zone()
	return secs / 60
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
