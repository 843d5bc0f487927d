// Package schedule holds when rectibot may write to people and what a
// task's life produces: working hours, the reminder ladder, escalations,
// the digest's cron and the follow-up review, read from the environment,
// and the sending window they define. It is apart from scheduler, which
// runs the jobs on River and GORM, so the configuration can read these
// settings without importing either.
package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/rectibot/rectibot/ledger"
)

// The environment variables LoadSettings reads. Every parser's error starts
// with the variable's name, so a bad value stops the process with a line
// that says which setting to fix.
const (
	EnvWorkHours       = "RECTIBOT_WORK_HOURS"
	EnvReminderOffsets = "RECTIBOT_REMINDER_OFFSETS"
	EnvEscalateAfter   = "RECTIBOT_ESCALATE_AFTER"
	EnvDigestSchedule  = "RECTIBOT_DIGEST_SCHEDULE"
	EnvFollowUpDays    = "RECTIBOT_FOLLOWUP_DAYS"
)

// DefaultDigestCron is 半月梳理汇总: the 1st and 16th at 09:00.
const DefaultDigestCron = "0 9 1,16 * *"

const (
	maxDays             = 365 // bounds offsets and escalations: a year ahead is already absurd
	maxFollowUpDays     = 3650
	fullDay             = 24 * time.Hour
	workHoursExpected   = "expected HH:MM-HH:MM such as 09:00-18:00 (00:00-24:00 = always)"
	daysListExpected    = "expected days such as 7d,3d,1d,0d"
	escalationsExpected = "expected one or two working-day counts such as 3d,7d, the second larger"
)

// Settings say when messages may go out and what a task's life produces.
// The zero value is usable: always open, China's calendar, no reminders,
// escalations or follow-ups.
type Settings struct {
	// WorkStart and WorkEnd are wall-clock offsets from midnight in the
	// plan's zone. 0 and 24h mean always; a zero or out-of-range WorkEnd
	// means the end of the day.
	WorkStart, WorkEnd time.Duration
	// Calendar says which days are working days; nil is China's calendar.
	Calendar ledger.Calendar
	// ReminderOffsets are days before the deadline (0 = the day itself).
	// Negative values are ignored: after the deadline, overdue notices take
	// over.
	ReminderOffsets []int
	// EscalateLeaderAfter and EscalateAdminsAfter are working days overdue;
	// 0 turns that escalation off.
	EscalateLeaderAfter, EscalateAdminsAfter int
	// DigestSchedule is a cron spec evaluated in the plan's zone; "" is
	// DefaultDigestCron.
	DigestSchedule string
	// FollowUpAfter is the number of days after closure of the 回头看
	// question; 0 turns it off.
	FollowUpAfter int
}

// DefaultSettings is SPEC §4: 09:00–18:00 on cal's working days, reminders
// 7, 3, 1 and 0 days ahead, escalations after 3 and 7 working days, the
// half-monthly digest, follow-up after 90 days.
func DefaultSettings(cal ledger.Calendar) Settings {
	return Settings{
		WorkStart: 9 * time.Hour, WorkEnd: 18 * time.Hour,
		Calendar:            cal,
		ReminderOffsets:     []int{7, 3, 1, 0},
		EscalateLeaderAfter: 3, EscalateAdminsAfter: 7,
		DigestSchedule: DefaultDigestCron,
		FollowUpAfter:  90,
	}
}

// LoadSettings reads the schedule's variables over DefaultSettings(cal);
// an unset or blank variable keeps its default. Every bad value is
// reported, each error naming its variable. cal comes from the
// configuration (RECTIBOT_WORKDAYS and RECTIBOT_HOLIDAYS).
func LoadSettings(getenv func(string) string, cal ledger.Calendar) (Settings, error) {
	s := DefaultSettings(cal)
	var errs []error
	read := func(name string, parse func(string) error) {
		if raw := strings.TrimSpace(getenv(name)); raw != "" {
			if err := parse(raw); err != nil {
				errs = append(errs, err)
			}
		}
	}
	read(EnvWorkHours, func(v string) (err error) { s.WorkStart, s.WorkEnd, err = ParseWorkHours(v); return })
	read(EnvReminderOffsets, func(v string) (err error) { s.ReminderOffsets, err = ParseOffsets(v); return })
	read(EnvEscalateAfter, func(v string) (err error) {
		s.EscalateLeaderAfter, s.EscalateAdminsAfter, err = ParseEscalation(v)
		return
	})
	read(EnvDigestSchedule, func(v string) error {
		_, err := ParseDigestSchedule(v)
		s.DigestSchedule = v
		return err
	})
	read(EnvFollowUpDays, func(v string) (err error) { s.FollowUpAfter, err = ParseFollowUpDays(v); return })
	return s, errors.Join(errs...)
}

