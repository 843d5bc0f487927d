package scheduler

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/filelock"
)

// The job queue is River (github.com/riverqueue/river) on the ledger's own
// database and on GORM's own *sql.DB: riverdatabasesql on PostgreSQL,
// riversqlite on SQLite. Sharing the handle is what makes InsertTx work: a
// job is a row written through the ledger change's *sql.Tx, so it commits
// or rolls back with the change.
//
// SQLite: models.Open keeps one connection, and River shares it. River's
// own goroutines (fetch, leader election, completion, maintenance) take the
// connection for one statement or one short transaction of their own and
// never wait for anything while holding it, and InsertTx writes through the
// caller's transaction, so nothing needs a second connection and nothing
// can deadlock — except a caller who, inside a GORM transaction, uses the
// pool: GORM's db instead of tx, or River's non-Tx methods (Client().Insert,
// JobCancel, Queue.Jobs, Queue.JobsFailed). That waits for the connection
// its own transaction holds. Inside a transaction use tx and the *Tx
// methods only. A second *sql.DB on the same file was rejected: with two
// connections a ledger transaction that reads and then writes fails with
// SQLITE_BUSY whenever River's connection wrote in between (WAL cannot
// upgrade a stale read snapshot; busy_timeout does not help), and River's
// riversqlite documentation asks for one connection for the same reason.

// Queue is River's client on the ledger's database.
type Queue struct {
	client  *river.Client[*sql.Tx]
	dialect dburl.Dialect
}

// Option adjusts River's configuration before the client is made: tests
// shorten FetchPollInterval or install a RetryPolicy; serve might set
// queue sizes.
type Option func(*river.Config)

// NewWorkers returns an empty worker bundle; register each job kind's
// worker with river.AddWorker before NewQueue.
func NewWorkers() *river.Workers { return river.NewWorkers() }

// Defaults NewQueue gives River, and why.
const (
	// defaultWorkers is planning jobs (task_due: database steps) worked at
	// once per process.
	defaultWorkers = 10
	// QueueSend is the queue of the jobs that send (notify, group digest,
	// group escalation), apart from the planning jobs so that a day's
	// planning and its sending never wait behind one another.
	QueueSend = "send"
	// sendWorkers is sends worked at once per process: enough that some
	// are always waiting on the rate limiter, which is what paces them
	// (Telegram's 30 messages/s). With the 10 workers shared with
	// planning, a job's database work, HTTP call and River's fetch between
	// jobs left the limiter idle now and then: the 09:00 burst ran at
	// 28.4/s of the limiter's 29 (BenchmarkUnitsServe). A waiting send
	// holds no database connection.
	sendWorkers = 30
	// jobTimeout: a job is one send or one database step.
	jobTimeout = time.Minute
	// rescueAfter is when a job left running by a killed process is run
	// again (River's default is an hour; a reminder should not wait that
	// long). It must exceed jobTimeout, or a live job could be run twice.
	rescueAfter = 5 * time.Minute
	// discardedRetention keeps dead letters past the next half-monthly
	// digest, which lists them for the admins (River's default is 7 days).
	discardedRetention = 31 * 24 * time.Hour
)

// NewQueue makes River's client on db with the given workers and periodic
// jobs. It does not start it (see Start); a queue that is never started can
// still insert.
func NewQueue(db *gorm.DB, dialect dburl.Dialect, workers *river.Workers, periodic []*river.PeriodicJob, log *slog.Logger, opts ...Option) (*Queue, error) {
	if log == nil {
		log = slog.Default()
	}
	drv, err := riverDriver(db, dialect)
	if err != nil {
		return nil, err
	}
	id, err := clientID()
	if err != nil {
		return nil, err
	}
	cfg := &river.Config{
		ID:           id,
		Logger:       log.With(slog.String("component", "river")),
		Workers:      workers,
		PeriodicJobs: periodic,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: defaultWorkers},
			QueueSend:          {MaxWorkers: sendWorkers},
		},
		JobTimeout:                  jobTimeout,
		RescueStuckJobsAfter:        rescueAfter,
		DiscardedJobRetentionPeriod: discardedRetention,
		Hooks:                       []rivertype.Hook{&dueFetch{}, &digestRun{}},
		// On SQLite River's listener polls an outbox table every 50 ms on
		// the one connection the ledger also needs; polling for jobs every
		// FetchPollInterval (1 s) is enough for reminders. riverdatabasesql
		// has no listener and polls anyway.
		PollOnly: dialect == dburl.SQLite,
	}
	for _, o := range opts {
		o(cfg)
	}
	client, err := river.NewClient(drv, cfg)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client, dialect: dialect}, nil
}

// dueFetch inserts a job given a ScheduledAt as "available" rather than
// "scheduled", keeping its scheduled_at. River's fetch takes only available
// jobs whose scheduled_at has come, so the job runs on time (within
// FetchPollInterval) and never early. A scheduled job waits for the elected
// leader's scheduler, which runs every 5 s (not configurable in v0.51) and
// not at all while no leader is elected: up to 6 s late, past SPEC §4's
// 5 s p99 from due to sent. River does the same itself for snoozes and
// retries shorter than that interval (internal/jobexecutor). The cost:
// planned jobs list as available, not scheduled; look at scheduled_at.
type dueFetch struct{ river.HookDefaults }

