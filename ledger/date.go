package ledger

import (
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no zone: deadlines and
// "as of" days are dates in the plan's time zone, so comparing them never
// depends on the server's zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day t falls on in t's own location. Callers convert t
// to the plan's zone first (t.In(loc)).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// NewDate builds a date and reports whether it exists in the calendar
// (2021-02-30 does not).
func NewDate(year int, month time.Month, day int) (Date, bool) {
	d := Date{year, month, day}
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 {
		return Date{}, false
	}
	return d, DateOf(d.time()) == d
}

// MustDate is NewDate for literals in code and tests; it panics on a
// non-existent day.
func MustDate(year int, month time.Month, day int) Date {
	d, ok := NewDate(year, month, day)
	if !ok {
		panic(fmt.Sprintf("ledger: no such date %04d-%02d-%02d", year, month, day))
	}
	return d
}

// ParseISODate parses YYYY-MM-DD.
func ParseISODate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: expected YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// LastDayOfMonth returns the last day of the given month.
func LastDayOfMonth(year int, month time.Month) Date {
	return DateOf(time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC))
}

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Chinese writes d as Chinese text and documents do (GB/T 15835):
// 2021年9月14日, without leading zeros.
func (d Date) Chinese() string { return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day) }

// AddDays returns d moved by n calendar days (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.time().AddDate(0, 0, n)) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int { return d.time().Compare(o.time()) }

// DaysUntil returns the number of calendar days from d to o (negative when o
// is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.time().Sub(d.time()).Hours() / 24) }

// StartIn returns midnight of d in loc.
func (d Date) StartIn(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// UTCMidnight is how a date is stored in a DATE column.
func (d Date) UTCMidnight() time.Time { return d.time() }

// DeadlineMove is an approved change of a task's deadline: from, to, who
// approved it ("" for the office at the command line) and the reason given
// for it (the 台账's 调整理由).
type DeadlineMove struct {
	From, To   Date
	ApprovedBy string
	Reason     string
}
