package scheduler

import (
	"slices"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/schedule"
)

func count(ds []Due, k Kind) int {
	n := 0
	for _, d := range ds {
		if d.Kind == k {
			n++
		}
	}
	return n
}

func keys(ds []Due) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.UniqueKey()
	}
	return out
}

func TestPlanEscalatesOnceEach(t *testing.T) {
	s := schedule.DefaultSettings(nil)
	all := Plan(s, nationalDay, sh(2021, 9, 27, 0, 0), sh(2022, 9, 27, 0, 0)) // a year of overdue notices
	if n, m := count(all, KindEscalateLeader), count(all, KindEscalateAdmins); n != 1 || m != 1 {
		t.Errorf("over a year: %d leader and %d admins escalations, want 1 each", n, m)
	}
	if k := keys(all); len(k) != len(slices.Compact(slices.Sorted(slices.Values(k)))) {
		t.Error("a key is planned twice")
	}
	// The one escalation is caught up, at the first window from `from`, with
	// its own day and so its own key; it is never dropped.
	tests := []struct {
		name string
		from time.Time
		want []string
	}{
		{"re-planned mid-morning: now, not lost", sh(2021, 10, 20, 10, 30), []string{
			"escalate_leader 2021-10-15 @ 2021-10-20 10:30 +0800 (3)",
			"overdue 2021-10-21 @ 2021-10-21 09:00 +0800 (7)", // today's 09:00 notice has passed: dropped
			"escalate_admins 2021-10-21 @ 2021-10-21 09:00 +0800 (7)",
		}},
		{"re-planned on a Saturday: Monday morning", sh(2021, 10, 16, 12, 0), []string{
			"overdue 2021-10-18 @ 2021-10-18 09:00 +0800 (4)",
			"escalate_leader 2021-10-15 @ 2021-10-18 09:00 +0800 (3)",
			"overdue 2021-10-19 @ 2021-10-19 09:00 +0800 (5)",
			"overdue 2021-10-20 @ 2021-10-20 09:00 +0800 (6)",
			"overdue 2021-10-21 @ 2021-10-21 09:00 +0800 (7)",
			"escalate_admins 2021-10-21 @ 2021-10-21 09:00 +0800 (7)",
		}},
		{"imported long after: both at once", sh(2021, 12, 1, 20, 0), []string{
			"escalate_leader 2021-10-15 @ 2021-12-02 09:00 +0800 (3)",
			"escalate_admins 2021-10-21 @ 2021-12-02 09:00 +0800 (7)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Plan(s, nationalDay, tt.from, sh(2021, 10, 22, 0, 0).AddDate(0, 0, 45))
			var esc []Due
			for _, d := range got {
				if d.Kind != KindOverdue || d.Day.Before(ledger.MustDate(2021, 10, 22)) {
					esc = append(esc, d)
				}
			}
			checkPlan(t, esc, tt.want)
		})
	}
}

// Planning again from any later instant gives the same keys for what is
// still ahead: re-planning on every change never doubles anything.
func TestPlanReplanIsSuffix(t *testing.T) {
	s := schedule.DefaultSettings(nil)
	start, horizon := sh(2021, 9, 27, 0, 0), sh(2021, 11, 1, 0, 0)
	full := Plan(s, nationalDay, start, horizon)
	for from := start; from.Before(horizon); from = from.Add(7 * time.Hour) {
		var want []string
		for _, d := range full {
			if !d.At.Before(from) {
				want = append(want, d.UniqueKey())
			}
		}
		got := Plan(s, nationalDay, from, horizon)
		var gotAhead []string
		for _, d := range got {
			if d.At.Before(from) {
				t.Fatalf("from %v: %s planned at %v, before from", from, d.UniqueKey(), d.At)
			}
			if !slices.Contains(keys(full), d.UniqueKey()) {
				t.Fatalf("from %v: %s was not in the first plan", from, d.UniqueKey())
			}
			if !isEscalation(d.Kind) || slices.Contains(want, d.UniqueKey()) {
				gotAhead = append(gotAhead, d.UniqueKey())
			}
		}
		slices.Sort(want)
		slices.Sort(gotAhead)
		if !slices.Equal(gotAhead, want) {
			t.Fatalf("from %v:\n got %q\nwant %q", from, gotAhead, want)
		}
	}
}

