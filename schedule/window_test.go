package schedule

import (
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
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
)

// wall is a wall-clock time in loc.
func wall(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, loc)
}

func sh(y int, m time.Month, d, h, min int) time.Time { return wall(shanghai, y, m, d, h, min) }

func TestNextSendTime(t *testing.T) {
	def := DefaultSettings(nil)
	always := DefaultSettings(nil)
	always.WorkStart, always.WorkEnd = 0, fullDay
	everyDay := DefaultSettings(ledger.EveryDayCalendar{})
	tests := []struct {
		name string
		s    Settings
		t    time.Time
		loc  *time.Location
		want time.Time
	}{
		{"friday evening: monday morning", def, sh(2021, 11, 5, 19, 0), shanghai, sh(2021, 11, 8, 9, 0)},
		{"inside the window: itself", def, sh(2021, 9, 30, 17, 59), shanghai, sh(2021, 9, 30, 17, 59)},
		{"the end is outside: after National Day", def, sh(2021, 9, 30, 18, 0), shanghai, sh(2021, 10, 8, 9, 0)},
		{"early morning: the opening", def, sh(2021, 9, 30, 8, 59), shanghai, sh(2021, 9, 30, 9, 0)},
		{"in the holiday", def, sh(2021, 10, 3, 11, 0), shanghai, sh(2021, 10, 8, 9, 0)},
		{"friday after the holiday, evening: the make-up saturday", def, sh(2021, 10, 8, 18, 30), shanghai, sh(2021, 10, 9, 9, 0)},
		{"make-up saturday: itself", def, sh(2021, 10, 9, 10, 0), shanghai, sh(2021, 10, 9, 10, 0)},
		{"ordinary saturday: the make-up sunday after", def, sh(2021, 9, 25, 10, 0), shanghai, sh(2021, 9, 26, 9, 0)},
		{"given in UTC, read in Shanghai", def, sh(2021, 11, 5, 19, 0).UTC(), shanghai, sh(2021, 11, 8, 9, 0)},
		{"Shanghai's evening is Berlin's noon", def, sh(2021, 11, 5, 19, 0), berlin, wall(berlin, 2021, 11, 5, 12, 0)},
		{"Berlin, Friday evening", def, wall(berlin, 2021, 11, 5, 18, 0), berlin, wall(berlin, 2021, 11, 8, 9, 0)},
		{"end of summer time: 09:00 on the wall", everyDay, wall(berlin, 2021, 10, 31, 6, 0), berlin,
			time.Date(2021, 10, 31, 8, 0, 0, 0, time.UTC)},
		{"start of summer time: 09:00 on the wall", everyDay, wall(berlin, 2021, 3, 28, 6, 0), berlin,
			time.Date(2021, 3, 28, 7, 0, 0, 0, time.UTC)},
		{"always open: midnight is inside", always, sh(2021, 11, 5, 0, 0), shanghai, sh(2021, 11, 5, 0, 0)},
		{"always open: the last second is inside", always, sh(2021, 11, 5, 23, 59).Add(59 * time.Second), shanghai,
			sh(2021, 11, 5, 23, 59).Add(59 * time.Second)},
		{"always open still skips days off", always, sh(2021, 11, 6, 12, 0), shanghai, sh(2021, 11, 8, 0, 0)},
		{"zero settings: always, China's calendar", Settings{}, sh(2021, 10, 1, 12, 0), shanghai, sh(2021, 10, 8, 0, 0)},
		{"nil zone is UTC", def, time.Date(2021, 11, 5, 19, 0, 0, 0, time.UTC), nil, time.Date(2021, 11, 8, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.NextSendTime(tt.t, tt.loc)
			if !got.Equal(tt.want) {
				t.Errorf("NextSendTime(%v) = %v, want %v", tt.t, got, tt.want)
			}
			if !tt.s.InWindow(got, tt.loc) {
				t.Errorf("NextSendTime(%v) = %v is outside the window", tt.t, got)
			}
			if in := tt.s.InWindow(tt.t, tt.loc); in != got.Equal(tt.t) {
				t.Errorf("InWindow(%v) = %v, but NextSendTime moved it to %v", tt.t, in, got)
			}
		})
	}
}

func TestInWindow(t *testing.T) {
	s := DefaultSettings(nil)
	tests := []struct {
		t    time.Time
		want bool
	}{
		{sh(2021, 9, 30, 9, 0), true},
		{sh(2021, 9, 30, 8, 59), false},
		{sh(2021, 9, 30, 18, 0), false},
		{sh(2021, 10, 1, 10, 0), false}, // National Day
		{sh(2021, 9, 26, 10, 0), true},  // make-up Sunday
	}
	for _, tt := range tests {
		if got := s.InWindow(tt.t, shanghai); got != tt.want {
			t.Errorf("InWindow(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestDigestTimesNext(t *testing.T) {
	sched, err := DefaultSettings(nil).DigestTimes(shanghai)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		t, want time.Time
	}{
		{"before a plain 16th", sh(2021, 9, 10, 12, 0), sh(2021, 9, 16, 9, 0)},
		{"the eve of National Day: the 1st waits for Oct 8", sh(2021, 9, 30, 20, 0), sh(2021, 10, 8, 9, 0)},
		{"during the holiday, after the fire", sh(2021, 10, 3, 12, 0), sh(2021, 10, 8, 9, 0)},
		{"just sent: the next one", sh(2021, 10, 8, 9, 0), sh(2021, 10, 18, 9, 0)},
		{"started on Saturday the 16th after 09:00: Monday", sh(2021, 10, 16, 10, 0), sh(2021, 10, 18, 9, 0)},
		{"in UTC, read in Shanghai", sh(2021, 10, 16, 10, 0).UTC(), sh(2021, 10, 18, 9, 0)},
	}
	for _, tt := range tests {
		if got := sched.Next(tt.t); !got.Equal(tt.want) {
			t.Errorf("%s: Next(%v) = %v, want %v", tt.name, tt.t, got, tt.want)
		}
	}
}
