package scheduler

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"
)

// SQLTx is the *sql.Tx under a GORM transaction (db.Transaction or
// db.Begin; savepoints share it). GORM keeps it as the statement's
// ConnPool, wrapped in a PreparedStmtTX when prepared statements are on. A
// handle that is not in a transaction is an error, not a silent insert
// outside it.
func SQLTx(tx *gorm.DB) (*sql.Tx, error) {
	switch p := tx.Statement.ConnPool.(type) {
	case *sql.Tx:
		return p, nil
	case *gorm.PreparedStmtTX:
		if t, ok := p.Tx.(*sql.Tx); ok {
			return t, nil
		}
	}
	return nil, errors.New("job queue: not inside a GORM transaction")
}

// InsertTx inserts a job in the GORM transaction tx: it exists if and only
// if tx commits. opts may be nil; the args' InsertOpts supply uniqueness
// and attempts. A duplicate of a unique job is skipped without error.
func (q *Queue) InsertTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error {
	return q.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: args, InsertOpts: opts}})
}

// InsertManyTx is InsertTx for several jobs (a task's whole plan).
func (q *Queue) InsertManyTx(ctx context.Context, tx *gorm.DB, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return err
	}
	batch := make([]river.InsertManyParams, 0, len(params))
	seen := make(map[string]bool, len(params))
	for _, p := range params {
		key, err := batchKey(p)
		if err != nil {
			return fmt.Errorf("job queue: insert: %w", err)
		}
		if key != "" && seen[key] {
			continue
		}
		seen[key] = true
		batch = append(batch, p)
	}
	if _, err := q.client.InsertManyTx(ctx, sqlTx, batch); err != nil {
		return fmt.Errorf("job queue: insert: %w", err)
	}
	return nil
}

// batchKey is the identity of a job unique by its arguments alone, under
// which later copies in one batch are dropped ("" = keep the job). River
// refuses a batch holding one unique key twice: riversqlite with an error,
// PostgreSQL's ON CONFLICT with one that aborts the whole transaction,
// ledger change included. Two NotifyArgs of one person and window in one
// plan are normal, so the batch is made duplicate-free here, keeping the
// first, as River keeps the existing job of a duplicate across batches.
func batchKey(p river.InsertManyParams) (string, error) {
	var u river.UniqueOpts
	if p.InsertOpts != nil {
		u = p.InsertOpts.UniqueOpts
	}
	if !u.ByArgs && u.ByPeriod == 0 && !u.ByQueue && u.ByState == nil && !u.ExcludeKind {
		if a, ok := p.Args.(river.JobArgsWithInsertOpts); ok {
			u = a.InsertOpts().UniqueOpts
		}
	}
	if !u.ByArgs || u.ByPeriod != 0 || u.ByQueue || u.ExcludeKind {
		return "", nil
	}
	b, err := json.Marshal(p.Args)
	if err != nil {
		return "", err
	}
	return p.Args.Kind() + "\x00" + string(b), nil
}

// CompleteTx marks a job being worked as completed in the GORM transaction
// tx, so the job's effect and its completion commit together. Call it from
// a worker's Work only. (River's JobCompleteTx needs a driver type only to
// fix the transaction type, *sql.Tx; it completes through the driver of the
// client working the job, so this serves SQLite as well.)
func CompleteTx[T river.JobArgs](ctx context.Context, tx *gorm.DB, job *river.Job[T]) error {
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return err
	}
	if _, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, sqlTx, job); err != nil {
		return fmt.Errorf("job queue: complete job %d: %w", job.ID, err)
	}
	return nil
}

const listPage = 500

// Jobs lists the jobs of a kind ("" = every kind) in the given states (none
// = every state), oldest first. Not for use inside a transaction on SQLite
// (see Queue).
func (q *Queue) Jobs(ctx context.Context, kind string, states ...rivertype.JobState) ([]*rivertype.JobRow, error) {
	p := river.NewJobListParams().First(listPage)
	if kind != "" {
		p = p.Kinds(kind)
	}
	if len(states) > 0 {
		p = p.States(states...)
	}
	return q.list(ctx, p)
}

func (q *Queue) list(ctx context.Context, p *river.JobListParams) ([]*rivertype.JobRow, error) {
	var out []*rivertype.JobRow
	for {
		res, err := q.client.JobList(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("job queue: list: %w", err)
		}
		out = append(out, res.Jobs...)
		if len(res.Jobs) < listPage {
			return out, nil
		}
		p = p.After(res.LastCursor)
	}
}

// FailedJob is a dead letter: a job River discarded after its last
// attempt failed.
type FailedJob struct {
	ID        int64
	Kind      string
	Args      json.RawMessage
	Attempts  int
	LastError string
	FailedAt  time.Time
}

// JobsFailed lists the discarded jobs River still keeps (discardedRetention),
// the latest first, for the admins.
func (q *Queue) JobsFailed(ctx context.Context) ([]FailedJob, error) {
	rows, err := q.list(ctx, river.NewJobListParams().First(listPage).
		States(rivertype.JobStateDiscarded).
		OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc))
	if err != nil {
		return nil, err
	}
	out := make([]FailedJob, len(rows))
	for i, r := range rows {
		f := FailedJob{ID: r.ID, Kind: r.Kind, Args: json.RawMessage(r.EncodedArgs), Attempts: r.Attempt}
		if n := len(r.Errors); n > 0 {
			f.LastError = r.Errors[n-1].Error
		}
		if r.FinalizedAt != nil {
			f.FailedAt = *r.FinalizedAt
		}
		out[i] = f
	}
	return out, nil
}
