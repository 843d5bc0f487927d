package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// sweepEvery is how often Local looks for idle chat buckets to drop.
const sweepEvery = time.Minute

// Local is an in-process Limiter: one global token bucket plus one per chat.
type Local struct {
	limits Limits
	global *rate.Limiter
	// now is time.Now; tests feed their own times through it, since
	// rate.Limiter takes "now" as an argument (ReserveN(now, n)).
	now func() time.Time

	mu        sync.Mutex
	chats     map[int64]*rate.Limiter
	nextSweep time.Time
}

var _ Limiter = (*Local)(nil)

// NewLocal returns a limiter enforcing l in this process. It panics on a
// Rate with Count or Per <= 0.
func NewLocal(l Limits) *Local {
	l = l.check()
	return &Local{
		limits: l,
		global: rate.NewLimiter(l.Global.limit(), l.Global.Burst),
		now:    time.Now,
		chats:  map[int64]*rate.Limiter{},
	}
}

// chatLocked returns chatID's bucket, creating it, and now and then drops
// buckets that are full again: a full bucket is what a new one would be, so
// forgetting it loses nothing, and the map stays the size of the chats
// recently written to. Callers hold mu.
func (l *Local) chatLocked(chatID int64, now time.Time) *rate.Limiter {
	if !now.Before(l.nextSweep) {
		l.nextSweep = now.Add(sweepEvery)
		for id, lim := range l.chats {
			if lim.TokensAt(now) >= float64(lim.Burst()) {
				delete(l.chats, id)
			}
		}
	}
	lim, ok := l.chats[chatID]
	if !ok {
		r := l.limits.forChat(chatID)
		lim = rate.NewLimiter(r.limit(), r.Burst)
		l.chats[chatID] = lim
	}
	return lim
}

// Allow takes a slot for one message to chatID if one is free now, without
// waiting. Otherwise it takes nothing and reports how long until a slot
// frees up. The error is always nil; it is there to match Redis.Allow.
func (l *Local) Allow(ctx context.Context, chatID int64) (ok bool, retryAfter time.Duration, err error) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chatLocked(chatID, now).ReserveN(now, 1)
	if d := c.DelayFrom(now); d > 0 {
		c.CancelAt(now)
		return false, d, nil
	}
	g := l.global.ReserveN(now, 1)
	if d := g.DelayFrom(now); d > 0 {
		// Under mu nothing else reserved meanwhile, so both cancels give
		// the tokens back in full.
		g.CancelAt(now)
		c.CancelAt(now)
		return false, d, nil
	}
	return true, 0, nil
}

// Wait implements Limiter. It first waits for the chat's slot and only then
// reserves a global one: reserving both at once would let a backlog for one
// slow chat (a group gets one message every 4 s) claim global capacity long
// before using it and starve every other chat.
func (l *Local) Wait(ctx context.Context, chatID int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ratelimit: %w", err)
	}
	now := l.now()
	l.mu.Lock()
	c := l.chatLocked(chatID, now).ReserveN(now, 1)
	l.mu.Unlock()
	if err := sleep(ctx, c.DelayFrom(now)); err != nil {
		c.CancelAt(l.now()) // give the slot to the next message
		return err
	}
	now = l.now()
	l.mu.Lock() // see Allow: its cancels rely on nothing reserving in between
	g := l.global.ReserveN(now, 1)
	l.mu.Unlock()
	if err := sleep(ctx, g.DelayFrom(now)); err != nil {
		g.CancelAt(l.now())
		return err
	}
	return nil
}
