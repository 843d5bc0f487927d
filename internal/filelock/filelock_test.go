package filelock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLockLeavesNoFileBehind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db.migrate.lock")
	release, err := Acquire(context.Background(), path, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("while held the lock file should exist: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, path, time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("second Acquire while held: got %v, want ErrTimeout", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after release the lock file is still there (%v)", err)
	}
}

// Many contenders, each opening its own file description, take turns:
// never two inside at once, and nothing left on disk at the end — the
// remove-then-unlock handover is where a naive version lets two in.
func TestLockExcludesContenders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	var inside, most, turns atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				release, err := Acquire(context.Background(), path, 100*time.Microsecond)
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				if n > most.Load() {
					most.Store(n)
				}
				runtime.Gosched()
				turns.Add(1)
				inside.Add(-1)
				if err := release(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if most.Load() != 1 || turns.Load() != 200 {
		t.Fatalf("at most %d inside at once over %d turns; want 1 over 200", most.Load(), turns.Load())
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file left behind (%v)", err)
	}
}
