package scheduler

import (
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rectibot/rectibot/clock"
)

// WithTime makes River read the time from clk instead of the wall clock,
// through River's own time stub (river.Config.Test.Time). The sandbox
// drives its manual clock this way, so a clock move makes jobs due as time
// passing would, and River itself fetches and works them: the producer's
// fetch (JobGetAvailable's now) compares scheduled_at with the stub's
// time, and so do an insert's default scheduled_at, snoozes, retries, the
// scheduler that makes snoozed and retried jobs available, completion and
// leader election. Not all of River: its timers (the periodic job
// enqueuer's next run, maintenance intervals) wait in real time, so a
// periodic job does not fire when the clock jumps past it (DigestCatchUp
// covers the digest), and the rescuer and the cleaner measure job ages
// from the wall clock (river@v0.51.2 internal/maintenance). Not for serve:
// River documents the stub as a test facility.
func WithTime(clk clock.Clock) Option {
	return func(c *river.Config) { c.Test.Time = riverTime{clk} }
}

// WithFetchInterval sets how often River looks for jobs that came due
// (FetchPollInterval; River's default is a second) and how soon after a
// fetch it may fetch again (FetchCooldown). The sandbox shortens both so a
// clock move is worked within a fraction of a second.
func WithFetchInterval(poll, cooldown time.Duration) Option {
	return func(c *river.Config) {
		c.FetchPollInterval = poll
		c.FetchCooldown = min(cooldown, poll)
	}
}

// riverTime adapts a clock to River's rivertype.TimeGenerator.
type riverTime struct{ clk clock.Clock }

var _ rivertype.TimeGenerator = riverTime{}

// Now is the clock's time.
func (t riverTime) Now() time.Time { return t.clk.Now() }

// NowOrNil is never nil: River then passes this time to the database
// queries (fetch, completion, elections) instead of the database's own
// now(), which is what makes the stub reach the fetch at all.
func (t riverTime) NowOrNil() *time.Time {
	now := t.clk.Now()
	return &now
}