// ParseWorkHours reads "HH:MM-HH:MM" (RECTIBOT_WORK_HOURS). The end must be
// after the start; 24:00 is allowed as the end only, so "00:00-24:00" is
// always open. Windows crossing midnight are not supported: an office's
// working day does not.
func ParseWorkHours(s string) (start, end time.Duration, err error) {
	bad := func(why string) (time.Duration, time.Duration, error) {
		return 0, 0, fmt.Errorf("%s: %q: %s", EnvWorkHours, s, why)
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return bad(workHoursExpected)
	}
	start, okA := parseClock(strings.TrimSpace(a))
	end, okB := parseClock(strings.TrimSpace(b))
	switch {
	case !okA || !okB:
		return bad(workHoursExpected)
	case start >= fullDay:
		return bad("24:00 can only end the window")
	case end <= start:
		return bad("the end must be after the start")
	}
	return start, end, nil
}

// parseClock reads H:MM or HH:MM from 00:00 to 24:00.
func parseClock(s string) (time.Duration, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, false
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if mm > 59 || hh > 24 || hh == 24 && mm != 0 {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

// FormatWorkHours is the inverse of ParseWorkHours, for logs and help texts.
func FormatWorkHours(start, end time.Duration) string {
	clock := func(d time.Duration) string {
		return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return clock(start) + "-" + clock(end)
}

// ParseOffsets reads days before the deadline, "7d,3d,1d,0d"
// (RECTIBOT_REMINDER_OFFSETS); the "d" may be left out. The result is
// deduplicated and sorted from the furthest ahead to the day itself.
func ParseOffsets(s string) ([]int, error) {
	days, err := parseDays(s, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s", EnvReminderOffsets, err, daysListExpected)
	}
	slices.Sort(days)
	days = slices.Compact(days)
	slices.Reverse(days)
	return days, nil
}

// FormatOffsets is the inverse of ParseOffsets.
func FormatOffsets(days []int) string {
	items := make([]string, len(days))
	for i, d := range days {
		items[i] = strconv.Itoa(d) + "d"
	}
	return strings.Join(items, ",")
}

// ParseEscalation reads "3d,7d" (RECTIBOT_ESCALATE_AFTER): working days
// overdue before the leader, and then the admins, are told. A single count
// escalates to the leader only.
func ParseEscalation(s string) (leader, admins int, err error) {
	days, err := parseDays(s, 1)
	switch {
	case err != nil:
		return 0, 0, fmt.Errorf("%s: %w: %s", EnvEscalateAfter, err, escalationsExpected)
	case len(days) > 2:
		return 0, 0, fmt.Errorf("%s: %q: %s", EnvEscalateAfter, s, escalationsExpected)
	case len(days) == 2 && days[1] <= days[0]:
		return 0, 0, fmt.Errorf("%s: %q: the admins' count must be larger than the leader's", EnvEscalateAfter, s)
	case len(days) == 2:
		return days[0], days[1], nil
	}
	return days[0], 0, nil
}

// ParseFollowUpDays reads RECTIBOT_FOLLOWUP_DAYS: days after closure of the
// follow-up review, 0 for none.
func ParseFollowUpDays(s string) (int, error) {
	n, ok := parseDay(strings.TrimSpace(s))
	if !ok || n > maxFollowUpDays {
		return 0, fmt.Errorf("%s: %q: expected a number of days from 0 to %d", EnvFollowUpDays, s, maxFollowUpDays)
	}
	return n, nil
}

// ParseDigestSchedule validates a digest cron spec (RECTIBOT_DIGEST_SCHEDULE)
// with the standard parser River's periodic jobs use: five fields, or a
// descriptor such as @weekly. A TZ= prefix is refused because the digest
// runs in each plan's own zone, and so are @every intervals and a spec that
// never fires.
func ParseDigestSchedule(spec string) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case strings.HasPrefix(spec, "TZ="), strings.HasPrefix(spec, "CRON_TZ="):
		return nil, fmt.Errorf("%s: %q: leave out the time zone: the digest runs in each plan's zone", EnvDigestSchedule, spec)
	case strings.HasPrefix(spec, "@every"):
		// An interval drifts with the process's start, not the office's calendar.
		return nil, fmt.Errorf("%s: %q: expected calendar times such as %q, not an interval", EnvDigestSchedule, spec, DefaultDigestCron)
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %q: %v (expected five cron fields such as %q)", EnvDigestSchedule, spec, err, DefaultDigestCron)
	}
	if sched.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("%s: %q: never fires", EnvDigestSchedule, spec)
	}
	return sched, nil
}

// parseDays reads a comma-separated list of day counts, each at least min;
// blank items are skipped, an empty list is an error.
func parseDays(s string, min int) ([]int, error) {
	var out []int
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		n, ok := parseDay(item)
		if !ok || n < min || n > maxDays {
			return nil, fmt.Errorf("%q is not a number of days from %d to %d", item, min, maxDays)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q lists no days", s)
	}
	return out, nil
}

// parseDay reads "7d" or "7".
func parseDay(s string) (int, bool) {
	if n := len(s); n > 0 && (s[n-1] == 'd' || s[n-1] == 'D') { // one unit letter, either case
		s = s[:n-1]
	}
	if s == "" || len(s) > 4 || !digits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
