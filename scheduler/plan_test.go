package scheduler

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/schedule"
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	shanghai = mustZone("Asia/Shanghai")
	berlin   = mustZone("Europe/Berlin")
	urumqi   = mustZone("Asia/Urumqi")
)

// wall is a wall-clock time in loc.
func wall(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, loc)
}

func sh(y int, m time.Month, d, h, min int) time.Time { return wall(shanghai, y, m, d, h, min) }

// show renders a plan as "kind day @ at (offset)", so a failing table shows
// the whole ladder at once.
func show(ds []Due) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%s %s @ %s (%d)", d.Kind, d.Day, d.At.Format("2006-01-02 15:04 -0700"), d.Offset)
	}
	return out
}

func checkPlan(t *testing.T, got []Due, want []string) {
	t.Helper()
	if g := show(got); !slices.Equal(g, want) {
		t.Errorf("plan:\n got %q\nwant %q", g, want)
	}
}

// National Day 2021: Oct 1–7 off, Sun Sep 26 and Sat Oct 9 worked.
var nationalDay = TaskState{TaskID: 7, Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 10, 12), Location: shanghai}

var nationalDayLadder = []string{
	"reminder 2021-09-30 @ 2021-09-30 09:00 +0800 (12)", // D-7 is Oct 5, a holiday: the last working day before
	"reminder 2021-10-09 @ 2021-10-09 09:00 +0800 (3)",  // a make-up Saturday is a working day
	"reminder 2021-10-11 @ 2021-10-11 09:00 +0800 (1)",
	"reminder 2021-10-12 @ 2021-10-12 09:00 +0800 (0)",
	"overdue 2021-10-13 @ 2021-10-13 09:00 +0800 (1)",
	"overdue 2021-10-14 @ 2021-10-14 09:00 +0800 (2)",
	"overdue 2021-10-15 @ 2021-10-15 09:00 +0800 (3)",
	"escalate_leader 2021-10-15 @ 2021-10-15 09:00 +0800 (3)",
	"overdue 2021-10-18 @ 2021-10-18 09:00 +0800 (4)", // the weekend is skipped
	"overdue 2021-10-19 @ 2021-10-19 09:00 +0800 (5)",
	"overdue 2021-10-20 @ 2021-10-20 09:00 +0800 (6)",
	"overdue 2021-10-21 @ 2021-10-21 09:00 +0800 (7)",
	"escalate_admins 2021-10-21 @ 2021-10-21 09:00 +0800 (7)",
	"overdue 2021-10-22 @ 2021-10-22 09:00 +0800 (8)",
}

