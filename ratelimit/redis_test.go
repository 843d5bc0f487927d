package ratelimit

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

func needRedis(t *testing.T) {
	t.Helper()
	if os.Getenv("REDIS_URL") == "" {
		t.Skip("REDIS_URL not set: only the local limiter is tested")
	}
}

// Two replicas with the same prefix draw from one budget; another prefix
// (another deployment) does not.
func TestRedisReplicasShare(t *testing.T) {
	needRedis(t)
	t.Parallel()
	rdb, prefix := testRedis(t)
	l := Limits{Global: roomy, PrivateChat: Rate{1, time.Second, 2}, Group: Rate{15, time.Minute, 4}}
	a, b := NewRedis(rdb, prefix, l), NewRedis(rdb, prefix, l)
	mustAllow(t, a, 42, true)
	mustAllow(t, b, 42, true)
	mustAllow(t, a, 42, false)
	mustAllow(t, b, 42, false)
	rdb2, prefix2 := testRedis(t)
	mustAllow(t, NewRedis(rdb2, prefix2, l), 42, true)

	if n := rdb.Exists(context.Background(), "rate:"+prefix+"rl:chat:42", "rate:"+prefix+"rl:global").Val(); n != 2 {
		t.Errorf("%d of the expected keys exist, want 2", n)
	}
}

// TestRedisDown needs no server: the client points at a closed port.
func TestRedisDown(t *testing.T) {
	t.Parallel()
	r := NewRedis(downRedis(t), "down:", TelegramLimits)
	start := time.Now()
	err := r.Wait(context.Background(), 42)
	if took := time.Since(start); took > 300*time.Millisecond {
		t.Errorf("Wait took %v with Redis down", took)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Wait = %v, want an error wrapping connection refused", err)
	}
	if _, _, err := r.Allow(context.Background(), 42); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Allow = %v, want an error wrapping connection refused", err)
	}

	// What serve does: fall back to local limiting.
	f := NewFallback(r, NewLocal(TelegramLimits))
	start = time.Now()
	for range 2 { // the private burst: no waiting
		if err := f.Wait(context.Background(), 42); err != nil {
			t.Fatalf("Fallback.Wait: %v", err)
		}
	}
	if took := time.Since(start); took > 300*time.Millisecond {
		t.Errorf("Fallback took %v", took)
	}
	if !errors.Is(f.LastError(), syscall.ECONNREFUSED) {
		t.Errorf("LastError = %v", f.LastError())
	}
}
