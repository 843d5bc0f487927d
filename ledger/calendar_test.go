package ledger

import (
	"strings"
	"sync"
	"testing"
)

func TestChinaCalendar(t *testing.T) {
	cn := NewChinaCalendar(nil)
	d := MustDate
	tests := []struct {
		day  Date
		work bool
		why  string
	}{
		// National Day 2021: Oct 1–7 off; Sun Sep 26 and Sat Oct 9 are worked.
		{d(2021, 9, 24), true, "Friday before"},
		{d(2021, 9, 25), false, "ordinary Saturday"},
		{d(2021, 9, 26), true, "Sunday made a working day (调休)"},
		{d(2021, 9, 30), true, "Thursday before the holiday"},
		{d(2021, 10, 1), false, "National Day"},
		{d(2021, 10, 4), false, "Monday in the holiday"},
		{d(2021, 10, 7), false, "last day of the holiday"},
		{d(2021, 10, 8), true, "Friday after"},
		{d(2021, 10, 9), true, "Saturday made a working day (调休)"},
		{d(2021, 10, 10), false, "ordinary Sunday"},
		// Spring Festival 2021: Feb 11–17 off; Sun Feb 7 and Sat Feb 20 are worked.
		{d(2021, 2, 7), true, "Sunday made a working day (调休)"},
		{d(2021, 2, 10), true, "Wednesday before"},
		{d(2021, 2, 11), false, "New Year's Eve"},
		{d(2021, 2, 12), false, "Spring Festival (a Friday)"},
		{d(2021, 2, 15), false, "Monday in the holiday"},
		{d(2021, 2, 17), false, "last day of the holiday"},
		{d(2021, 2, 18), true, "Thursday after"},
		{d(2021, 2, 20), true, "Saturday made a working day (调休)"},
		{d(2021, 2, 21), false, "ordinary Sunday"},
		// Ordinary weeks.
		{d(2021, 9, 13), true, "ordinary Monday"},
		{d(2021, 9, 14), true, "the report date, a Tuesday"},
		{d(2021, 9, 18), true, "Saturday made a working day for Mid-Autumn (调休)"},
		{d(2021, 11, 6), false, "ordinary Saturday"},
		{d(2021, 11, 7), false, "ordinary Sunday"},
		// A year the library does not know falls back to Monday to Friday.
		{d(2090, 1, 2), true, "Monday"},
		{d(2090, 1, 1), false, "Sunday"},
	}
	for _, tt := range tests {
		if got := cn.IsWorkday(tt.day); got != tt.work {
			t.Errorf("IsWorkday(%v %s) = %v, want %v (%s)", tt.day, tt.day.Weekday(), got, tt.work, tt.why)
		}
	}
	if !cn.Covers(2021) || cn.Covers(2090) {
		t.Errorf("Covers(2021) = %v, Covers(2090) = %v; want true, false", cn.Covers(2021), cn.Covers(2090))
	}
}

func TestChinaCalendarOverrides(t *testing.T) {
	overrides := map[Date]bool{
		MustDate(2021, 10, 1): true,  // a holiday worked anyway
		MustDate(2021, 9, 13): false, // an ordinary Monday off
		MustDate(2090, 1, 1):  false, // unannounced year: Sunday stays off
		MustDate(2090, 1, 2):  false, // unannounced year: a holiday on a Monday
		MustDate(2090, 1, 7):  true,  // unannounced year: a make-up Saturday
	}
	cn := NewChinaCalendar(overrides)
	overrides[MustDate(2021, 10, 2)] = true // the calendar keeps its own copy
	for day, want := range map[Date]bool{
		MustDate(2021, 10, 1): true,
		MustDate(2021, 10, 2): false,
		MustDate(2021, 9, 13): false,
		MustDate(2021, 9, 14): true,
		MustDate(2090, 1, 2):  false,
		MustDate(2090, 1, 3):  true,
		MustDate(2090, 1, 7):  true,
	} {
		if got := cn.IsWorkday(day); got != want {
			t.Errorf("IsWorkday(%v) = %v, want %v", day, got, want)
		}
	}
}

func TestChinaCalendarConcurrent(t *testing.T) {
	cn := NewChinaCalendar(nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if cn.IsWorkday(MustDate(2021, 10, 1)) {
				t.Error("2021-10-01 is a workday")
			}
		})
	}
	wg.Wait()
}

func TestSimpleCalendars(t *testing.T) {
	fri, sat := MustDate(2021, 10, 1), MustDate(2021, 10, 2)
	if !(WeekdaysCalendar{}).IsWorkday(fri) || (WeekdaysCalendar{}).IsWorkday(sat) {
		t.Error("WeekdaysCalendar: want Friday on, Saturday off, holidays ignored")
	}
	if !(EveryDayCalendar{}).IsWorkday(sat) {
		t.Error("EveryDayCalendar: want Saturday on")
	}
}

