package bot

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// untilTrue yields until cond holds (cond reads state other goroutines
// change under a lock; no time passes in the test's logic).
func untilTrue(cond func() bool) {
	for !cond() {
		runtime.Gosched()
	}
}

func TestGroupCommitWritesAloneAtOnceAndPassesTheErrorBack(t *testing.T) {
	var writes [][]int
	fail := errors.New("disk full")
	var g groupCommit[int]
	g.write = func(_ context.Context, items []int) error {
		writes = append(writes, slices.Clone(items))
		if items[0] == 2 {
			return fail
		}
		return nil
	}
	if err := g.do(context.Background(), []int{1}); err != nil {
		t.Fatal(err)
	}
	if err := g.do(context.Background(), []int{2, 3}); !errors.Is(err, fail) {
		t.Fatalf("err %v, want the write's", err)
	}
	if !slices.EqualFunc(writes, [][]int{{1}, {2, 3}}, slices.Equal) {
		t.Errorf("writes %v, want one per call", writes)
	}
}

// Calls queued while every write slot is taken are written by the next
// write, together. The race detector's scheduling finds a lost hand-over within a
// few hundred rounds; the rounds are bounded, and each ends at once when
// nothing is lost.
func TestGroupCommitWritesEveryCallQueuedDuringAWrite(t *testing.T) {
	for round := range 20000 {
		var mu sync.Mutex
		var writes [][]int
		release := make(chan struct{})
		g := groupCommit[int]{maxWrites: 1} // one write at a time: the others queue behind it
		g.write = func(_ context.Context, items []int) error {
			mu.Lock()
			writes = append(writes, slices.Clone(items))
			n := len(writes)
			mu.Unlock()
			if n == 1 {
				<-release // the first write is slow
			}
			return nil
		}
		done := make(chan error, 3)
		go func() { done <- g.do(context.Background(), []int{1}) }()
		untilTrue(func() bool { mu.Lock(); defer mu.Unlock(); return len(writes) == 1 })
		go func() { done <- g.do(context.Background(), []int{2}) }()
		go func() { done <- g.do(context.Background(), []int{3}) }()
		untilTrue(func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.queue) == 2 })
		close(release)
		for range 3 {
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(patience):
				mu.Lock()
				t.Fatalf("BUG (bot/groupcommit.go, flush: `go g.flush(...)` starts before the batch is put back in g.queue, "+
					"so the new goroutine may find the queue empty, set busy=false and return; the batch then waits until "+
					"some later call flushes it — forever if none comes): round %d, calls queued during a write were never "+
					"written (writes %v)", round, writes)
				mu.Unlock()
			}
		}
		mu.Lock()
		if len(writes) != 2 || !slices.Equal(slices.Sorted(slices.Values(writes[1])), []int{2, 3}) {
			t.Fatalf("round %d: writes %v, want [1] then [2 3] together", round, writes)
		}
		mu.Unlock()
	}
}
