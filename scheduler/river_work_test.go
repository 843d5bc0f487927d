package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

func insertJobs(t *testing.T, q *Queue, db *gorm.DB, params ...river.InsertManyParams) {
	t.Helper()
	if err := db.Transaction(func(tx *gorm.DB) error {
		return q.InsertManyTx(context.Background(), tx, params)
	}); err != nil {
		t.Fatal(err)
	}
}

func TestSnoozeAndCancel(t *testing.T) {
	db, _ := riverDB(t)
	var runs [4]atomic.Int32
	q := newTestQueue(t, db, riverWorkers(func(_ context.Context, job *river.Job[NotifyArgs]) error {
		n := runs[job.Args.PersonID].Add(1)
		switch job.Args.PersonID {
		case 1: // 429 with a short retry_after: snoozed, then sent
			if n == 1 {
				return river.JobSnooze(10 * time.Millisecond)
			}
		case 2: // 429 with a long retry_after: waits, not an attempt
			return river.JobSnooze(time.Hour)
		case 3: // 403: never again, whatever attempts are left
			return river.JobCancel(errors.New("forbidden: bot was blocked by the user"))
		}
		return nil
	}, nil))
	events := startQueue(t, q, river.EventKindJobCompleted, river.EventKindJobSnoozed, river.EventKindJobCancelled)
	w := time.Now().UTC()
	insertJobs(t, q, db, river.InsertManyParams{Args: NotifyArgs{PersonID: 1, Window: w}},
		river.InsertManyParams{Args: NotifyArgs{PersonID: 2, Window: w}},
		river.InsertManyParams{Args: NotifyArgs{PersonID: 3, Window: w}})

	// Person 1: snoozed then completed; 2: snoozed an hour; 3: cancelled.
	var seen [4][]*river.Event
	nextEvent(t, events, func(ev *river.Event) bool {
		var args NotifyArgs
		if err := json.Unmarshal(ev.Job.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		seen[args.PersonID] = append(seen[args.PersonID], ev)
		return len(seen[1]) == 2 && len(seen[2]) == 1 && len(seen[3]) == 1
	})
	if ev := seen[1][1]; ev.Kind != river.EventKindJobCompleted || ev.Job.Attempt != 1 || runs[1].Load() != 2 {
		t.Errorf("short snooze: %s, attempt %d, %d runs; want completed, attempt 1 (a snooze is no attempt), 2 runs",
			ev.Kind, ev.Job.Attempt, runs[1].Load())
	}
	if ev := seen[2][0]; ev.Kind != river.EventKindJobSnoozed || ev.Job.ScheduledAt.Before(time.Now().Add(50*time.Minute)) {
		t.Errorf("long snooze: %s until %v", ev.Kind, ev.Job.ScheduledAt)
	}
	if ev := seen[3][0]; ev.Kind != river.EventKindJobCancelled || runs[3].Load() != 1 {
		t.Errorf("403: %s after %d runs", ev.Kind, runs[3].Load())
	}
	// River emits an event after its completer has written the state.
	if got := listJobs(t, q, JobKindNotify, rivertype.JobStateCancelled); len(got) != 1 {
		t.Errorf("cancelled listJobs: %d, want 1", len(got))
	}
	if got := listJobs(t, q, JobKindNotify, rivertype.JobStateScheduled); len(got) != 1 || len(got[0].Errors) > 0 {
		t.Errorf("long snooze: %d scheduled listJobs, want 1 without an error", len(got))
	}
	if failed, _ := q.JobsFailed(context.Background()); len(failed) != 0 {
		t.Errorf("cancelled is not failed: %+v", failed)
	}
}

func TestFailedJobIsListed(t *testing.T) {
	db, _ := riverDB(t)
	var runs atomic.Int32
	q := newTestQueue(t, db, riverWorkers(func(context.Context, *river.Job[NotifyArgs]) error {
		return fmt.Errorf("telegram: 500 (attempt %d)", runs.Add(1))
	}, nil))
	events := startQueue(t, q, river.EventKindJobFailed)
	insertJobs(t, q, db, river.InsertManyParams{Args: NotifyArgs{PersonID: 9, Window: time.Now()}, InsertOpts: &river.InsertOpts{MaxAttempts: 3}})
	nextEvent(t, events, func(ev *river.Event) bool { return ev.Job.State == rivertype.JobStateDiscarded })

	failed, err := q.JobsFailed(context.Background())
	if err != nil || len(failed) == 0 {
		t.Fatalf("failed listJobs: %v, %v", failed, err)
	}
	f := failed[0]
	var args NotifyArgs
	if err := json.Unmarshal(f.Args, &args); err != nil || args.PersonID != 9 {
		t.Errorf("args %s: %v", f.Args, err)
	}
	if len(failed) != 1 || f.Kind != JobKindNotify || f.Attempts != 3 || runs.Load() != 3 ||
		!strings.Contains(f.LastError, "attempt 3") || f.FailedAt.IsZero() {
		t.Fatalf("failed listJobs: %+v (runs %d)", failed, runs.Load())
	}
}

// Two replicas: two pools on one database (two processes' worth), each
// with a queue; every job is worked exactly once, and the periodic digest
// is enqueued by the leader only.
func TestTwoReplicasWorkEachJobOnce(t *testing.T) {
	const n = 200
	ctx := context.Background()
	db, loc := riverDB(t)
	db2, err := models.Open(ctx, loc, riverLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db2) })

	var worked sync.Map // person ID → *atomic.Int32
	var digests atomic.Int32
	var events [2]<-chan *river.Event
	var queues [2]*Queue
	for i, h := range []*gorm.DB{db, db2} {
		notify := func(_ context.Context, job *river.Job[NotifyArgs]) error {
			c, _ := worked.LoadOrStore(job.Args.PersonID, new(atomic.Int32))
			c.(*atomic.Int32).Add(1)
			return nil
		}
		digest := func(context.Context, *river.Job[GroupDigestArgs]) error { digests.Add(1); return nil }
		periodic := river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return GroupDigestArgs{}, nil },
			&river.PeriodicJobOpts{ID: JobKindGroupDigest, RunOnStart: true})
		queues[i] = newTestQueue(t, h, riverWorkers(notify, digest), periodic)
	}
	params := make([]river.InsertManyParams, n)
	for i := range params {
		params[i] = river.InsertManyParams{Args: NotifyArgs{PersonID: uint(i + 1), Window: time.Now()}}
	}
	insertJobs(t, queues[0], db, params...)
	for i, q := range queues {
		events[i] = startQueue(t, q, river.EventKindJobCompleted)
	}

	var byReplica [2]int
	timeout := time.After(eventWait)
	for done := 0; done < n+1; {
		select {
		case <-events[0]:
			byReplica[0]++
			done++
		case <-events[1]:
			byReplica[1]++
			done++
		case <-timeout:
			t.Fatalf("%d of %d jobs completed within %v", byReplica[0]+byReplica[1], n+1, eventWait)
		}
	}
	t.Logf("completed by replica: %v", byReplica)
	for i := 1; i <= n; i++ {
		c, ok := worked.Load(uint(i))
		if !ok || c.(*atomic.Int32).Load() != 1 {
			t.Errorf("person %d: worked %v times", i, c)
		}
	}
	if got := len(listJobs(t, queues[0], JobKindNotify, rivertype.JobStateCompleted)); got != n {
		t.Errorf("%d notify jobs completed, want %d", got, n)
	}
	if d := len(listJobs(t, queues[0], JobKindGroupDigest)); d != 1 || digests.Load() != 1 {
		t.Errorf("digest: %d listJobs, %d runs; want 1 (leader only)", d, digests.Load())
	}
}