func isEscalation(k Kind) bool { return k == KindEscalateLeader || k == KindEscalateAdmins }

func TestPlanClosureStopsEverything(t *testing.T) {
	s := schedule.DefaultSettings(nil)
	closed := nationalDay
	closed.Status, closed.ClosedOn = ledger.StatusClosed, ledger.MustDate(2021, 10, 14)
	got := Plan(s, closed, sh(2021, 10, 14, 15, 0), sh(2022, 6, 1, 0, 0))
	checkPlan(t, got, []string{"follow_up 2022-01-12 @ 2022-01-12 09:00 +0800 (90)"})

	s.FollowUpAfter = 0
	if got := Plan(s, closed, sh(2021, 10, 14, 15, 0), sh(2022, 6, 1, 0, 0)); len(got) != 0 {
		t.Errorf("follow-up off: %q, want nothing", show(got))
	}
	closed.ClosedOn = ledger.Date{}
	if got := Plan(schedule.DefaultSettings(nil), closed, sh(2021, 10, 14, 15, 0), sh(2022, 6, 1, 0, 0)); len(got) != 0 {
		t.Errorf("closed on an unknown day: %q, want nothing", show(got))
	}
}

func TestPlanHorizon(t *testing.T) {
	s := schedule.DefaultSettings(nil)
	from := sh(2021, 9, 27, 0, 0)
	tests := []struct {
		horizon time.Time
		n       int
	}{
		{sh(2021, 10, 12, 9, 0), 3},                      // exclusive: the on-the-day reminder is not in
		{sh(2021, 10, 12, 9, 0).Add(time.Nanosecond), 4}, // now it is
		{sh(2021, 10, 15, 9, 0).Add(time.Nanosecond), 8}, // the third overdue notice and the escalation
		{from, 0},                 // an empty range
		{from.Add(-time.Hour), 0}, // a backward one
	}
	for _, tt := range tests {
		got := Plan(s, nationalDay, from, tt.horizon)
		if len(got) != tt.n {
			t.Errorf("horizon %v: %d dues %q, want %d", tt.horizon, len(got), show(got), tt.n)
		}
		if !slices.Equal(show(got), nationalDayLadder[:len(got)]) {
			t.Errorf("horizon %v: %q is not the start of the ladder", tt.horizon, show(got))
		}
	}
}

