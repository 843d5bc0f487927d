package ledger

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Calendar says which days are working days: messages go out, and overdue
// reminders repeat, only on those (SPEC §4).
type Calendar interface {
	IsWorkday(d Date) bool
}

// WeekdaysCalendar works Monday to Friday.
type WeekdaysCalendar struct{}

// IsWorkday reports whether d is Monday to Friday.
func (WeekdaysCalendar) IsWorkday(d Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// EveryDayCalendar works every day.
type EveryDayCalendar struct{}

// IsWorkday is always true.
func (EveryDayCalendar) IsWorkday(Date) bool { return true }

// ChinaCalendar is the mainland working calendar: Monday to Friday, except
// statutory holidays, plus the weekend days made working days (调休). The
// arrangement comes from lunar-go's HolidayUtil; overrides win over it, for
// years the State Council has not announced when the library was released.
type ChinaCalendar struct {
	overrides map[Date]bool // true: workday, false: day off
}

// NewChinaCalendar returns the China calendar with the given overrides
// (true = workday, false = day off). The map is copied.
func NewChinaCalendar(overrides map[Date]bool) *ChinaCalendar {
	return &ChinaCalendar{overrides: maps.Clone(overrides)}
}

// IsWorkday reports whether d is a working day in mainland China.
func (c *ChinaCalendar) IsWorkday(d Date) bool {
	if c != nil {
		if work, ok := c.overrides[d]; ok {
			return work
		}
	}
	if work, ok := chinaArrangement().days[d]; ok {
		return work
	}
	return WeekdaysCalendar{}.IsWorkday(d)
}

// Covers reports whether the library knows the holiday arrangement of the
// year. For a year it does not, the calendar falls back to Monday to Friday
// plus overrides, and the operator should be told to add overrides.
func (c *ChinaCalendar) Covers(year int) bool { return chinaArrangement().years[year] }

// holidayArrangement is the library's data as a lookup table.
type holidayArrangement struct {
	days  map[Date]bool // true: make-up workday, false: holiday
	years map[int]bool  // years with any entry
}

// The library searches one long string on every call; reading it once into a
// map makes IsWorkday cheap and safe for concurrent use.
var chinaArrangement = sync.OnceValue(func() holidayArrangement {
	a := holidayArrangement{days: map[Date]bool{}, years: map[int]bool{}}
	// The data starts in 2001; the upper bound only needs to pass the
	// library's last year.
	for year := 2001; year <= maxDeadlineYear; year++ {
		for e := HolidayUtil.GetHolidaysByYear(year).Front(); e != nil; e = e.Next() {
			h, ok := e.Value.(*HolidayUtil.Holiday)
			if !ok {
				continue
			}
			d, err := ParseISODate(h.GetDay())
			if err != nil || d.Year != year {
				continue // not a valid entry of this year: skip, do not guess
			}
			a.days[d] = h.IsWork()
			a.years[year] = true
		}
	}
	return a
})

// overriddenCalendar applies configured exceptions to a base calendar.
type overriddenCalendar struct {
	base      Calendar
	overrides map[Date]bool
}

func (c overriddenCalendar) IsWorkday(d Date) bool {
	if work, ok := c.overrides[d]; ok {
		return work
	}
	return c.base.IsWorkday(d)
}

// ParseWorkdays builds the calendar named by the RECTIBOT_WORKDAYS setting:
// "cn" (the default, also for ""), "mon-fri" or "all". The overrides apply to
// each of them.
func ParseWorkdays(spec string, overrides map[Date]bool) (Calendar, error) {
	var base Calendar
	switch strings.ToLower(strings.TrimSpace(spec)) {
	case "", "cn":
		return NewChinaCalendar(overrides), nil
	case "mon-fri":
		base = WeekdaysCalendar{}
	case "all":
		base = EveryDayCalendar{}
	default:
		return nil, fmt.Errorf("workdays %q: expected cn, mon-fri or all", spec)
	}
	if len(overrides) == 0 {
		return base, nil
	}
	return overriddenCalendar{base: base, overrides: maps.Clone(overrides)}, nil
}

// ParseCalendarOverrides reads a list like "2027-01-01:off,2027-02-07:work"
// (true = workday). Spaces and empty items are ignored; an error names the
// item that is wrong.
func ParseCalendarOverrides(s string) (map[Date]bool, error) {
	out := map[Date]bool{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		day, kind, ok := strings.Cut(item, ":")
		if !ok {
			return nil, fmt.Errorf("calendar override %q: expected YYYY-MM-DD:off or YYYY-MM-DD:work", item)
		}
		d, err := ParseISODate(strings.TrimSpace(day))
		if err != nil {
			return nil, fmt.Errorf("calendar override %q: %w", item, err)
		}
		var work bool
		switch strings.ToLower(strings.TrimSpace(kind)) {
		case "work":
			work = true
		case "off":
			work = false
		default:
			return nil, fmt.Errorf("calendar override %q: expected off or work after the date", item)
		}
		if prev, dup := out[d]; dup && prev != work {
			return nil, fmt.Errorf("calendar override %q: %s is also listed the other way", item, d)
		}
		out[d] = work
	}
	return out, nil
}

// maxDaysOff bounds the searches below: no real calendar has a year without
// a working day, but a Calendar that never answers true must not hang the
// scheduler.
const maxDaysOff = 366

// NextWorkday returns the first working day on or after d. If c has no
// working day within a year of d, it gives up and returns d.
func NextWorkday(c Calendar, d Date) Date {
	for i := 0; i <= maxDaysOff; i++ {
		if day := d.AddDays(i); c.IsWorkday(day) {
			return day
		}
	}
	return d
}

// AddWorkdays returns the n-th working day after d: AddWorkdays(c, d, 1) is
// the next working day, whether or not d is one. n = 0 returns d; a negative
// n counts working days before d. It gives up (returning the last day
// looked at) if c has no working day within a year.
func AddWorkdays(c Calendar, d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for off := 0; n > 0 && off <= maxDaysOff; {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n, off = n-1, 0
		} else {
			off++
		}
	}
	return d
}

// WorkdaysBetween counts the working days in (from, to]: the working days
// late on day to for a deadline from. It is negative when to is before from,
// like Date.DaysUntil.
func WorkdaysBetween(c Calendar, from, to Date) int {
	if to.Before(from) {
		return -WorkdaysBetween(c, to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}
