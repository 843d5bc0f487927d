package tgfake

import (
	"github.com/rectibot/rectibot/clock"
	"math"
	"time"
)

// Limits are the flood limits the fake enforces on sendMessage, sendPhoto
// and sendDocument (edits, chat actions and callback answers are free).
// Zero fields take Telegram's published values.
type Limits struct {
	// GlobalPerSecond caps sends across all chats in any 1-second window.
	GlobalPerSecond int // default 30
	// One private chat: PrivateBurst sends at once, then one per
	// PrivateEvery (a token bucket).
	PrivateEvery time.Duration // default 1s
	PrivateBurst int           // default 3
	// GroupPerMinute caps sends into one group or channel in any 60-second
	// window.
	GroupPerMinute int // default 20
	// CallbackTimeout is how long a callback query can be answered. Telegram
	// does not publish it; clients give up after some 10 to 15 seconds.
	CallbackTimeout time.Duration // default 10s
	// Unlimited switches the flood limits off.
	Unlimited bool
}

func (l Limits) withDefaults() Limits {
	if l.GlobalPerSecond <= 0 {
		l.GlobalPerSecond = 30
	}
	if l.PrivateEvery <= 0 {
		l.PrivateEvery = time.Second
	}
	if l.PrivateBurst <= 0 {
		l.PrivateBurst = 3
	}
	if l.GroupPerMinute <= 0 {
		l.GroupPerMinute = 20
	}
	if l.CallbackTimeout <= 0 {
		l.CallbackTimeout = 10 * time.Second
	}
	return l
}

// limiter keeps the send history the limits are judged on. The global and
// group limits are sliding windows, which never allow more than N in any
// window (a token bucket of the same rate would allow 2N); the private
// limit is the token bucket its "1 per second, bursts of 3" describes.
type limiter struct {
	global   []time.Time
	groups   map[int64][]time.Time
	private  map[int64]time.Time // theoretical arrival time (GCRA)
	cooldown map[int64]time.Time // set by an injected 429: honour retry_after
}

func newLimiter() *limiter {
	return &limiter{groups: map[int64][]time.Time{}, private: map[int64]time.Time{},
		cooldown: map[int64]time.Time{}}
}

// allow records a send into chatID at now, or says how long to wait.
func (l *limiter) allow(lim Limits, now time.Time, chatID int64, group bool) (wait time.Duration, ok bool) {
	if until := l.cooldown[chatID]; now.Before(until) {
		return until.Sub(now), false
	}
	if lim.Unlimited {
		return 0, true
	}
	l.global = prune(l.global, now.Add(-time.Second))
	if len(l.global) >= lim.GlobalPerSecond {
		wait = l.global[len(l.global)-lim.GlobalPerSecond].Add(time.Second).Sub(now)
	}
	var tat time.Time
	if group {
		w := prune(l.groups[chatID], now.Add(-time.Minute))
		l.groups[chatID] = w
		if len(w) >= lim.GroupPerMinute {
			wait = max(wait, w[len(w)-lim.GroupPerMinute].Add(time.Minute).Sub(now))
		}
	} else {
		tat = l.private[chatID]
		if tat.Before(now) {
			tat = now
		}
		slack := time.Duration(lim.PrivateBurst-1) * lim.PrivateEvery
		if ahead := tat.Sub(now); ahead > slack {
			wait = max(wait, ahead-slack)
		}
	}
	if wait > 0 {
		return wait, false
	}
	l.global = append(l.global, now)
	if group {
		l.groups[chatID] = append(l.groups[chatID], now)
	} else {
		l.private[chatID] = tat.Add(lim.PrivateEvery)
	}
	return 0, true
}

// prune drops times before cutoff; ts is in ascending order.
func prune(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	return ts[i:]
}

// retryAfter rounds a wait up to Telegram's whole seconds, at least 1.
func retryAfter(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// ManualClock is a Clock a test moves by hand: the project's own.
type ManualClock = clock.Manual

// NewManualClock starts a clock at t.
func NewManualClock(t time.Time) *ManualClock { return clock.NewManual(t) }