func TestParseWorkdays(t *testing.T) {
	holiday, sunday := MustDate(2021, 10, 1), MustDate(2021, 10, 10)
	over := map[Date]bool{sunday: true}
	tests := []struct {
		spec                string
		overrides           map[Date]bool
		holidayOn, sundayOn bool
	}{
		{"cn", nil, false, false},
		{"", nil, false, false},
		{" CN ", over, false, true},
		{"mon-fri", nil, true, false},
		{"mon-fri", over, true, true},
		{"all", nil, true, true},
		{"all", map[Date]bool{holiday: false}, false, true},
	}
	for _, tt := range tests {
		c, err := ParseWorkdays(tt.spec, tt.overrides)
		if err != nil {
			t.Errorf("ParseWorkdays(%q): %v", tt.spec, err)
			continue
		}
		if got := c.IsWorkday(holiday); got != tt.holidayOn {
			t.Errorf("ParseWorkdays(%q, %v).IsWorkday(%v) = %v", tt.spec, tt.overrides, holiday, got)
		}
		if got := c.IsWorkday(sunday); got != tt.sundayOn {
			t.Errorf("ParseWorkdays(%q, %v).IsWorkday(%v) = %v", tt.spec, tt.overrides, sunday, got)
		}
	}
	if _, err := ParseWorkdays("weekdays", nil); err == nil || !strings.Contains(err.Error(), "cn, mon-fri or all") {
		t.Errorf("ParseWorkdays(weekdays) = %v, want an error listing the choices", err)
	}
}

func TestParseCalendarOverrides(t *testing.T) {
	got, err := ParseCalendarOverrides(" 2027-01-01:off, 2027-02-07 : WORK ,,2027-01-01:off,")
	if err != nil {
		t.Fatal(err)
	}
	want := map[Date]bool{MustDate(2027, 1, 1): false, MustDate(2027, 2, 7): true}
	if len(got) != len(want) || got[MustDate(2027, 1, 1)] || !got[MustDate(2027, 2, 7)] {
		t.Errorf("ParseCalendarOverrides = %v, want %v", got, want)
	}
	if got, err := ParseCalendarOverrides(""); err != nil || len(got) != 0 {
		t.Errorf(`ParseCalendarOverrides("") = %v, %v; want empty`, got, err)
	}
	for _, bad := range []string{"2027-01-01", "2027-1-1:off", "2027-02-30:off", "2027-01-01:holiday", "2027-01-01:off,2027-01-01:work"} {
		_, err := ParseCalendarOverrides("2027-03-01:off," + bad)
		item := bad
		if i := strings.LastIndexByte(bad, ','); i >= 0 {
			item = bad[i+1:]
		}
		if err == nil || !strings.Contains(err.Error(), `"`+item+`"`) {
			t.Errorf("ParseCalendarOverrides(%q) = %v, want an error naming %q", bad, err, item)
		}
	}
}

func TestWorkdayArithmetic(t *testing.T) {
	cn := NewChinaCalendar(nil)
	d := MustDate
	nextTests := []struct{ in, want Date }{
		{d(2021, 10, 1), d(2021, 10, 8)},
		{d(2021, 9, 25), d(2021, 9, 26)}, // Saturday → the make-up Sunday
		{d(2021, 9, 30), d(2021, 9, 30)}, // already a workday
		{d(2021, 2, 11), d(2021, 2, 18)},
	}
	for _, tt := range nextTests {
		if got := NextWorkday(cn, tt.in); got != tt.want {
			t.Errorf("NextWorkday(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	addTests := []struct {
		in   Date
		n    int
		want Date
	}{
		{d(2021, 9, 30), 0, d(2021, 9, 30)},
		{d(2021, 9, 30), 1, d(2021, 10, 8)},
		{d(2021, 9, 30), 2, d(2021, 10, 9)},  // the make-up Saturday counts
		{d(2021, 9, 30), 3, d(2021, 10, 11)}, // Sunday Oct 10 does not
		{d(2021, 10, 3), 1, d(2021, 10, 8)},  // from a day off
		{d(2021, 10, 8), -1, d(2021, 9, 30)},
		{d(2021, 9, 27), -1, d(2021, 9, 26)},
		{d(2021, 11, 5), 1, d(2021, 11, 8)}, // ordinary weekend
	}
	for _, tt := range addTests {
		if got := AddWorkdays(cn, tt.in, tt.n); got != tt.want {
			t.Errorf("AddWorkdays(%v, %d) = %v, want %v", tt.in, tt.n, got, tt.want)
		}
	}
	betweenTests := []struct {
		from, to Date
		want     int
	}{
		{d(2021, 9, 30), d(2021, 9, 30), 0},
		{d(2021, 9, 30), d(2021, 10, 7), 0},   // a deadline just before National Day
		{d(2021, 9, 30), d(2021, 10, 11), 3},  // Oct 8, 9, 11
		{d(2021, 10, 11), d(2021, 9, 30), -3}, // reversed
		{d(2021, 11, 1), d(2021, 11, 8), 5},   // one ordinary week
	}
	for _, tt := range betweenTests {
		if got := WorkdaysBetween(cn, tt.from, tt.to); got != tt.want {
			t.Errorf("WorkdaysBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	// AddWorkdays and WorkdaysBetween agree.
	for n := 0; n <= 30; n++ {
		start := d(2021, 9, 20)
		if got := WorkdaysBetween(cn, start, AddWorkdays(cn, start, n)); got != n {
			t.Fatalf("WorkdaysBetween(start, AddWorkdays(start, %d)) = %d", n, got)
		}
	}
}

// neverCalendar has no working day; the helpers must give up, not hang.
type neverCalendar struct{}

func (neverCalendar) IsWorkday(Date) bool { return false }

func TestWorkdayArithmeticTerminates(t *testing.T) {
	day := MustDate(2021, 1, 1)
	if got := NextWorkday(neverCalendar{}, day); got != day {
		t.Errorf("NextWorkday(never) = %v, want %v", got, day)
	}
	_ = AddWorkdays(neverCalendar{}, day, 5)
	if got := WorkdaysBetween(neverCalendar{}, day, day.AddDays(30)); got != 0 {
		t.Errorf("WorkdaysBetween(never) = %d", got)
	}
}
