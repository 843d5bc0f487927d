package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/models"
)

// With WithTime, River's fetch reads the injected clock: of two jobs in
// reach of one fetch, the one due by the clock is worked and the one due an
// hour later by the clock waits, though both are years past by the wall
// clock; moving the clock makes the second one due, and River works it.
func TestWithTimeDrivesRiversFetch(t *testing.T) {
	ctx := context.Background()
	db, _ := riverDB(t)
	clk := clock.NewManual(time.Date(2021, 9, 23, 9, 0, 0, 0, shanghai))
	worked := make(chan uint, 2)
	workers := riverWorkers(func(_ context.Context, job *river.Job[NotifyArgs]) error {
		worked <- job.Args.PersonID
		return nil
	}, nil)
	q, err := NewQueue(db, models.DialectOf(db), workers, nil, riverLog(), fastPoll,
		WithTime(clk), WithFetchInterval(20*time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), eventWait)
		defer cancel()
		if err := q.Stop(stop); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	now, later := clk.Now(), clk.Now().Add(time.Hour)
	// Inserted before River starts, so its first fetch sees both.
	insertJobs(t, q, db,
		river.InsertManyParams{Args: NotifyArgs{PersonID: 1, Window: now}, InsertOpts: &river.InsertOpts{ScheduledAt: now}},
		river.InsertManyParams{Args: NotifyArgs{PersonID: 2, Window: later}, InsertOpts: &river.InsertOpts{ScheduledAt: later}})
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if got := nextWorked(t, worked); got != 1 {
		t.Fatalf("worked person %d first, want 1 (due by the clock)", got)
	}
	if waiting := listJobs(t, q, JobKindNotify, rivertype.JobStateAvailable); len(waiting) != 1 {
		t.Fatalf("%d notify jobs waiting after the first was worked, want the one due at %v", len(waiting), later)
	}
	clk.Set(later)
	if got := nextWorked(t, worked); got != 2 {
		t.Fatalf("worked person %d after the clock moved, want 2", got)
	}
}

func nextWorked(t *testing.T, worked <-chan uint) uint {
	t.Helper()
	select {
	case p := <-worked:
		return p
	case <-time.After(eventWait):
		t.Fatal("no job worked")
		return 0
	}
}
