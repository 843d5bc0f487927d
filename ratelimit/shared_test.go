package ratelimit

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// These run against Local and Redis on real time. They make immediate
// requests and check RetryAfter rather than counting sends over a measured
// window; only the Wait tests sleep, briefly.
var behaviours = []struct {
	name string
	run  func(t *testing.T, f factory)
}{
	{"private chat: burst, then about 1/s", func(t *testing.T, f factory) {
		l := f.make(t, Limits{Global: roomy, PrivateChat: Rate{1, time.Second, 2}, Group: Rate{15, time.Minute, 4}})
		mustAllow(t, l, 42, true)
		mustAllow(t, l, 42, true)
		retry := mustAllow(t, l, 42, false)
		if retry < 900*time.Millisecond || retry > time.Second {
			t.Errorf("RetryAfter %v, want about 1s", retry)
		}
		mustAllow(t, l, 43, true) // another chat has its own bucket
	}},
	{"group: burst, then one per 4s", func(t *testing.T, f factory) {
		l := f.make(t, Limits{Global: roomy, PrivateChat: Rate{1, time.Second, 2}, Group: Rate{15, time.Minute, 4}})
		for range 4 {
			mustAllow(t, l, -100123, true)
		}
		retry := mustAllow(t, l, -100123, false)
		if retry < 3900*time.Millisecond || retry > 4*time.Second {
			t.Errorf("RetryAfter %v, want about 4s", retry)
		}
	}},
	{"global caps all chats; a busy chat does not burn it", func(t *testing.T, f factory) {
		l := f.make(t, Limits{Global: Rate{3, time.Second, 3}, PrivateChat: Rate{1, time.Second, 1}, Group: Rate{1, time.Second, 1}})
		mustAllow(t, l, 1, true)
		for range 10 {
			mustAllow(t, l, 1, false) // refused by the chat: global untouched
		}
		mustAllow(t, l, 2, true)
		mustAllow(t, l, -3, true)
		retry := mustAllow(t, l, 4, false) // refused by the global bucket
		if retry <= 0 || retry > 334*time.Millisecond {
			t.Errorf("global RetryAfter %v, want at most 1/3 s", retry)
		}
	}},
	{"Wait returns after about RetryAfter", func(t *testing.T, f factory) {
		l := f.make(t, Limits{Global: roomy, PrivateChat: Rate{1, 300 * time.Millisecond, 1}, Group: Rate{1, time.Second, 1}})
		mustAllow(t, l, 7, true)
		retry := mustAllow(t, l, 7, false)
		start := time.Now()
		if err := l.Wait(context.Background(), 7); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		if took < retry-20*time.Millisecond || took > 1500*time.Millisecond {
			t.Errorf("Wait took %v, RetryAfter was %v", took, retry)
		}
		mustAllow(t, l, 7, false) // Wait took the slot
	}},
	{"concurrent Waits queue for successive global slots", func(t *testing.T, f factory) {
		// Ten senders to ten chats at once under 20/s burst 1: each gets
		// its own slot, in turn, 50 ms apart — none early (timers never
		// fire early, so the gaps are a lower bound that cannot flake).
		const n = 10
		l := f.make(t, Limits{Global: Rate{20, time.Second, 1}, PrivateChat: Rate{1, time.Second, 2}, Group: Rate{1, time.Second, 1}})
		done := make(chan time.Time, n)
		start := time.Now()
		for i := range n {
			go func() {
				if err := l.Wait(context.Background(), int64(100+i)); err != nil {
					t.Error(err)
				}
				done <- time.Now()
			}()
		}
		ends := make([]time.Time, 0, n)
		for range n {
			ends = append(ends, <-done)
		}
		slices.SortFunc(ends, func(a, b time.Time) int { return a.Compare(b) })
		if last := ends[n-1].Sub(start); last < (n-1)*45*time.Millisecond {
			t.Errorf("%d messages let through in %v, want at least %v at 20/s", n, last, (n-1)*50*time.Millisecond)
		}
		for i := 1; i < n; i++ {
			if gap := ends[i].Sub(ends[0]); gap < time.Duration(i)*45*time.Millisecond {
				t.Errorf("message %d let through %v after the first, want ≥ %v", i+1, gap, time.Duration(i)*50*time.Millisecond)
			}
		}
	}},
	{"Wait gives up when ctx ends", func(t *testing.T, f factory) {
		l := f.make(t, Limits{Global: roomy, PrivateChat: Rate{1, time.Minute, 1}, Group: Rate{1, time.Minute, 1}})
		mustAllow(t, l, 8, true)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := l.Wait(ctx, 8)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait = %v, want DeadlineExceeded", err)
		}
		if took := time.Since(start); took > 500*time.Millisecond {
			t.Errorf("Wait took %v after ctx ended", took)
		}
	}},
}

func TestLimiters(t *testing.T) {
	for _, f := range factories() {
		t.Run(f.name, func(t *testing.T) {
			for _, b := range behaviours {
				t.Run(b.name, func(t *testing.T) {
					t.Parallel()
					b.run(t, f)
				})
			}
		})
	}
}

// TestTelegramLimits checks the margins the doc comment promises: a token
// bucket lets Burst+Count through in any window of length Per, and that
// must stay under what the (fake) Bot API enforces.
func TestTelegramLimits(t *testing.T) {
	for _, c := range []struct {
		name     string
		r        Rate
		per      time.Duration
		telegram int
	}{
		{"global", TelegramLimits.Global, time.Second, 30},
		{"private", TelegramLimits.PrivateChat, time.Second, 3},
		{"group", TelegramLimits.Group, time.Minute, 20},
	} {
		if c.r.Per != c.per {
			t.Errorf("%s: Per %v, want %v", c.name, c.r.Per, c.per)
		}
		if n := c.r.Burst + c.r.Count; n > c.telegram {
			t.Errorf("%s: up to %d in one window, Telegram allows %d", c.name, n, c.telegram)
		}
	}
	if TelegramLimits.PrivateChat.Burst >= 3 {
		t.Error("private burst leaves no headroom under Telegram's burst of 3")
	}
	NewLocal(TelegramLimits) // valid: does not panic
}