func TestPlanLadders(t *testing.T) {
	def := schedule.DefaultSettings(nil)
	weekdays := schedule.DefaultSettings(ledger.WeekdaysCalendar{})
	tests := []struct {
		name          string
		s             schedule.Settings
		task          TaskState
		from, horizon time.Time
		want          []string
	}{{
		name: "national day 2021", s: def, task: nationalDay,
		from: sh(2021, 9, 27, 0, 0), horizon: sh(2021, 10, 23, 0, 0),
		want: nationalDayLadder,
	}, {
		name: "ordinary weekends",
		s:    def, task: TaskState{TaskID: 1, Status: ledger.StatusNotStarted, Deadline: ledger.MustDate(2021, 11, 17), Location: shanghai},
		from: sh(2021, 11, 1, 0, 0), horizon: sh(2021, 11, 27, 0, 0),
		want: []string{
			"reminder 2021-11-10 @ 2021-11-10 09:00 +0800 (7)",
			"reminder 2021-11-12 @ 2021-11-12 09:00 +0800 (5)", // D-3 is a Sunday
			"reminder 2021-11-16 @ 2021-11-16 09:00 +0800 (1)",
			"reminder 2021-11-17 @ 2021-11-17 09:00 +0800 (0)",
			"overdue 2021-11-18 @ 2021-11-18 09:00 +0800 (1)",
			"overdue 2021-11-19 @ 2021-11-19 09:00 +0800 (2)",
			"overdue 2021-11-22 @ 2021-11-22 09:00 +0800 (3)",
			"escalate_leader 2021-11-22 @ 2021-11-22 09:00 +0800 (3)",
			"overdue 2021-11-23 @ 2021-11-23 09:00 +0800 (4)",
			"overdue 2021-11-24 @ 2021-11-24 09:00 +0800 (5)",
			"overdue 2021-11-25 @ 2021-11-25 09:00 +0800 (6)",
			"overdue 2021-11-26 @ 2021-11-26 09:00 +0800 (7)",
			"escalate_admins 2021-11-26 @ 2021-11-26 09:00 +0800 (7)",
		},
	}, {
		name: "deadline on a saturday",
		s:    def, task: TaskState{TaskID: 2, Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 11, 6), Location: shanghai},
		from: sh(2021, 10, 25, 0, 0), horizon: sh(2021, 11, 11, 0, 0),
		want: []string{
			"reminder 2021-10-29 @ 2021-10-29 09:00 +0800 (8)", // D-7 is a Saturday
			"reminder 2021-11-03 @ 2021-11-03 09:00 +0800 (3)",
			"reminder 2021-11-05 @ 2021-11-05 09:00 +0800 (1)", // D-1 and the day itself: one reminder, before it
			"overdue 2021-11-08 @ 2021-11-08 09:00 +0800 (1)",  // Sunday is late but not a working day
			"overdue 2021-11-09 @ 2021-11-09 09:00 +0800 (2)",
			"overdue 2021-11-10 @ 2021-11-10 09:00 +0800 (3)",
			"escalate_leader 2021-11-10 @ 2021-11-10 09:00 +0800 (3)",
		},
	}, {
		name: "berlin, monday to friday, across the end of summer time",
		s:    weekdays, task: TaskState{TaskID: 3, Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 11, 2), Location: berlin},
		from: wall(berlin, 2021, 10, 20, 0, 0), horizon: wall(berlin, 2021, 11, 5, 0, 0),
		want: []string{
			"reminder 2021-10-26 @ 2021-10-26 09:00 +0200 (7)",
			"reminder 2021-10-29 @ 2021-10-29 09:00 +0200 (4)", // D-3 is Saturday
			"reminder 2021-11-01 @ 2021-11-01 09:00 +0100 (1)", // still 09:00 on the wall after the change
			"reminder 2021-11-02 @ 2021-11-02 09:00 +0100 (0)",
			"overdue 2021-11-03 @ 2021-11-03 09:00 +0100 (1)",
			"overdue 2021-11-04 @ 2021-11-04 09:00 +0100 (2)",
		},
	}, {
		name: "urumqi, china's calendar in another zone",
		s:    def, task: TaskState{TaskID: 7, Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 10, 12), Location: urumqi},
		from: sh(2021, 10, 8, 10, 0), horizon: sh(2021, 10, 13, 0, 0), // 10:00 in Shanghai is 08:00 in Urumqi
		want: []string{
			"reminder 2021-10-09 @ 2021-10-09 09:00 +0600 (3)",
			"reminder 2021-10-11 @ 2021-10-11 09:00 +0600 (1)",
			"reminder 2021-10-12 @ 2021-10-12 09:00 +0600 (0)",
		},
	}, {
		name: "pending verification: escalations only",
		s:    def, task: TaskState{TaskID: 7, Status: ledger.StatusPendingVerification, Deadline: ledger.MustDate(2021, 10, 12), Location: shanghai},
		from: sh(2021, 9, 27, 0, 0), horizon: sh(2022, 1, 1, 0, 0),
		want: []string{
			"escalate_leader 2021-10-15 @ 2021-10-15 09:00 +0800 (3)",
			"escalate_admins 2021-10-21 @ 2021-10-21 09:00 +0800 (7)",
		},
	}, {
		name: "closed: one follow-up, moved past the spring festival",
		s:    def, task: TaskState{TaskID: 7, Status: ledger.StatusClosed, Deadline: ledger.MustDate(2021, 10, 12), ClosedOn: ledger.MustDate(2021, 11, 2), Location: shanghai},
		from: sh(2021, 9, 27, 0, 0), horizon: sh(2023, 1, 1, 0, 0),
		want: []string{"follow_up 2022-01-31 @ 2022-02-07 09:00 +0800 (90)"},
	}, {
		name: "long-term, monthly: month ends moved to the working day before",
		s:    def, task: TaskState{TaskID: 4, Status: ledger.StatusOngoing, LongTerm: true, Recurrence: ledger.Recurrence{Kind: ledger.RecurMonthly}, Location: shanghai},
		from: sh(2021, 9, 30, 10, 0), horizon: sh(2022, 3, 1, 0, 0), // Sep 30's check-in went out at 09:00
		want: []string{
			"check_in 2021-10-29 @ 2021-10-29 09:00 +0800 (2)",
			"check_in 2021-11-30 @ 2021-11-30 09:00 +0800 (0)",
			"check_in 2021-12-31 @ 2021-12-31 09:00 +0800 (0)",
			"check_in 2022-01-30 @ 2022-01-30 09:00 +0800 (1)", // Jan 31 is the Spring Festival; Sun Jan 30 is worked
			"check_in 2022-02-28 @ 2022-02-28 09:00 +0800 (0)",
		},
	}, {
		name: "long-term, yearly by April 30",
		s:    def, task: TaskState{TaskID: 5, Status: ledger.StatusInProgress, LongTerm: true, Recurrence: ledger.Recurrence{Kind: ledger.RecurYearly, Month: time.April, Day: 30}, Location: shanghai},
		from: sh(2021, 1, 1, 0, 0), horizon: sh(2024, 1, 1, 0, 0),
		want: []string{
			"check_in 2021-04-30 @ 2021-04-30 09:00 +0800 (0)",
			"check_in 2022-04-29 @ 2022-04-29 09:00 +0800 (1)", // Apr 30 2022 starts May Day
			"check_in 2023-04-28 @ 2023-04-28 09:00 +0800 (2)",
		},
	}, {
		name: "long-term pending: nothing until the leader decides",
		s:    def, task: TaskState{TaskID: 5, Status: ledger.StatusPendingVerification, LongTerm: true, Recurrence: ledger.DefaultRecurrence, Location: shanghai},
		from: sh(2021, 1, 1, 0, 0), horizon: sh(2022, 1, 1, 0, 0),
	}, {
		name: "no deadline given: nothing",
		s:    def, task: TaskState{TaskID: 6, Status: ledger.StatusNotStarted, Location: shanghai},
		from: sh(2021, 1, 1, 0, 0), horizon: sh(2022, 1, 1, 0, 0),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Plan(tt.s, tt.task, tt.from, tt.horizon)
			checkPlan(t, got, tt.want)
			for _, d := range got {
				if !tt.s.InWindow(d.At, tt.task.Location) {
					t.Errorf("%s at %v: outside the working window", d.UniqueKey(), d.At)
				}
			}
		})
	}
}
