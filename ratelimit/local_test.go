package ratelimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeNow is a settable time for Local.now; rate.Limiter does its
// arithmetic on the times it is given, so these tests never sleep.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeNow) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeNow) add(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func newFakeLocal(l Limits) (*Local, *fakeNow) {
	fn := &fakeNow{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	lim := NewLocal(l)
	lim.now = fn.now
	return lim, fn
}

func TestLocalTelegramLimitsOverTime(t *testing.T) {
	l, clk := newFakeLocal(TelegramLimits)
	// Private chat: a burst of 2 (the global limit spaces any two sends by
	// 1/29 s), then exactly one per second.
	mustAllow(t, l, 5, true)
	clk.add(35 * time.Millisecond)
	mustAllow(t, l, 5, true)
	if retry := mustAllow(t, l, 5, false); retry != 965*time.Millisecond {
		t.Errorf("private RetryAfter %v, want 965ms (1s after the burst began)", retry)
	}
	clk.add(964 * time.Millisecond)
	mustAllow(t, l, 5, false)
	clk.add(time.Millisecond)
	mustAllow(t, l, 5, true)
	mustAllow(t, l, 5, false)

	// Group: 1 at once, then one per 60/19 s: 20 in the closed minute [0, 60s].
	sent := 0
	for range 601 { // one try every 100 ms
		if ok, _, _ := l.Allow(context.Background(), -1001); ok {
			sent++
		}
		clk.add(100 * time.Millisecond)
	}
	// The 20th token is due at exactly 60 s; whether the last try lands on
	// it is a matter of rounding. Never more than Telegram's 20.
	if sent < 19 || sent > 20 {
		t.Errorf("group: %d sent in a minute, want 19 or 20", sent)
	}
}

func TestLocalGlobal(t *testing.T) {
	l, clk := newFakeLocal(TelegramLimits)
	sent := 0
	for id := range int64(1001) { // one message each to 1001 chats over [0, 1s]
		if ok, _, _ := l.Allow(context.Background(), id+1); ok {
			sent++
		}
		clk.add(time.Millisecond)
	}
	if sent != 1+28 { // the 30th token comes at exactly 1 s, just past the loop
		t.Errorf("%d sent in one second across chats, want 29", sent)
	}
}

// A refused Wait must not keep the slot it was waiting for.
func TestLocalWaitCancelGivesSlotBack(t *testing.T) {
	l, clk := newFakeLocal(Limits{Global: roomy, PrivateChat: Rate{1, time.Second, 1}, Group: Rate{1, time.Second, 1}})
	mustAllow(t, l, 9, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.Wait(ctx, 9); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v, want DeadlineExceeded", err)
	}
	clk.add(time.Second)
	mustAllow(t, l, 9, true) // the cancelled Wait's reservation was returned
}

func TestLocalEvictsIdleChats(t *testing.T) {
	l, clk := newFakeLocal(TelegramLimits)
	for id := range int64(500) {
		_, _, _ = l.Allow(context.Background(), id+1)
	}
	if n := len(l.chats); n != 500 {
		t.Fatalf("%d chat buckets, want 500", n)
	}
	clk.add(sweepEvery)
	mustAllow(t, l, 5, true) // chat 5's bucket was dropped as full: a fresh one
	if n := len(l.chats); n != 1 {
		t.Fatalf("%d chat buckets after a quiet minute, want 1", n)
	}
}

func TestInvalidRatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewLocal accepted a zero rate")
		}
	}()
	NewLocal(Limits{Global: roomy, PrivateChat: Rate{}, Group: roomy})
}
