package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// eventWait bounds every wait on the queue: generous, because a PostgreSQL
// under load may be slow, yet a hang fails the test instead of the run.
const eventWait = 15 * time.Second

func riverLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// riverDB is a migrated ledger database with River's tables beside.
func riverDB(t *testing.T) (*gorm.DB, dburl.Location) {
	t.Helper()
	db, loc := testdb.Open(t)
	if err := Migrate(context.Background(), db, loc, riverLog()); err != nil {
		t.Fatal(err)
	}
	return db, loc
}

// tinyRetry retries a failed job after a millisecond, so a job exhausts
// its attempts within the test.
type tinyRetry struct{}

func (tinyRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Millisecond) }

// fastPoll makes a queue fetch every 20 ms and retry at once.
func fastPoll(cfg *river.Config) {
	cfg.FetchPollInterval = 20 * time.Millisecond
	cfg.FetchCooldown = 5 * time.Millisecond
	cfg.RetryPolicy = tinyRetry{}
	cfg.TestOnly = true
}

// newTestQueue makes a fast queue on db, stopped when t ends.
func newTestQueue(t *testing.T, db *gorm.DB, workers *river.Workers, periodic ...*river.PeriodicJob) *Queue {
	t.Helper()
	q, err := NewQueue(db, models.DialectOf(db), workers, periodic, riverLog(), fastPoll)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), eventWait)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return q
}

// startQueue subscribes to the given events, then starts q.
func startQueue(t *testing.T, q *Queue, kinds ...river.EventKind) <-chan *river.Event {
	t.Helper()
	events, unsubscribe := q.Client().Subscribe(kinds...)
	t.Cleanup(unsubscribe)
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return events
}

// nextEvent waits for the next event that keep accepts.
func nextEvent(t *testing.T, events <-chan *river.Event, keep func(*river.Event) bool) *river.Event {
	t.Helper()
	timeout := time.After(eventWait)
	for {
		select {
		case ev := <-events:
			if keep(ev) {
				return ev
			}
		case <-timeout:
			t.Fatalf("no matching event within %v", eventWait)
			return nil
		}
	}
}

func listJobs(t *testing.T, q *Queue, kind string, states ...rivertype.JobState) []*rivertype.JobRow {
	t.Helper()
	rows, err := q.Jobs(context.Background(), kind, states...)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

type (
	notifyWork = func(context.Context, *river.Job[NotifyArgs]) error
	digestWork = func(context.Context, *river.Job[GroupDigestArgs]) error
)

// riverWorkers registers every kind: notify and digest as given (nil = do
// nothing), task_due doing nothing.
func riverWorkers(notify notifyWork, digest digestWork) *river.Workers {
	w := NewWorkers()
	river.AddWorker(w, river.WorkFunc(func(context.Context, *river.Job[TaskDueArgs]) error { return nil }))
	if notify == nil {
		notify = func(context.Context, *river.Job[NotifyArgs]) error { return nil }
	}
	if digest == nil {
		digest = func(context.Context, *river.Job[GroupDigestArgs]) error { return nil }
	}
	river.AddWorker(w, river.WorkFunc(notify))
	river.AddWorker(w, river.WorkFunc(digest))
	return w
}

var errRiverRollback = errors.New("roll back")

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	ctx := context.Background()
	loc := testdb.Location(t)
	var dbs [2]*gorm.DB
	for i := range dbs {
		db, err := models.Open(ctx, loc, riverLog())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = models.Close(db) })
		if err := models.Migrate(ctx, db, loc, riverLog()); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	// Two "processes" (two pools) migrating a fresh database at once.
	errs := make(chan error, len(dbs))
	for _, db := range dbs {
		go func() { errs <- Migrate(ctx, db, loc, riverLog()) }()
	}
	for range dbs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := Migrate(ctx, dbs[0], loc, riverLog()); err != nil {
		t.Fatalf("second run: %v", err)
	}
	var n int64
	switch loc.Dialect {
	case dburl.Postgres:
		// River's tables land in the test's schema (the DSN's search_path).
		var schema string
		if err := dbs[0].Raw("SELECT current_schema()").Scan(&schema).Error; err != nil || !strings.HasPrefix(schema, "t_") {
			t.Fatalf("current_schema = %q, %v", schema, err)
		}
		dbs[0].Raw(`SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_name IN ('river_job', 'river_leader', 'river_migration', 'river_queue')`).Scan(&n)
	case dburl.SQLite:
		dbs[0].Raw(`SELECT count(*) FROM sqlite_master WHERE type = 'table'
			AND name IN ('river_job', 'river_leader', 'river_migration', 'river_queue')`).Scan(&n)
	}
	if n != 4 {
		t.Fatalf("River tables found: %d, want 4", n)
	}
}

