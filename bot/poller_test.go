package bot

import (
	"context"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

func TestPollerHandlesUpdatesAndConfirmsOnlyHandledOnes(t *testing.T) {
	e := newEdge(t, tgfakeNoLimits, generous)
	e.fake.AddUser(models.User{ID: 42})
	rec := newRecorder()
	rec.done = make(chan int64, 4)
	first := e.fake.Text(42, "/tasks")
	second := e.fake.Text(42, "/digest")
	rec.fail[second.ID] = 1 // the database blinks once
	d := NewDispatcher(rec, nil, NewMemoryDeduper(clockSystem), NewMetrics(), quiet())
	p := NewPoller(e.fake.URL(), e.fake.Token(), d, quiet(), time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = p.Run(ctx); close(done) }()
	// Wait until both are handled: the failed one is fetched again.
	for range 2 {
		select {
		case <-rec.done:
		case <-time.After(10 * time.Second):
			t.Fatal("updates not handled within 10 s")
		}
	}
	cancel()
	<-done
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.handled) != 2 || rec.handled[0] != first.ID || rec.handled[1] != second.ID {
		t.Errorf("handled %v, want [%d %d] once each, in order", rec.handled, first.ID, second.ID)
	}
}
