package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store shared by replicas. A state lives at
// prefix+"sess:{chat}:{user}" as JSON with a TTL; its tombstone at
// prefix+"seen:{chat}:{user}". The braces are literal: they are a Redis
// Cluster hash tag on the chat id, so a state and its tombstone always live
// in one slot and can be written in one MULTI.
type Redis struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
	now    func() time.Time // stamps UpdatedAt; expiry itself is Redis's clock
}

var _ Store = (*Redis)(nil)

// NewRedis returns a store on rdb; ttl <= 0 means DefaultTTL. prefix
// separates deployments (and tests) sharing one Redis, e.g. "rectibot:".
func NewRedis(rdb redis.UniversalClient, prefix string, ttl time.Duration) *Redis {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Redis{rdb: rdb, prefix: prefix, ttl: ttl, now: time.Now}
}

func (r *Redis) keys(chatID, userID int64) (state, seen string) {
	id := "{" + strconv.FormatInt(chatID, 10) + "}:" + strconv.FormatInt(userID, 10)
	return r.prefix + "sess:" + id, r.prefix + "seen:" + id
}

// unavailable marks a Redis failure; errors.Is matches both ErrUnavailable
// and the cause.
func unavailable(err error) error {
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// Get implements Store.
func (r *Redis) Get(ctx context.Context, chatID, userID int64) (State, bool, error) {
	sk, _ := r.keys(chatID, userID)
	raw, err := r.rdb.Get(ctx, sk).Bytes()
	if errors.Is(err, redis.Nil) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, unavailable(err)
	}
	st, err := decode(raw)
	if err != nil {
		return State{}, false, err
	}
	return st, true, nil
}

// passthrough carries an error out of the WATCH callback that must reach
// the caller unchanged (fn's own error, an undecodable state) rather than be
// reported as Redis being unavailable.
type passthrough struct{ err error }

func (p passthrough) Error() string { return p.err.Error() }
func (p passthrough) Unwrap() error { return p.err }

// Update implements Store with optimistic locking: WATCH the state key, read
// it, run fn, and write in MULTI/EXEC. If another replica wrote the key in
// between, EXEC aborts (redis.TxFailedErr) and the whole read-fn-write runs
// again.
func (r *Redis) Update(ctx context.Context, chatID, userID int64, fn func(st *State, exists bool) error) (State, error) {
	sk, mk := r.keys(chatID, userID)
	return update(ctx, func() (State, bool, error) {
		var out State
		err := r.rdb.Watch(ctx, func(tx *redis.Tx) error {
			st, exists := fresh(), false
			raw, err := tx.Get(ctx, sk).Bytes()
			switch {
			case errors.Is(err, redis.Nil):
			case err != nil:
				return err
			default:
				if st, err = decode(raw); err != nil {
					return passthrough{err}
				}
				exists = true
			}

			ferr := fn(&st, exists)
			if errors.Is(ferr, ErrDelete) {
				_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.Del(ctx, sk, mk)
					return nil
				})
				return err
			}
			if ferr != nil {
				return passthrough{ferr}
			}

			st.UpdatedAt = r.now()
			raw, err = json.Marshal(st)
			if err != nil {
				return passthrough{fmt.Errorf("session: encode state: %w", err)}
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, sk, raw, r.ttl)
				p.Set(ctx, mk, 1, r.ttl+tombstoneGrace)
				return nil
			})
			out = st
			return err
		}, sk)

		var pt passthrough
		switch {
		case err == nil:
			return out, false, nil
		case errors.Is(err, redis.TxFailedErr):
			return State{}, true, nil
		case errors.As(err, &pt):
			return State{}, false, pt.err
		default:
			return State{}, false, unavailable(err)
		}
	})
}

// Delete implements Store.
func (r *Redis) Delete(ctx context.Context, chatID, userID int64) error {
	sk, mk := r.keys(chatID, userID)
	if err := r.rdb.Del(ctx, sk, mk).Err(); err != nil {
		return unavailable(err)
	}
	return nil
}

// Expired implements Store.
func (r *Redis) Expired(ctx context.Context, chatID, userID int64) (bool, error) {
	sk, mk := r.keys(chatID, userID)
	var live, seen *redis.IntCmd
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		live = p.Exists(ctx, sk)
		seen = p.Exists(ctx, mk)
		return nil
	})
	if err != nil {
		return false, unavailable(err)
	}
	return live.Val() == 0 && seen.Val() == 1, nil
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.rdb.Ping(ctx).Err(); err != nil {
		return unavailable(err)
	}
	return nil
}
