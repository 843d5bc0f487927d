package schedule

import (
	"time"

	"github.com/robfig/cron/v3"

	"github.com/rectibot/rectibot/ledger"
)

// defaultCalendar is what a Settings without a Calendar uses: the issue's
// default RECTIBOT_WORKDAYS=cn.
var defaultCalendar ledger.Calendar = ledger.NewChinaCalendar(nil)

// searchDays bounds the backward searches below, like ledger's own bound: a
// calendar with no working day in a year must not hang the scheduler.
const searchDays = 366

// WorkCalendar is the calendar in use: Calendar, or China's when it is nil.
func (s Settings) WorkCalendar() ledger.Calendar {
	if s.Calendar == nil {
		return defaultCalendar
	}
	return s.Calendar
}

// hours is the window actually used. A zero, negative or oversized end is
// the end of the day, and an empty window is the whole day: a misconfigured
// struct then sends too freely rather than never.
func (s Settings) hours() (start, end time.Duration) {
	start, end = s.WorkStart, s.WorkEnd
	if end <= 0 || end > fullDay {
		end = fullDay
	}
	if start < 0 || start >= end {
		start, end = 0, fullDay
	}
	return start, end
}

// zone treats a nil location as UTC, as the zero time.Time does; callers
// pass the plan's zone.
func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// wallClock is the offset of t from its midnight as the clock on the wall
// reads it. Working hours are wall-clock times, so on a daylight-saving day
// 09:00 is still 09:00 even though midnight was 8 or 10 hours earlier.
func wallClock(t time.Time) time.Duration {
	h, m, sec := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec)*time.Second + time.Duration(t.Nanosecond())
}

// at is day d at wall-clock offset off in loc; 24h is the next midnight.
func at(d ledger.Date, off time.Duration, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(off/time.Hour), int(off%time.Hour/time.Minute),
		int(off%time.Minute/time.Second), int(off%time.Second), loc)
}

// Opening is the start of day d's working window, whether or not d is a
// working day; NextSendTime of it is when something about d may go out.
func (s Settings) Opening(d ledger.Date, loc *time.Location) time.Time {
	start, _ := s.hours()
	return at(d, start, zone(loc))
}

// InWindow reports whether t, read in loc, falls inside working hours on a
// working day.
func (s Settings) InWindow(t time.Time, loc *time.Location) bool {
	t = t.In(zone(loc))
	start, end := s.hours()
	c := wallClock(t)
	return s.WorkCalendar().IsWorkday(ledger.DateOf(t)) && c >= start && c < end
}

// NextSendTime returns t (in loc) when it is inside a working window, and
// otherwise the start of the next one: Friday 19:00 gives Monday 09:00, the
// evening before National Day gives the first working morning after it. If
// the calendar has no working day within a year, the result is outside
// every window; no real calendar does that.
func (s Settings) NextSendTime(t time.Time, loc *time.Location) time.Time {
	loc = zone(loc)
	t = t.In(loc)
	cal := s.WorkCalendar()
	start, end := s.hours()
	day := ledger.DateOf(t)
	if cal.IsWorkday(day) {
		switch c := wallClock(t); {
		case c < start:
			return at(day, start, loc)
		case c < end:
			return t
		}
	}
	return at(ledger.NextWorkday(cal, day.AddDays(1)), start, loc)
}

// lastClose returns the latest end of a working window at or before t (t
// itself if none within a year): a digest that fired after it, while no
// window was open, still waits to go out.
func (s Settings) lastClose(t time.Time, loc *time.Location) time.Time {
	cal := s.WorkCalendar()
	_, end := s.hours()
	d := ledger.DateOf(t.In(loc))
	for range searchDays {
		if cal.IsWorkday(d) {
			if e := at(d, end, loc); !e.After(t) {
				return e
			}
		}
		d = d.AddDays(-1)
	}
	return t
}

// DigestTimes returns the digest schedule as it is sent in loc: the cron
// fires of s.DigestSchedule evaluated in loc, each moved to the next
// working window. Fires that fall while no window is open (the 1st of
// October, a Saturday the 16th) go out together when the next one opens,
// as one digest. Its Next suits River's periodic jobs: it is the first send
// time strictly after t, counting fires since the last window closed, so a
// process started on a Sunday still sends Saturday's digest on Monday.
func (s Settings) DigestTimes(loc *time.Location) (cron.Schedule, error) {
	spec := s.DigestSchedule
	if spec == "" {
		spec = DefaultDigestCron
	}
	inner, err := ParseDigestSchedule(spec)
	if err != nil {
		return nil, err
	}
	return windowed{s: s, inner: inner, loc: zone(loc)}, nil
}

type windowed struct {
	s     Settings
	inner cron.Schedule
	loc   *time.Location
}

// Next looks at most at two fires: when t is outside a window every fire
// since the last close maps to the next opening, which is after t; when t
// is inside, a fire exactly at t is the one already due, so the next fire
// after it is the answer.
func (w windowed) Next(t time.Time) time.Time {
	from := t.In(w.loc)
	if !w.s.InWindow(from, w.loc) {
		from = w.s.lastClose(from, w.loc)
	}
	for fire := w.inner.Next(from.Add(-time.Nanosecond)); !fire.IsZero(); fire = w.inner.Next(fire) {
		if send := w.s.NextSendTime(fire, w.loc); send.After(t) {
			return send
		}
	}
	return time.Time{} // the spec never fires again (robfig gives up after five years)
}
