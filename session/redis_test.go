package session

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func needRedis(t *testing.T) {
	t.Helper()
	if os.Getenv("REDIS_URL") == "" {
		t.Skip("REDIS_URL not set: only the in-process store is tested")
	}
}

func TestRedisKeysAndTTLs(t *testing.T) {
	needRedis(t)
	t.Parallel()
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := NewRedis(rdb, prefix, time.Second)
	if _, err := s.Update(ctx, -100, 7, func(st *State, _ bool) error { st.Dialogue = "group"; return nil }); err != nil {
		t.Fatal(err)
	}
	stateKey, seenKey := prefix+"sess:{-100}:7", prefix+"seen:{-100}:7"
	if ttl := rdb.PTTL(ctx, stateKey).Val(); ttl <= 0 || ttl > time.Second {
		t.Errorf("state PTTL %v, want (0, 1s]", ttl)
	}
	if ttl := rdb.PTTL(ctx, seenKey).Val(); ttl <= tombstoneGrace || ttl > tombstoneGrace+time.Second {
		t.Errorf("tombstone PTTL %v, want about TTL+24h", ttl)
	}
	// Both keys carry the hash tag {chat}, so one MULTI may write both in
	// Redis Cluster too.
	if n := rdb.Exists(ctx, stateKey, seenKey).Val(); n != 2 {
		t.Fatalf("%d of the keys %q, %q exist", n, stateKey, seenKey)
	}
}

// TestRedisRealExpiry lets Redis itself expire a state: the key's TTL is cut
// to 1 ms and the test polls until Redis reports it gone. Polling (bounded,
// no sleep) observes the server's expiry without waiting a real TTL.
func TestRedisRealExpiry(t *testing.T) {
	needRedis(t)
	t.Parallel()
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := NewRedis(rdb, prefix, time.Second)
	if _, err := s.Update(ctx, chat, user, func(st *State, _ bool) error { st.Dialogue = "report"; return nil }); err != nil {
		t.Fatal(err)
	}
	stateKey, _ := s.keys(chat, user)
	if err := rdb.PExpire(ctx, stateKey, time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for rdb.Exists(ctx, stateKey).Val() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("Redis did not expire the state within 1s")
		}
	}
	if _, ok, err := s.Get(ctx, chat, user); ok || err != nil {
		t.Fatalf("Get after expiry = ok %v, err %v", ok, err)
	}
	if exp, err := s.Expired(ctx, chat, user); !exp || err != nil {
		t.Fatalf("Expired = %v, %v; want true", exp, err)
	}
}

func TestRedisCorruptState(t *testing.T) {
	needRedis(t)
	t.Parallel()
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := NewRedis(rdb, prefix, time.Minute)
	stateKey, _ := s.keys(chat, user)
	rdb.Set(ctx, stateKey, "{not json", time.Minute)
	if _, _, err := s.Get(ctx, chat, user); err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("Get on corrupt state: err %v, want a decode error", err)
	}
	if _, err := s.Update(ctx, chat, user, func(*State, bool) error { return nil }); err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("Update on corrupt state: err %v, want a decode error", err)
	}
	// /cancel still gets the user out.
	if err := s.Delete(ctx, chat, user); err != nil {
		t.Fatal(err)
	}
}

// TestRedisDown points the store at a port nobody listens on: every call
// fails fast with ErrUnavailable wrapping the cause. Runs without REDIS_URL
// too; it needs no server.
func TestRedisDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	// go-redis retries a refused dial 5 times, 100 ms apart, by default;
	// production clients should lower DialerRetries the same way.
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond, DialerRetries: 1, MaxRetries: -1})
	defer rdb.Close()
	s := NewRedis(rdb, "down:", 0)
	ctx := context.Background()

	calls := map[string]func() error{
		"Get":     func() error { _, _, err := s.Get(ctx, chat, user); return err },
		"Update":  func() error { _, err := s.Update(ctx, chat, user, func(*State, bool) error { return nil }); return err },
		"Delete":  func() error { return s.Delete(ctx, chat, user) },
		"Expired": func() error { _, err := s.Expired(ctx, chat, user); return err },
		"Ping":    func() error { return s.Ping(ctx) },
	}
	for name, call := range calls {
		start := time.Now()
		err := call()
		if took := time.Since(start); took > 300*time.Millisecond {
			t.Errorf("%s took %v with Redis down", name, took)
		}
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s: err %v, want ErrUnavailable", name, err)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("%s: err %v does not wrap the cause (connection refused)", name, err)
		}
	}
}