func TestInsertTxFollowsTheTransaction(t *testing.T) {
	ctx := context.Background()
	db, _ := riverDB(t)
	q := newTestQueue(t, db, riverWorkers(nil, nil))
	window := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

	err := db.Transaction(func(tx *gorm.DB) error {
		if err := q.InsertTx(ctx, tx, NotifyArgs{PersonID: 1, Window: window}, nil); err != nil {
			return err
		}
		sqlTx, err := SQLTx(tx)
		if err != nil {
			return err
		}
		// Inside the transaction the job is there (through the tx: on
		// SQLite the pool's one connection is this transaction's).
		res, err := q.Client().JobListTx(ctx, sqlTx, river.NewJobListParams().Kinds(JobKindNotify))
		if err != nil || len(res.Jobs) != 1 {
			t.Errorf("inside the transaction: %d listJobs, %v", len(res.Jobs), err)
		}
		return errRiverRollback
	})
	if !errors.Is(err, errRiverRollback) {
		t.Fatal(err)
	}
	if got := listJobs(t, q, JobKindNotify); len(got) != 0 {
		t.Fatalf("after rollback: %d listJobs, want 0", len(got))
	}

	if err := db.Transaction(func(tx *gorm.DB) error {
		return q.InsertTx(ctx, tx, NotifyArgs{PersonID: 1, Window: window}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	got := listJobs(t, q, JobKindNotify)
	if len(got) != 1 || got[0].MaxAttempts != NotifyMaxAttempts || got[0].State != rivertype.JobStateAvailable {
		t.Fatalf("after commit: %+v", got)
	}

	if err := q.InsertTx(ctx, db, NotifyArgs{PersonID: 2}, nil); err == nil {
		t.Fatal("InsertTx outside a transaction: no error")
	}
}

func TestUniqueJobs(t *testing.T) {
	ctx := context.Background()
	db, _ := riverDB(t)
	q := newTestQueue(t, db, riverWorkers(nil, nil))
	day := ledger.Date{Year: 2026, Month: 3, Day: 2}
	later := time.Now().Add(time.Hour).UTC()
	due := Due{TaskID: 7, Kind: KindReminder, Day: day, At: later}
	shanghai := time.FixedZone("CST", 8*3600)

	for range 2 {
		err := db.Transaction(func(tx *gorm.DB) error {
			return q.InsertManyTx(ctx, tx, []river.InsertManyParams{
				TaskDueJob(due),
				// The same due item caught up later keeps its identity.
				TaskDueJob(Due{TaskID: 7, Kind: KindReminder, Day: day, At: later.Add(time.Hour)}),
				TaskDueJob(Due{TaskID: 7, Kind: KindReminder, Day: day.AddDays(1), At: later}),
				{Args: NotifyArgs{PersonID: 3, Window: later}},
				{Args: NotifyArgs{PersonID: 3, Window: later.In(shanghai)}},
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	due2 := listJobs(t, q, JobKindTaskDue)
	if len(due2) != 2 {
		t.Fatalf("task_due listJobs: %d, want 2 (one per day)", len(due2))
	}
	// Available at its time (dueFetch). River keeps milliseconds on
	// SQLite, microseconds on PostgreSQL.
	if due2[0].State != rivertype.JobStateAvailable || due2[0].ScheduledAt.Sub(later).Abs() > time.Millisecond {
		t.Errorf("a Due in an hour: %s at %v, want available at %v", due2[0].State, due2[0].ScheduledAt, later)
	}
	if n := len(listJobs(t, q, JobKindNotify)); n != 1 {
		t.Fatalf("notify listJobs: %d, want 1 (one person, one window)", n)
	}
}

// A job due now runs at once, and one due shortly runs at its time, not
// before, and without waiting for the leader's 5 s scheduler.
func TestDueJobsAreWorkedOnTime(t *testing.T) {
	ctx := context.Background()
	db, _ := riverDB(t)
	type run struct {
		args NotifyArgs
		at   time.Time
	}
	worked := make(chan run, 2)
	q := newTestQueue(t, db, riverWorkers(func(_ context.Context, job *river.Job[NotifyArgs]) error {
		worked <- run{job.Args, time.Now()}
		return nil
	}, nil))
	startQueue(t, q)
	now := time.Now().UTC()
	soon := now.Add(400 * time.Millisecond)
	if err := db.Transaction(func(tx *gorm.DB) error {
		return q.InsertManyTx(ctx, tx, []river.InsertManyParams{
			{Args: NotifyArgs{PersonID: 5, Window: now}, InsertOpts: &river.InsertOpts{ScheduledAt: now.Add(-time.Minute)}},
			{Args: NotifyArgs{PersonID: 6, Window: soon}, InsertOpts: &river.InsertOpts{ScheduledAt: soon}},
		})
	}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		person uint
		due    time.Time
	}{{5, now}, {6, soon}} {
		select {
		case r := <-worked:
			lag := r.at.Sub(want.due)
			t.Logf("person %d: worked %v after due", r.args.PersonID, lag)
			if r.args.PersonID != want.person || !r.args.Window.Equal(want.due) || lag < 0 || lag > 2*time.Second {
				t.Errorf("worked %+v %v after due; want person %d, not early, within 2 s", r.args, lag, want.person)
			}
		case <-time.After(eventWait):
			t.Fatalf("person %d's job was not worked", want.person)
		}
	}
}