func (*dueFetch) InsertBegin(_ context.Context, p *rivertype.JobInsertParams) error {
	if p.State == rivertype.JobStateScheduled {
		p.State = rivertype.JobStateAvailable
	}
	return nil
}

// clientID names this client for River's leader election and job
// attempts; it must be unique across the replicas and across the queues of
// one process, which River's default (host and start time) does not
// promise for two queues made in the same microsecond.
func clientID() (string, error) {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("job queue: %w", err)
	}
	return fmt.Sprintf("%s_%d_%s", cmp.Or(host, "host"), os.Getpid(), hex.EncodeToString(b)), nil
}

func riverDriver(db *gorm.DB, dialect dburl.Dialect) (riverdriver.Driver[*sql.Tx], error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	switch dialect {
	case dburl.Postgres:
		return riverdatabasesql.New(sqlDB), nil
	case dburl.SQLite:
		return riversqlite.New(sqlDB), nil
	default:
		return nil, fmt.Errorf("job queue: unknown dialect %q", dialect)
	}
}

// Start begins working jobs (and, on the elected leader, enqueuing the
// periodic ones) until Stop or until ctx ends.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("job queue: start: %w", err)
	}
	return nil
}

// Stop stops fetching and waits for the jobs in hand to finish. If ctx ends
// first, their contexts are cancelled and Stop waits a little longer for
// them to return, so a job is not left "running" until the rescuer's turn.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return errors.Join(fmt.Errorf("job queue: stop: %w", err), q.client.StopAndCancel(hard))
}

// Client is River's client, for workers that snooze, cancel or complete
// jobs and for what this wrapper does not cover.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// Dialect is the database engine the queue runs on.
func (q *Queue) Dialect() dburl.Dialect { return q.dialect }

// migrateLockKey namespaces the PostgreSQL advisory lock of Migrate; the
// second key is the schema, so deployments in two schemas do not wait for
// each other.
const migrateLockKey = 0x52495652 // "RIVR"

// Migrate applies River's own migrations (river_job, river_leader, …) to the
// ledger's database, beside models.Migrate's; run it after that. River's
// migrator takes no lock, so two processes starting at once would both
// create the tables: on PostgreSQL a session advisory lock serialises them,
// on SQLite the lock file models.Migrate uses. With no schema given, River
// creates its tables in the first schema of search_path, like ours. Then
// the index the planner's lookups need is added to river_job (see cancel.go).
func Migrate(ctx context.Context, db *gorm.DB, loc dburl.Location, log *slog.Logger) error {
	return MigrateTo(ctx, db, loc, log, 0)
}

// MigrateTo brings River's tables up to version (0: the newest), as
// Migrate; a restore brings an empty database to its backup's version
// first (see models.MigrateTo). rectibot's own index on River's jobs is
// made at the newest version only.
func MigrateTo(ctx context.Context, db *gorm.DB, loc dburl.Location, log *slog.Logger, version int) error {
	if log == nil {
		log = slog.Default()
	}
	drv, err := riverDriver(db, loc.Dialect)
	if err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	switch loc.Dialect {
	case dburl.Postgres:
		unlock, err := pgAdvisoryLock(ctx, sqlDB)
		if err != nil {
			return err
		}
		defer unlock()
	case dburl.SQLite:
		lctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		release, err := filelock.Acquire(lctx, loc.Path+".migrate.lock", 50*time.Millisecond)
		if err != nil {
			return fmt.Errorf("river migrate: %w", err)
		}
		defer func() { _ = release() }()
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(warnOnly{log.Handler()})})
	if err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	var opts *rivermigrate.MigrateOpts
	if version != 0 {
		opts = &rivermigrate.MigrateOpts{TargetVersion: version}
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, opts)
	if err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	for _, v := range res.Versions {
		log.DebugContext(ctx, "river migration applied", slog.Int("version", v.Version),
			slog.String("name", v.Name), slog.Duration("took", v.Duration))
	}
	if len(res.Versions) > 0 {
		log.InfoContext(ctx, "job queue migrated", slog.Int("migrations", len(res.Versions)))
	}
	if version != 0 {
		return nil
	}
	return ensureTaskDueIndex(ctx, db, loc.Dialect)
}

// warnOnly passes a handler's warnings and errors only: River's migrator
// logs every step, and "no migrations to apply" on every command, at
// info; Migrate says what was applied in one line of its own.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}
func (h warnOnly) WithAttrs(a []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(a)} }
func (h warnOnly) WithGroup(n string) slog.Handler      { return warnOnly{h.Handler.WithGroup(n)} }

// pgAdvisoryLock holds a session advisory lock on a connection of its own
// (the migrator uses others from the pool) until the returned func runs.
func pgAdvisoryLock(ctx context.Context, sqlDB *sql.DB) (func(), error) {
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("river migrate: %w", err)
	}
	lctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := conn.ExecContext(lctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", migrateLockKey); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("river migrate: lock: %w", err)
	}
	return func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", migrateLockKey); err != nil {
			// The lock lives as long as the session: end the session rather
			// than hand a locked connection back to the pool.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
	}, nil
}

// WithRescueAfter sets when a job left running by a killed process runs
// again. River refuses a rescue time below the job timeout, and a live job
// must never be run twice, so the timeout shrinks to half of it if needed.
func WithRescueAfter(d time.Duration) Option {
	return func(c *river.Config) {
		c.RescueStuckJobsAfter = d
		c.JobTimeout = min(c.JobTimeout, d/2)
	}
}
