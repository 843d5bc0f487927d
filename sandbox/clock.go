package sandbox

import (
	"context"
	"errors"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/schedule"
)

// The clock actions of POST /api/clock.
const (
	actionHour    = "hour"    // +1 hour
	actionWorkday = "workday" // the next working day, 09:00
	actionDigest  = "digest"  // the next half-monthly digest
)

var errUnknownAction = errors.New(`action must be "hour", "workday" or "digest"`)

// startTime is where the sandbox's clock begins: 09:00 of the first working
// day from today (today, when it is one), in the plan's zone. Always the
// opening of a working window rather than the visitor's wall-clock time, so
// the first screen is the same story whenever it is opened: the morning's
// reminders and escalations have just gone out, and "+1 hour" and "next
// working day" have a whole day ahead of them. A Saturday visitor starts on
// Monday morning.
func startTime(now time.Time, s schedule.Settings, loc *time.Location) time.Time {
	today := ledger.DateOf(now.In(loc))
	return s.NextSendTime(today.StartIn(loc), loc)
}

// next is where an action moves the clock from now. The clock may stand a
// few seconds into a minute (see settle); the page shows minutes, and "+1
// hour" goes to the next hour's same minute.
func (w *world) next(action string, now time.Time) (time.Time, error) {
	switch action {
	case actionHour:
		return now.Truncate(time.Minute).Add(time.Hour), nil
	case actionWorkday:
		// From the next midnight: today's 08:00 gives tomorrow, not today.
		tomorrow := ledger.DateOf(now.In(w.loc)).AddDays(1)
		return w.settings.NextSendTime(tomorrow.StartIn(w.loc), w.loc), nil
	case actionDigest:
		// DigestTimes already moves a fire on a day off (the 1st of
		// October, a Saturday the 16th) to the next working window.
		sched, err := w.settings.DigestTimes(w.loc)
		if err != nil {
			return time.Time{}, err
		}
		return sched.Next(now), nil
	}
	return time.Time{}, errUnknownAction
}

// move runs a clock action: the clock moves, and River, which reads its
// time from this clock, works what fell due (see arrive), as a serve
// started again after standing still that long would.
func (w *world) move(ctx context.Context, action string) (time.Time, error) {
	from := w.clock.Now()
	to, err := w.next(action, from)
	if err != nil {
		return from, err
	}
	w.clock.Set(to)
	return to, w.arrive(ctx)
}
