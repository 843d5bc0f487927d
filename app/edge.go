package app

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/ratelimit"
	"github.com/rectibot/rectibot/session"
)

// edge is the state shared by replicas: Redis when configured, the process
// otherwise.
type edge struct {
	sessions session.Store
	limiter  bot.Limiter
	ready    map[string]func(context.Context) error
	close    func()
}

// defaultRedisPrefix namespaces rectibot's keys in a shared Redis.
const defaultRedisPrefix = "rectibot:"

func newEdge(o Options) (edge, error) {
	db := o.Store.DB()
	e := edge{ready: map[string]func(context.Context) error{
		"database": func(ctx context.Context) error {
			sqlDB, err := db.DB()
			if err != nil {
				return err
			}
			return sqlDB.PingContext(ctx)
		},
	}, close: func() {}}
	if o.RedisURL == "" {
		e.sessions = session.NewMemory(o.Clock, session.DefaultTTL)
		e.limiter = ratelimit.NewLocal(o.Limits)
		return e, nil
	}
	opts, err := redis.ParseURL(o.RedisURL)
	if err != nil {
		return e, fmt.Errorf("REDIS_URL: %w", err)
	}
	// Fail fast when Redis is away: commands that need no dialogue go on,
	// dialogues wait in the inbox (go-redis retries a dial 5 times by default).
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = time.Second, 2*time.Second, 2*time.Second
	opts.DialerRetries = 1
	rdb := redis.NewClient(opts)
	prefix := cmp.Or(o.RedisPrefix, defaultRedisPrefix)
	e.sessions = session.NewRedis(rdb, prefix, session.DefaultTTL)
	// Shared limits across replicas; if Redis fails, each replica throttles
	// itself rather than stopping.
	e.limiter = ratelimit.NewFallback(ratelimit.NewRedis(rdb, prefix, o.Limits), ratelimit.NewLocal(o.Limits))
	e.ready["redis"] = func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
	e.close = func() { _ = rdb.Close() }
	return e, nil
}