func TestPlanSettingsVariants(t *testing.T) {
	task := TaskState{TaskID: 9, Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 11, 17), Location: shanghai}
	from, horizon := sh(2021, 11, 1, 0, 0), sh(2021, 11, 23, 0, 0)
	custom := schedule.DefaultSettings(nil)
	custom.WorkStart, custom.WorkEnd = 8*time.Hour+30*time.Minute, 17*time.Hour+30*time.Minute
	custom.ReminderOffsets = []int{2, 14, -1, 2} // any order; negatives and repeats ignored
	custom.EscalateLeaderAfter, custom.EscalateAdminsAfter = 1, 0
	always := schedule.Settings{WorkEnd: 24 * time.Hour, Calendar: ledger.EveryDayCalendar{}, ReminderOffsets: []int{0}, EscalateLeaderAfter: 2}
	tests := []struct {
		name string
		s    schedule.Settings
		want []string
	}{
		{"08:30-17:30, 14d and 2d, leader after 1, admins never", custom, []string{
			"reminder 2021-11-03 @ 2021-11-03 08:30 +0800 (14)",
			"reminder 2021-11-15 @ 2021-11-15 08:30 +0800 (2)",
			"overdue 2021-11-18 @ 2021-11-18 08:30 +0800 (1)",
			"escalate_leader 2021-11-18 @ 2021-11-18 08:30 +0800 (1)",
			"overdue 2021-11-19 @ 2021-11-19 08:30 +0800 (2)",
			"overdue 2021-11-22 @ 2021-11-22 08:30 +0800 (3)",
		}},
		{"always open, every day", always, []string{
			"reminder 2021-11-17 @ 2021-11-17 00:00 +0800 (0)",
			"overdue 2021-11-18 @ 2021-11-18 00:00 +0800 (1)",
			"overdue 2021-11-19 @ 2021-11-19 00:00 +0800 (2)",
			"escalate_leader 2021-11-19 @ 2021-11-19 00:00 +0800 (2)",
			"overdue 2021-11-20 @ 2021-11-20 00:00 +0800 (3)",
			"overdue 2021-11-21 @ 2021-11-21 00:00 +0800 (4)",
			"overdue 2021-11-22 @ 2021-11-22 00:00 +0800 (5)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkPlan(t, Plan(tt.s, task, from, horizon), tt.want) })
	}
}

func TestPlanIsDeterministicAndZoneSafe(t *testing.T) {
	s := schedule.DefaultSettings(nil)
	a := Plan(s, nationalDay, sh(2021, 9, 27, 0, 0), sh(2021, 10, 23, 0, 0))
	// The same instants given in UTC plan the same thing: only the task's
	// zone matters.
	b := Plan(s, nationalDay, sh(2021, 9, 27, 0, 0).UTC(), sh(2021, 10, 23, 0, 0).UTC())
	if !slices.Equal(show(a), show(b)) {
		t.Errorf("from and horizon in UTC changed the plan:\n%q\n%q", show(a), show(b))
	}
	noZone := nationalDay
	noZone.Location = nil
	got := Plan(s, noZone, sh(2021, 10, 12, 0, 0), sh(2021, 10, 13, 0, 0))
	checkPlan(t, got, []string{"reminder 2021-10-12 @ 2021-10-12 09:00 +0000 (0)"})
}

func TestPlanDigests(t *testing.T) {
	s := schedule.DefaultSettings(nil)
	got, err := PlanDigests(s, sh(2021, 9, 1, 0, 0), sh(2022, 2, 17, 0, 0), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	var ats []string
	for _, d := range got {
		ats = append(ats, d.At.Format("2006-01-02 15:04"))
	}
	want := []string{
		"2021-09-01 09:00", "2021-09-16 09:00",
		"2021-10-08 09:00", // Oct 1 is National Day
		"2021-10-18 09:00", // Oct 16 is a Saturday
		"2021-11-01 09:00", "2021-11-16 09:00", "2021-12-01 09:00", "2021-12-16 09:00",
		"2022-01-04 09:00", // New Year's Day off until Jan 3
		"2022-01-17 09:00", "2022-02-07 09:00", "2022-02-16 09:00",
	}
	if !slices.Equal(ats, want) {
		t.Errorf("digests:\n got %q\nwant %q", ats, want)
	}
	if k := got[2].UniqueKey(); k != "digest:2021-10-08T01:00:00Z" {
		t.Errorf("digest key %q", k)
	}
	// A plan started on the Saturday still sends Saturday's digest on Monday.
	late, _ := PlanDigests(s, sh(2021, 10, 16, 10, 0), sh(2021, 10, 19, 0, 0), shanghai)
	checkPlan(t, late, []string{"digest 2021-10-18 @ 2021-10-18 09:00 +0800 (0)"})

	s.DigestSchedule = "0 0 30 2 *"
	if _, err := PlanDigests(s, sh(2021, 9, 1, 0, 0), sh(2022, 1, 1, 0, 0), shanghai); err == nil {
		t.Error("a schedule that never fires was accepted")
	}
}

// A daily digest does not pile up over a weekend: Saturday's and Sunday's
// fires go out once, on Monday.
func TestPlanDigestsDailyOncePerWeekend(t *testing.T) {
	daily := schedule.DefaultSettings(nil)
	daily.DigestSchedule = "30 8 * * *"
	ds, err := PlanDigests(daily, sh(2021, 11, 5, 0, 0), sh(2021, 11, 9, 0, 0), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, ds, []string{
		"digest 2021-11-05 @ 2021-11-05 09:00 +0800 (0)",
		"digest 2021-11-08 @ 2021-11-08 09:00 +0800 (0)",
	})
}
