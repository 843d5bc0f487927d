package session

import (
	"context"
	"github.com/rectibot/rectibot/internal/testredis"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rectibot/rectibot/clock"
)

// harness is one store under test plus a way to let time pass for it.
type harness struct {
	store Store
	// age lets d pass for every key of this store: the memory store's
	// clock moves; in Redis every key's remaining TTL shrinks by d (keys
	// whose TTL runs out are deleted by Redis itself, since a non-positive
	// PEXPIRE expires the key at once). Waiting 30 real minutes is not an
	// option, and lowering TTLs exercises the same server-side expiry.
	age func(t *testing.T, d time.Duration)
}

type factory struct {
	name string
	make func(t *testing.T, ttl time.Duration) harness
}

// factories lists the stores every shared behaviour runs against: memory
// always, Redis when REDIS_URL is set (CI runs both ways).
func factories(t *testing.T) []factory {
	fs := []factory{{"memory", func(t *testing.T, ttl time.Duration) harness {
		clk := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		return harness{
			store: NewMemory(clk, ttl),
			age:   func(t *testing.T, d time.Duration) { clk.Advance(d) },
		}
	}}}
	if os.Getenv("REDIS_URL") != "" {
		fs = append(fs, factory{"redis", func(t *testing.T, ttl time.Duration) harness {
			rdb, prefix := testRedis(t)
			return harness{
				store: NewRedis(rdb, prefix, ttl),
				age:   func(t *testing.T, d time.Duration) { ageKeys(t, rdb, prefix, d) },
			}
		}})
	}
	return fs
}

// testRedis is this package's corner of REDIS_URL.
func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	return testredis.Open(t)
}

// ageKeys shortens the TTL of every key under prefix by d.
func ageKeys(t *testing.T, rdb *redis.Client, prefix string, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		left, err := rdb.PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if left < 0 { // gone meanwhile, or no TTL (would be a bug: caught elsewhere)
			continue
		}
		if err := rdb.PExpire(ctx, k, left-d).Err(); err != nil {
			t.Fatal(err)
		}
	}
}
