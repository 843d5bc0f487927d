package session

import (
	"context"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
)

// TestMemorySweep checks that expired states and lapsed tombstones do not
// pile up: a later write sweeps them out.
func TestMemorySweep(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	m := NewMemory(clk, time.Minute)
	for u := range int64(100) {
		if _, err := m.Update(ctx, 1, u, func(st *State, _ bool) error { st.Step = "x"; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(2 * time.Minute) // states expired, tombstones alive
	_, _ = m.Update(ctx, 2, 1, func(*State, bool) error { return nil })
	if len(m.states) != 1 || len(m.seen) != 101 {
		t.Fatalf("after TTL: %d states, %d tombstones; want 1, 101", len(m.states), len(m.seen))
	}
	clk.Advance(tombstoneGrace + 2*time.Minute) // everything lapsed
	_, _ = m.Update(ctx, 3, 1, func(*State, bool) error { return nil })
	if len(m.states) != 1 || len(m.seen) != 1 {
		t.Fatalf("after a day: %d states, %d tombstones; want 1, 1", len(m.states), len(m.seen))
	}
}

func TestMemoryDefaultTTL(t *testing.T) {
	if m := NewMemory(clock.System{}, 0); m.ttl != DefaultTTL {
		t.Fatalf("ttl %v, want DefaultTTL", m.ttl)
	}
}