// The ledger's transactions and River's goroutines share SQLite's one
// connection (on PostgreSQL, the pool): jobs planned in transactions while
// workers record their effect and complete their job in transactions of
// their own, all at once, finish without a deadlock or a lost write.
func TestTransactionsAndWorkersShareTheConnection(t *testing.T) {
	const n = 100
	ctx := context.Background()
	db, _ := riverDB(t)
	if err := db.Exec("CREATE TABLE test_sends (person_id INTEGER PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	q := newTestQueue(t, db, riverWorkers(func(ctx context.Context, job *river.Job[NotifyArgs]) error {
		return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO test_sends (person_id) VALUES (?)", job.Args.PersonID).Error; err != nil {
				return err
			}
			return CompleteTx(ctx, tx, job)
		})
	}, nil))
	events := startQueue(t, q, river.EventKindJobCompleted)

	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- db.Transaction(func(tx *gorm.DB) error {
				var count int64
				if err := tx.Raw("SELECT count(*) FROM test_sends").Scan(&count).Error; err != nil {
					return err
				}
				return q.InsertTx(ctx, tx, NotifyArgs{PersonID: uint(i + 1), Window: time.Now()}, nil)
			})
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for range n {
		nextEvent(t, events, func(*river.Event) bool { return true })
	}
	var sent int64
	if err := db.Raw("SELECT count(*) FROM test_sends").Scan(&sent).Error; err != nil || sent != n {
		t.Fatalf("sends recorded: %d, %v; want %d", sent, err, n)
	}
	if got := len(listJobs(t, q, JobKindNotify, rivertype.JobStateCompleted)); got != n {
		t.Fatalf("%d jobs completed, want %d (completed in the worker's transaction)", got, n)
	}
}

// Stop waits for the job in hand; only when its context ends does it
// cancel the job, and it still waits for the job to return.
func TestStopWaitsForTheJobInHand(t *testing.T) {
	db, _ := riverDB(t)
	started, returned := make(chan struct{}), make(chan error, 1)
	q := newTestQueue(t, db, riverWorkers(func(ctx context.Context, _ *river.Job[NotifyArgs]) error {
		close(started)
		<-ctx.Done()
		returned <- ctx.Err()
		return ctx.Err()
	}, nil))
	startQueue(t, q)
	insertJobs(t, q, db, river.InsertManyParams{Args: NotifyArgs{PersonID: 1, Window: time.Now()}})
	<-started

	const grace = 300 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	begin := time.Now()
	err := q.Stop(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(begin) < grace {
		t.Fatalf("Stop returned %v after %v; want the deadline after %v", err, time.Since(begin), grace)
	}
	select {
	case err := <-returned:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the job ended with %v, want its context cancelled", err)
		}
	default:
		t.Fatal("Stop returned before the job did")
	}
}

// On SQLite a pool call inside a transaction waits for the connection the
// transaction holds: the rule the Queue's comment states, shown.
func TestPoolCallInsideTransactionWaitsOnSQLite(t *testing.T) {
	db, _ := riverDB(t)
	if models.DialectOf(db) != dburl.SQLite {
		t.Skip("PostgreSQL has a pool of connections")
	}
	q := newTestQueue(t, db, riverWorkers(nil, nil))
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := q.InsertTx(context.Background(), tx, NotifyArgs{PersonID: 1}, nil); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := q.Jobs(ctx, JobKindNotify)
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("q.Jobs inside a transaction: %v, want it to wait for the connection", err)
	}
}
