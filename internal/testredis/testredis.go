// Package testredis gives a test its own corner of the Redis at REDIS_URL:
// a client and a fresh random key prefix whose keys are removed when the
// test ends.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Open connects to REDIS_URL (the caller checks it is set) and returns a
// prefix such as "rectibot-test:1a2b…:". Keys under prefix — and under
// each of extra+prefix, for libraries that put their own word in front
// (redis_rate's "rate:") — are deleted at cleanup.
func Open(t testing.TB, extra ...string) (*redis.Client, string) {
	t.Helper()
	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "rectibot-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		for _, front := range append([]string{""}, extra...) {
			if keys, err := rdb.Keys(ctx, front+prefix+"*").Result(); err == nil && len(keys) > 0 {
				rdb.Del(ctx, keys...)
			}
		}
		_ = rdb.Close()
	})
	return rdb, prefix
}
