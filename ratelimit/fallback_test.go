package ratelimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// scripted is a Limiter that returns err and counts calls.
type scripted struct {
	mu    sync.Mutex
	err   error
	calls int
}

func (s *scripted) Wait(ctx context.Context, chatID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	return s.err
}

func (s *scripted) set(err error) { s.mu.Lock(); s.err = err; s.mu.Unlock() }

func (s *scripted) count() int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls }

func TestFallback(t *testing.T) {
	ctx := context.Background()
	primary, local := &scripted{}, &scripted{}
	f := NewFallback(primary, local)
	clk := &fakeNow{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f.now = clk.now

	wait := func(wantPrimary, wantLocal int) {
		t.Helper()
		if err := f.Wait(ctx, 1); err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if primary.count() != wantPrimary || local.count() != wantLocal {
			t.Fatalf("calls: primary %d, local %d; want %d, %d", primary.count(), local.count(), wantPrimary, wantLocal)
		}
	}
	wait(1, 0) // healthy: primary only

	down := errors.New("redis: connection refused")
	primary.set(down)
	wait(2, 1) // primary fails, local steps in
	if !errors.Is(f.LastError(), down) {
		t.Errorf("LastError = %v", f.LastError())
	}
	wait(2, 2) // primary not asked again for a while
	clk.add(primaryRetry)
	wait(3, 3) // asked again, still down

	primary.set(nil)
	clk.add(primaryRetry)
	wait(4, 3) // back on primary
	if f.LastError() != nil {
		t.Errorf("LastError = %v after recovery", f.LastError())
	}
}

// Ending ctx is the caller's doing, not a Redis failure: no fallback.
func TestFallbackCtxEnded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	primary, local := &scripted{err: context.Canceled}, &scripted{}
	f := NewFallback(primary, local)
	if err := f.Wait(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want Canceled", err)
	}
	if local.count() != 0 || f.LastError() != nil {
		t.Fatalf("fell back on a cancelled ctx: local %d calls, LastError %v", local.count(), f.LastError())
	}
}
