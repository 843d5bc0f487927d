package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rectibot/rectibot/clock"
)

// Memory is the in-process Store for a single instance. Time comes from the
// injected clock, so tests expire dialogues by advancing a manual clock.
// Nothing runs in the background: expired entries are invisible on read and
// swept out during writes.
type Memory struct {
	clk clock.Clock
	ttl time.Duration

	mu        sync.Mutex
	states    map[memKey]memEntry
	seen      map[memKey]time.Time // tombstones: when the marker lapses
	version   uint64               // store-wide write counter; see memEntry.version
	nextSweep time.Time
}

type memKey struct{ chat, user int64 }

type memEntry struct {
	raw     []byte // JSON, so callers never share maps or slices with the store
	expires time.Time
	// version identifies the write that produced this entry. Update
	// compares it to detect a concurrent write, the way WATCH does in
	// Redis; it is store-wide, so a deleted and re-created entry never
	// looks unchanged.
	version uint64
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-process store; ttl <= 0 means DefaultTTL.
func NewMemory(clk clock.Clock, ttl time.Duration) *Memory {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Memory{
		clk:    clk,
		ttl:    ttl,
		states: map[memKey]memEntry{},
		seen:   map[memKey]time.Time{},
	}
}

// live returns the entry for k if it has not expired at now. Callers hold mu.
func (m *Memory) live(k memKey, now time.Time) (memEntry, bool) {
	e, ok := m.states[k]
	if !ok || !now.Before(e.expires) {
		return memEntry{}, false
	}
	return e, true
}

// Get implements Store.
func (m *Memory) Get(ctx context.Context, chatID, userID int64) (State, bool, error) {
	m.mu.Lock()
	e, ok := m.live(memKey{chatID, userID}, m.clk.Now())
	m.mu.Unlock()
	if !ok {
		return State{}, false, nil
	}
	st, err := decode(e.raw)
	if err != nil {
		return State{}, false, err
	}
	return st, true, nil
}

// Update implements Store. fn runs without the lock held, so it cannot
// deadlock by calling the store, and it sees the same "may run again"
// contract as with Redis.
func (m *Memory) Update(ctx context.Context, chatID, userID int64, fn func(st *State, exists bool) error) (State, error) {
	k := memKey{chatID, userID}
	return update(ctx, func() (State, bool, error) {
		m.mu.Lock()
		before, exists := m.live(k, m.clk.Now())
		m.mu.Unlock()

		st := fresh()
		if exists {
			var err error
			if st, err = decode(before.raw); err != nil {
				return State{}, false, err
			}
		}
		ferr := fn(&st, exists)
		if ferr != nil && !errors.Is(ferr, ErrDelete) {
			return State{}, false, ferr
		}

		m.mu.Lock()
		defer m.mu.Unlock()
		now := m.clk.Now()
		if cur, ok := m.live(k, now); ok != exists || cur.version != before.version {
			return State{}, true, nil
		}
		if ferr != nil { // ErrDelete
			delete(m.states, k)
			delete(m.seen, k)
			return State{}, false, nil
		}
		st.UpdatedAt = now
		raw, err := json.Marshal(st)
		if err != nil {
			return State{}, false, fmt.Errorf("session: encode state: %w", err)
		}
		m.version++
		m.states[k] = memEntry{raw: raw, expires: now.Add(m.ttl), version: m.version}
		m.seen[k] = now.Add(m.ttl + tombstoneGrace)
		m.sweep(now)
		return st, false, nil
	})
}

// sweep drops expired states and tombstones at most once per TTL, so memory
// stays bounded by the users active in the last day without a goroutine.
// Callers hold mu.
func (m *Memory) sweep(now time.Time) {
	if now.Before(m.nextSweep) {
		return
	}
	m.nextSweep = now.Add(m.ttl)
	for k, e := range m.states {
		if !now.Before(e.expires) {
			delete(m.states, k)
		}
	}
	for k, until := range m.seen {
		if !now.Before(until) {
			delete(m.seen, k)
		}
	}
}

// Delete implements Store.
func (m *Memory) Delete(ctx context.Context, chatID, userID int64) error {
	k := memKey{chatID, userID}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.states, k)
	delete(m.seen, k)
	return nil
}

// Expired implements Store.
func (m *Memory) Expired(ctx context.Context, chatID, userID int64) (bool, error) {
	k := memKey{chatID, userID}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clk.Now()
	if _, ok := m.live(k, now); ok {
		return false, nil
	}
	until, ok := m.seen[k]
	return ok && now.Before(until), nil
}

// Ping implements Store; memory is always there.
func (m *Memory) Ping(ctx context.Context) error { return nil }
