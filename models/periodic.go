package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PeriodicRun records that one run of a periodic job — the half-monthly
// digest of 2021-11-16 09:00 — was given to a job of the queue: the
// catch-up at start inserts the run's job only if no row names the run, and
// the worker sends only if the row names its job. River keeps a periodic
// job's schedule in the elected leader's memory and its finished jobs for a
// day, so neither can say, after a stop, whether a run was done; this row
// does, for good.
type PeriodicRun struct {
	ID        uint       `gorm:"primaryKey"`
	Name      string     `gorm:"not null;uniqueIndex:periodic_runs_name_run"` // the periodic job ("group_digest")
	RunKey    string     `gorm:"not null;uniqueIndex:periodic_runs_name_run"` // which run (the digest's send hour in UTC)
	JobID     int64      `gorm:"not null"`                                    // the River job that does it
	CreatedAt time.Time  `gorm:"not null"`
	DoneAt    *time.Time // when the job finished it
}

// FindPeriodicRun returns the run's record; ok is false when the run was
// never given to a job.
func FindPeriodicRun(ctx context.Context, db *gorm.DB, name, run string) (r PeriodicRun, ok bool, err error) {
	res := db.WithContext(ctx).Where("name = ? AND run_key = ?", name, run).Limit(1).Find(&r)
	if res.Error != nil {
		return PeriodicRun{}, false, fmt.Errorf("periodic run %s %s: %w", name, run, res.Error)
	}
	return r, res.RowsAffected == 1, nil
}

// ClaimPeriodicRun gives the run to job jobID unless another job has it
// already, and reports whether jobID has it now. It is the one decision
// between two jobs of one run (the periodic job's and the catch-up's, or a
// leader's and its successor's): on PostgreSQL the second insert waits for
// the first's transaction and then does nothing; on SQLite writes are
// serialised anyway. A job claiming again (a retry) keeps its run.
func ClaimPeriodicRun(ctx context.Context, db *gorm.DB, name, run string, jobID int64, at time.Time) (bool, error) {
	row := PeriodicRun{Name: name, RunKey: run, JobID: jobID, CreatedAt: at.UTC()}
	res := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "name"}, {Name: "run_key"}}, DoNothing: true,
	}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("claim periodic run %s %s: %w", name, run, res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	got, ok, err := FindPeriodicRun(ctx, db, name, run)
	if err != nil {
		return false, err
	}
	return ok && got.JobID == jobID, nil
}

// FinishPeriodicRun records when the run was done.
func FinishPeriodicRun(ctx context.Context, db *gorm.DB, name, run string, at time.Time) error {
	err := db.WithContext(ctx).Model(&PeriodicRun{}).Where("name = ? AND run_key = ?", name, run).
		Update("done_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("finish periodic run %s %s: %w", name, run, err)
	}
	return nil
}

// LedgerSince is when the first plan still in the ledger was created; ok is
// false when there is none. A periodic run from before it had nothing to
// report: nothing was skipped then. (The minimum is taken here, not in SQL:
// SQLite keeps times as text with their offset, which does not sort as
// instants; a ledger has a handful of plans.)
func LedgerSince(ctx context.Context, db *gorm.DB) (since time.Time, ok bool, err error) {
	var created []*time.Time
	if err := db.WithContext(ctx).Model(&Plan{}).Pluck("created_at", &created).Error; err != nil {
		return time.Time{}, false, fmt.Errorf("first plan: %w", err)
	}
	for _, c := range created {
		if c != nil && (!ok || c.Before(since)) {
			since, ok = *c, true
		}
	}
	return since, ok, nil
}
