package schedule

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadSettingsDefaults(t *testing.T) {
	cal := ledger.WeekdaysCalendar{}
	s, err := LoadSettings(env(nil), cal)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSettings(cal)
	if s.WorkStart != 9*time.Hour || s.WorkEnd != 18*time.Hour || !slices.Equal(s.ReminderOffsets, []int{7, 3, 1, 0}) ||
		s.EscalateLeaderAfter != 3 || s.EscalateAdminsAfter != 7 || s.DigestSchedule != "0 9 1,16 * *" ||
		s.FollowUpAfter != 90 || s.Calendar != want.Calendar {
		t.Errorf("defaults = %+v", s)
	}
}

func TestLoadSettingsValues(t *testing.T) {
	s, err := LoadSettings(env(map[string]string{
		EnvWorkHours:       " 8:30 - 17:30 ",
		EnvReminderOffsets: "1d, 14d,0,1d",
		EnvEscalateAfter:   "2d",
		EnvDigestSchedule:  "0 10 * * 1",
		EnvFollowUpDays:    "0",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.WorkStart != 8*time.Hour+30*time.Minute || s.WorkEnd != 17*time.Hour+30*time.Minute ||
		!slices.Equal(s.ReminderOffsets, []int{14, 1, 0}) || s.EscalateLeaderAfter != 2 || s.EscalateAdminsAfter != 0 ||
		s.DigestSchedule != "0 10 * * 1" || s.FollowUpAfter != 0 {
		t.Errorf("settings = %+v", s)
	}
}

// A bad value stops the process with a line naming it: every bad variable
// is reported, not only the first.
func TestLoadSettingsNamesEveryBadVariable(t *testing.T) {
	_, err := LoadSettings(env(map[string]string{
		EnvWorkHours:       "18:00-09:00",
		EnvReminderOffsets: "7d,-1d",
		EnvEscalateAfter:   "7d,3d",
		EnvDigestSchedule:  "every morning",
		EnvFollowUpDays:    "ninety",
	}), nil)
	if err == nil {
		t.Fatal("bad values accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	names := []string{EnvWorkHours, EnvReminderOffsets, EnvEscalateAfter, EnvDigestSchedule, EnvFollowUpDays}
	if len(lines) != len(names) {
		t.Fatalf("%d lines, want one per variable:\n%v", len(lines), err)
	}
	for i, name := range names {
		if !strings.HasPrefix(lines[i], name+": ") {
			t.Errorf("line %q does not start with %s", lines[i], name)
		}
	}
}

func TestParseWorkHours(t *testing.T) {
	good := []struct {
		in         string
		start, end time.Duration
	}{
		{"09:00-18:00", 9 * time.Hour, 18 * time.Hour},
		{"00:00-24:00", 0, fullDay},
		{"9:00 - 17:30", 9 * time.Hour, 17*time.Hour + 30*time.Minute},
		{"08:15-24:00", 8*time.Hour + 15*time.Minute, fullDay},
	}
	for _, tt := range good {
		start, end, err := ParseWorkHours(tt.in)
		if err != nil || start != tt.start || end != tt.end {
			t.Errorf("ParseWorkHours(%q) = %v, %v, %v; want %v, %v", tt.in, start, end, err, tt.start, tt.end)
		}
	}
	for _, in := range []string{"", "9-18", "09:00", "18:00-09:00", "09:00-09:00", "24:00-24:00", "09:60-18:00",
		"25:00-26:00", "09:00-24:01", "-09:00-18:00", "09:00-18:00-19:00", "０９:00-18:00", "9:5-18:00"} {
		if _, _, err := ParseWorkHours(in); err == nil || !strings.HasPrefix(err.Error(), EnvWorkHours+": ") {
			t.Errorf("ParseWorkHours(%q) error = %v, want one naming %s", in, err, EnvWorkHours)
		}
	}
}

func TestParseOffsets(t *testing.T) {
	good := map[string][]int{
		"7d,3d,1d,0d": {7, 3, 1, 0},
		"0d, 1d,7D,3": {7, 3, 1, 0},
		"3d,3d,,":     {3},
		"365d":        {365},
	}
	for in, want := range good {
		if got, err := ParseOffsets(in); err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseOffsets(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", " , ", "-1d", "7dd", "d", "366d", "7 d", "1w", "+3d", "99999d"} {
		if _, err := ParseOffsets(in); err == nil || !strings.HasPrefix(err.Error(), EnvReminderOffsets+": ") {
			t.Errorf("ParseOffsets(%q) error = %v, want one naming %s", in, err, EnvReminderOffsets)
		}
	}
}

func TestParseEscalation(t *testing.T) {
	good := []struct {
		in             string
		leader, admins int
	}{{"3d,7d", 3, 7}, {"3d", 3, 0}, {" 1 , 2 ", 1, 2}}
	for _, tt := range good {
		l, a, err := ParseEscalation(tt.in)
		if err != nil || l != tt.leader || a != tt.admins {
			t.Errorf("ParseEscalation(%q) = %d, %d, %v; want %d, %d", tt.in, l, a, err, tt.leader, tt.admins)
		}
	}
	for _, in := range []string{"", "0d", "7d,3d", "3d,3d", "1d,2d,3d", "3x"} {
		if _, _, err := ParseEscalation(in); err == nil || !strings.HasPrefix(err.Error(), EnvEscalateAfter+": ") {
			t.Errorf("ParseEscalation(%q) error = %v, want one naming %s", in, err, EnvEscalateAfter)
		}
	}
}

func TestParseDigestSchedule(t *testing.T) {
	for _, in := range []string{"0 9 1,16 * *", "30 8 * * 1-5", "@weekly"} {
		if _, err := ParseDigestSchedule(in); err != nil {
			t.Errorf("ParseDigestSchedule(%q): %v", in, err)
		}
	}
	for _, in := range []string{"", "0 9 1,16 *", "0 0 9 1,16 * *", "61 9 * * *", "CRON_TZ=Asia/Shanghai 0 9 1 * *",
		"TZ=UTC 0 9 1 * *", "0 0 30 2 *", "@every 1h"} {
		if _, err := ParseDigestSchedule(in); err == nil || !strings.HasPrefix(err.Error(), EnvDigestSchedule+": ") {
			t.Errorf("ParseDigestSchedule(%q) error = %v, want one naming %s", in, err, EnvDigestSchedule)
		}
	}
}

func TestParseFollowUpDays(t *testing.T) {
	for in, want := range map[string]int{"90": 90, "90d": 90, "0": 0, "3650": 3650} {
		if got, err := ParseFollowUpDays(in); err != nil || got != want {
			t.Errorf("ParseFollowUpDays(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "3651", "ninety", "90 days"} {
		if _, err := ParseFollowUpDays(in); err == nil || !strings.HasPrefix(err.Error(), EnvFollowUpDays+": ") {
			t.Errorf("ParseFollowUpDays(%q) error = %v, want one naming %s", in, err, EnvFollowUpDays)
		}
	}
}

func FuzzParseWorkHours(f *testing.F) {
	for _, s := range []string{"09:00-18:00", "00:00-24:00", "9:00-17:30", "24:00-24:00", "-", ":-:", "23:59-24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, err := ParseWorkHours(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), EnvWorkHours) {
				t.Fatalf("error %q does not name the variable", err)
			}
			return
		}
		if start < 0 || end > fullDay || start >= end {
			t.Fatalf("ParseWorkHours(%q) = %v-%v", s, start, end)
		}
		text := FormatWorkHours(start, end)
		s2, e2, err := ParseWorkHours(text)
		if err != nil || s2 != start || e2 != end {
			t.Fatalf("%q formatted as %q reads back as %v-%v, %v", s, text, s2, e2, err)
		}
	})
}

func FuzzParseOffsets(f *testing.F) {
	for _, s := range []string{"7d,3d,1d,0d", "0", "365d,365", ",,", "-1d", "7D, 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		days, err := ParseOffsets(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), EnvReminderOffsets) {
				t.Fatalf("error %q does not name the variable", err)
			}
			return
		}
		if len(days) == 0 {
			t.Fatalf("ParseOffsets(%q) accepted an empty list", s)
		}
		for i, d := range days {
			if d < 0 || d > maxDays || i > 0 && d >= days[i-1] {
				t.Fatalf("ParseOffsets(%q) = %v: not distinct days in range, furthest first", s, days)
			}
		}
		text := FormatOffsets(days)
		again, err := ParseOffsets(text)
		if err != nil || !slices.Equal(again, days) {
			t.Fatalf("%q formatted as %q reads back as %v, %v", s, text, again, err)
		}
	})
}

// robfig/cron's parser must never take the process down with a panic
// instead of a line naming the variable.
func FuzzParseDigestSchedule(f *testing.F) {
	for _, s := range []string{"0 9 1,16 * *", "@weekly", "*/5 1-3 * * MON", "@every 1h", "0 0 30 2 *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := ParseDigestSchedule(s); err != nil && !strings.HasPrefix(err.Error(), EnvDigestSchedule) {
			t.Fatalf("error %q does not name the variable", err)
		}
	})
}
