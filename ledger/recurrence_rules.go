package ledger

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// RecurrenceFormsExpected lists what ParseRecurrence reads, for error
// messages.
const RecurrenceFormsExpected = "每月, 每季度, 每半年, 每年, 每年4月30日前 (or monthly, quarterly, half-yearly, yearly:04-30)"

var (
	yearlyStorageRe = regexp.MustCompile(`^yearly:(\d{1,2})-(\d{1,2})$`)
	yearlyChineseRe = regexp.MustCompile(`^每年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(底))\s*前?$`)
)

// String is the storage form: "monthly", "quarterly", "half-yearly",
// "yearly:04-30", and "" for no recurrence. ParseRecurrence reads it back.
func (r Recurrence) String() string {
	switch r.Kind {
	case "":
		return ""
	case RecurYearly:
		m, d := r.yearlyDay()
		return fmt.Sprintf("yearly:%02d-%02d", int(m), d)
	default:
		return string(r.Kind)
	}
}

// Chinese is the recurrence as the 台账 writes it: 每月, 每季度, 每半年,
// 每年4月30日前, and "" for none.
func (r Recurrence) Chinese() string {
	switch r.Kind {
	case RecurMonthly:
		return "每月"
	case RecurQuarterly:
		return "每季度"
	case RecurHalfYearly:
		return "每半年"
	case RecurYearly:
		m, d := r.yearlyDay()
		return fmt.Sprintf("每年%d月%d日前", int(m), d)
	default:
		return ""
	}
}

// ParseRecurrence reads the storage form written by String, and the Chinese
// forms of the 台账 (每月, 每季度, 每半年, 每年, 每年4月30日前, 每年4月底前).
// "" is no recurrence. 每年 alone means by the end of the year (Dec 31).
// Feb 29 is accepted for a yearly day; Next moves it to Feb 28 in common
// years.
func ParseRecurrence(s string) (Recurrence, error) {
	t := strings.ToLower(strings.TrimSpace(foldWidth(s)))
	switch t {
	case "":
		return Recurrence{}, nil
	case string(RecurMonthly), "每月":
		return Recurrence{Kind: RecurMonthly}, nil
	case string(RecurQuarterly), "每季度", "每季":
		return Recurrence{Kind: RecurQuarterly}, nil
	case string(RecurHalfYearly), "每半年":
		return Recurrence{Kind: RecurHalfYearly}, nil
	case string(RecurYearly), "每年":
		return Recurrence{Kind: RecurYearly, Month: time.December, Day: 31}, nil
	}

	var month, day int
	if m := yearlyStorageRe.FindStringSubmatch(t); m != nil {
		month, day = atoi(m[1]), atoi(m[2])
	} else if m := yearlyChineseRe.FindStringSubmatch(t); m != nil {
		month, day = atoi(m[1]), atoi(m[2])
		if m[3] != "" && month >= 1 && month <= 12 { // 底: end of that month
			day = LastDayOfMonth(2000, time.Month(month)).Day // leap year: 2月底 is Feb 29
		}
	} else {
		return Recurrence{}, fmt.Errorf("recurrence %q: expected %s", s, RecurrenceFormsExpected)
	}
	if month < 1 || month > 12 {
		return Recurrence{}, fmt.Errorf("recurrence %q: no such month", s)
	}
	// 2000 is a leap year, so this accepts Feb 29 and rejects Feb 30.
	if _, ok := NewDate(2000, time.Month(month), day); !ok {
		return Recurrence{}, fmt.Errorf("recurrence %q: no such day", s)
	}
	return Recurrence{Kind: RecurYearly, Month: time.Month(month), Day: day}, nil
}

// Next returns the first check-in day strictly after the given day: the last
// day of each month (monthly), of each quarter (quarterly), of June and
// December (half-yearly), or Month/Day of each year (yearly; Feb 29 falls on
// Feb 28 in common years). It returns the zero Date for no recurrence or an
// unknown kind, which has no check-ins.
func (r Recurrence) Next(after Date) Date {
	switch r.Kind {
	case RecurMonthly:
		return nextMonthEnd(after, 1)
	case RecurQuarterly:
		return nextMonthEnd(after, 3)
	case RecurHalfYearly:
		return nextMonthEnd(after, 6)
	case RecurYearly:
		m, d := r.yearlyDay()
		for y := after.Year; ; y++ {
			if c := clampedDate(y, m, d); c.After(after) {
				return c
			}
		}
	default:
		return Date{}
	}
}

// nextMonthEnd returns the first last-day-of-month after the given day whose
// month is a multiple of every (1: every month, 3: quarter ends, 6: Jun and
// Dec). It looks at most 12 months ahead.
func nextMonthEnd(after Date, every int) Date {
	y, m := after.Year, after.Month
	for {
		if int(m)%every == 0 {
			if d := LastDayOfMonth(y, m); d.After(after) {
				return d
			}
		}
		if m++; m > time.December {
			y, m = y+1, time.January
		}
	}
}

// yearlyDay is the check-in day of a yearly recurrence. Values that cannot
// come from ParseRecurrence are made safe rather than trusted: a missing or
// impossible month means the end of the year, a missing day the end of the
// month.
func (r Recurrence) yearlyDay() (time.Month, int) {
	if r.Month < time.January || r.Month > time.December {
		return time.December, 31
	}
	last := LastDayOfMonth(2000, r.Month).Day
	if r.Day < 1 || r.Day > last {
		return r.Month, last
	}
	return r.Month, r.Day
}

// clampedDate is year/month/day, or the month's last day when day is beyond
// it (Feb 29 in a common year).
func clampedDate(year int, month time.Month, day int) Date {
	if last := LastDayOfMonth(year, month); day > last.Day {
		return last
	}
	return Date{year, month, day}
}
