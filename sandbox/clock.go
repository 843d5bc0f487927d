package sandbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/scheduler"
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
func startTime(now time.Time, s scheduler.Settings, loc *time.Location) time.Time {
	today := ledger.DateOf(now.In(loc))
	return s.NextSendTime(today.StartIn(loc), loc)
}

// next is where an action moves the clock from now.
func (w *world) next(action string, now time.Time) (time.Time, error) {
	switch action {
	case actionHour:
		return now.Add(time.Hour), nil
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

// move runs a clock action: the clock moves, then what fell due runs.
func (w *world) move(ctx context.Context, action string) (time.Time, error) {
	from := w.clock.Now()
	to, err := w.next(action, from)
	if err != nil {
		return from, err
	}
	w.clock.Set(to)
	return to, w.tick(ctx, from, to)
}

// tick does what the scheduler would have done as the clock went from
// `from` to `to`. In production River runs it: task_due jobs wake at their
// planned instant, enqueue notify jobs, and a periodic job sends the digest.
// River waits on the database's real clock, which the sandbox cannot move,
// so the sandbox calls the same functions those workers call —
// Notifier.Notify and GroupDigestWorker.Send take the time as an argument —
// once the clock has moved. Notify recomputes what is due from the ledger
// and skips what was told already, so calling it for everyone at every
// move sends each reminder once; what fell due on days skipped over is
// dropped, as the scheduler drops a stale reminder (escalations catch up).
func (w *world) tick(ctx context.Context, from, to time.Time) error {
	if w.settings.InWindow(to, w.loc) {
		for _, rc := range w.recipients() {
			_, err := w.notifier.Notify(ctx, rc, to)
			switch {
			case errors.Is(err, scheduler.ErrNotLinked), errors.Is(err, outbound.ErrUnreachable):
				// As the notify worker: they get it when they link or
				// unblock; the admins' digest lists them.
			case err != nil:
				return fmt.Errorf("reminders for %d: %w", rc.TelegramID, err)
			}
		}
	}
	sched, err := w.settings.DigestTimes(w.loc)
	if err != nil {
		return err
	}
	// At most one fire lies between two moves: "digest" stops at the next
	// one, and the other actions move by less than half a month.
	if at := sched.Next(from); !at.IsZero() && !at.After(to) {
		run := at.UTC().Format("2006-01-02T15") // the worker's run key, from the fire's time
		if err := w.digest.Send(ctx, to, run); err != nil {
			return fmt.Errorf("digest: %w", err)
		}
	}
	return nil
}
