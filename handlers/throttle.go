package handlers

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// KeyThrottle allows n attempts per key in a sliding window, in process.
// It guards /start codes against guessing; a code has 128 random bits, so
// the throttle is politeness toward the database more than security, and a
// per-replica count is enough.
type KeyThrottle struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	keys  map[string]*rate.Limiter
	now   func() time.Time
}

// NewKeyThrottle allows burst attempts, refilled one per interval.
func NewKeyThrottle(burst int, interval time.Duration, now func() time.Time) *KeyThrottle {
	if now == nil {
		now = time.Now
	}
	return &KeyThrottle{every: rate.Every(interval), burst: burst, keys: map[string]*rate.Limiter{}, now: now}
}

// Allow implements Throttle.
func (t *KeyThrottle) Allow(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.keys[key]
	if l == nil {
		if len(t.keys) > 10000 { // forget everyone rather than grow without bound
			t.keys = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(t.every, t.burst)
		t.keys[key] = l
	}
	return l.AllowN(t.now(), 1)
}
