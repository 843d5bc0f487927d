package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is a Limiter whose buckets live in Redis (GCRA via redis_rate), so
// every replica draws from one budget per chat and one global budget. The
// keys are "rate:"+prefix+"rl:chat:<id>" and "rate:"+prefix+"rl:global"
// (redis_rate puts "rate:" in front); each expires once its bucket is full
// again, so idle chats cost nothing.
//
// Wait queues like Local's: each caller reserves the next slot of the
// chat's bucket, then of the global one, and sleeps until it
// (redis_reserve.go).
type Redis struct {
	rdb    redis.UniversalClient
	lim    *redis_rate.Limiter
	prefix string
	limits Limits
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a limiter enforcing l across every replica that uses the
// same rdb and prefix. It panics on a Rate with Count or Per <= 0.
func NewRedis(rdb redis.UniversalClient, prefix string, l Limits) *Redis {
	return &Redis{rdb: rdb, lim: redis_rate.NewLimiter(rdb), prefix: prefix, limits: l.check()}
}

func (r *Redis) chatKey(chatID int64) string {
	return r.prefix + "rl:chat:" + strconv.FormatInt(chatID, 10)
}

func (r *Redis) globalKey() string { return r.prefix + "rl:global" }

func toLimit(rt Rate) redis_rate.Limit {
	return redis_rate.Limit{Rate: rt.Count, Period: rt.Per, Burst: rt.Burst}
}

// try takes one slot from a bucket if one is free now.
func (r *Redis) try(ctx context.Context, key string, rt Rate) (bool, time.Duration, error) {
	res, err := r.lim.Allow(ctx, key, toLimit(rt))
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: redis: %w", err)
	}
	if res.Allowed > 0 {
		return true, 0, nil
	}
	// GCRA reports the exact wait; the floor only guards against a
	// rounding zero turning the caller's retry loop into a spin.
	return false, max(res.RetryAfter, time.Millisecond), nil
}

// Allow takes a slot for one message to chatID if one is free now, without
// waiting, and otherwise reports how long until one frees up. The chat is
// checked first, and the global slot is taken only once the chat's was
// granted, so a busy chat does not burn global capacity. If the global
// bucket is the one that refuses, the chat's slot stays spent (GCRA has no
// refund): the error is on the side of sending less.
func (r *Redis) Allow(ctx context.Context, chatID int64) (ok bool, retryAfter time.Duration, err error) {
	if ok, retryAfter, err = r.try(ctx, r.chatKey(chatID), r.limits.forChat(chatID)); !ok || err != nil {
		return ok, retryAfter, err
	}
	return r.try(ctx, r.globalKey(), r.limits.Global)
}

// Wait implements Limiter: it reserves the chat's next slot and waits for
// it, then a global one. A Redis error ends the wait at once (wrapped), so
// the caller can fall back to local limiting.
func (r *Redis) Wait(ctx context.Context, chatID int64) error {
	if err := r.waitReserved(ctx, r.chatKey(chatID), r.limits.forChat(chatID)); err != nil {
		return err
	}
	return r.waitReserved(ctx, r.globalKey(), r.limits.Global)
}
