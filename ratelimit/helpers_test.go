package ratelimit

import (
	"context"
	"github.com/rectibot/rectibot/internal/testredis"
	"net"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// allower is what the shared tests need: both limiters have Allow.
type allower interface {
	Limiter
	Allow(ctx context.Context, chatID int64) (bool, time.Duration, error)
}

type factory struct {
	name string
	make func(t *testing.T, l Limits) allower
}

// factories lists the limiters the shared tests run against: Local always,
// Redis when REDIS_URL is set (CI runs both ways).
func factories() []factory {
	fs := []factory{{"local", func(t *testing.T, l Limits) allower { return NewLocal(l) }}}
	if os.Getenv("REDIS_URL") != "" {
		fs = append(fs, factory{"redis", func(t *testing.T, l Limits) allower {
			rdb, prefix := testRedis(t)
			return NewRedis(rdb, prefix, l)
		}})
	}
	return fs
}

// testRedis is this package's corner of REDIS_URL.
func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	return testredis.Open(t, "rate:")
}

// downRedis is a client for a port nobody listens on. go-redis retries a
// refused dial 5 times, 100 ms apart, by default; production clients should
// lower DialerRetries the same way so a Redis outage is noticed at once.
func downRedis(t *testing.T) *redis.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond, DialerRetries: 1, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// roomy is a global rate high enough never to be the one that refuses.
var roomy = Rate{Count: 1000, Per: time.Second, Burst: 1000}

func mustAllow(t *testing.T, l allower, chatID int64, want bool) time.Duration {
	t.Helper()
	ok, retry, err := l.Allow(context.Background(), chatID)
	if err != nil {
		t.Fatalf("Allow(%d): %v", chatID, err)
	}
	if ok != want {
		t.Fatalf("Allow(%d) = %v (retry %v), want %v", chatID, ok, retry, want)
	}
	return retry
}
