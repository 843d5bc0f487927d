package ratelimit

import (
	"context"
	"sync"
	"time"
)

// primaryRetry is how long Fallback stays on the fallback after the primary
// failed. Asking a dead Redis before every message would add a failed dial
// (up to the client's dial timeout) to each send.
const primaryRetry = 5 * time.Second

// Fallback is a Limiter that uses primary (Redis) and, while primary
// errors, fallback (Local). During an outage each replica limits only its
// own messages, so together they may exceed Telegram's limits; the sender's
// 429 handling covers that until Redis is back.
type Fallback struct {
	primary, fallback Limiter
	now               func() time.Time

	mu      sync.Mutex
	until   time.Time // use fallback until then
	lastErr error
}

var _ Limiter = (*Fallback)(nil)

// NewFallback returns a limiter that prefers primary and uses fallback for a
// few seconds after each primary failure.
func NewFallback(primary, fallback Limiter) *Fallback {
	return &Fallback{primary: primary, fallback: fallback, now: time.Now}
}

// Wait implements Limiter. Ending ctx is not a primary failure: the error is
// returned as is.
func (f *Fallback) Wait(ctx context.Context, chatID int64) error {
	f.mu.Lock()
	usePrimary := !f.now().Before(f.until)
	f.mu.Unlock()

	if usePrimary {
		err := f.primary.Wait(ctx, chatID)
		if err == nil || ctx.Err() != nil {
			f.record(nil)
			return err
		}
		f.record(err)
	}
	return f.fallback.Wait(ctx, chatID)
}

func (f *Fallback) record(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastErr = err
	if err != nil {
		f.until = f.now().Add(primaryRetry)
	}
}

// LastError returns the primary's most recent error while the fallback is
// in use, and nil once the primary works again: for readiness checks, logs
// and metrics.
func (f *Fallback) LastError() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastErr
}
