package bot

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rectibot/rectibot/clock"
)

// Deduper remembers which update ids were taken, so an update Telegram
// delivers twice (a webhook answered late, a poller restarted before
// confirming) is handled once — across replicas when it is Redis.
type Deduper interface {
	// Claim reports whether the update is new, and takes it if so.
	Claim(ctx context.Context, updateID int64) (bool, error)
	// Release forgets a claim whose handling failed, so a redelivery runs.
	Release(ctx context.Context, updateID int64) error
}

// updateMemory is how long an update id is remembered: Telegram keeps
// unconfirmed updates for 24 hours.
const updateMemory = 25 * time.Hour

// MemoryDeduper keeps claims in process, for a single instance.
type MemoryDeduper struct {
	clock clock.Clock
	mu    sync.Mutex
	seen  map[int64]time.Time
	sweep time.Time
}

// NewMemoryDeduper returns an in-process deduper.
func NewMemoryDeduper(clk clock.Clock) *MemoryDeduper {
	return &MemoryDeduper{clock: clk, seen: map[int64]time.Time{}}
}

// Claim implements Deduper.
func (m *MemoryDeduper) Claim(_ context.Context, id int64) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	if now.Sub(m.sweep) > time.Hour { // forget old ids now and then
		for k, at := range m.seen {
			if now.Sub(at) > updateMemory {
				delete(m.seen, k)
			}
		}
		m.sweep = now
	}
	if at, ok := m.seen[id]; ok && now.Sub(at) <= updateMemory {
		return false, nil
	}
	m.seen[id] = now
	return true, nil
}

// Release implements Deduper.
func (m *MemoryDeduper) Release(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.seen, id)
	return nil
}

// RedisDeduper shares claims between replicas with SET NX.
type RedisDeduper struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisDeduper returns a deduper on Redis under prefix.
func NewRedisDeduper(rdb redis.UniversalClient, prefix string) *RedisDeduper {
	return &RedisDeduper{rdb: rdb, prefix: prefix}
}

func (r *RedisDeduper) key(id int64) string { return r.prefix + "upd:" + strconv.FormatInt(id, 10) }

// Claim implements Deduper.
func (r *RedisDeduper) Claim(ctx context.Context, id int64) (bool, error) {
	ok, err := r.rdb.SetNX(ctx, r.key(id), 1, updateMemory).Result()
	if err != nil {
		return false, fmt.Errorf("redis: %w", err)
	}
	return ok, nil
}

// Release implements Deduper.
func (r *RedisDeduper) Release(ctx context.Context, id int64) error {
	if err := r.rdb.Del(ctx, r.key(id)).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}
