package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

// reconcileBatch is the tasks planned per transaction: on SQLite the one
// connection is the transaction's while it runs, and the bot waits for it,
// so a batch must stay short (some 50 ms); a bigger one saves little, the
// cost being per task.
const reconcileBatch = 500

// Reconcile plans every task, in batches: tasks imported from the command
// line (which runs without the scheduler) get their jobs, and a restart
// after a long stop catches up. Planning is idempotent (a task whose
// waiting job is already its next item is left alone), so running it at
// every start is safe. Start runs it in the background; it is exported,
// and synchronous, for the command line and tests.
//
// Its cost is linear in the ledger: per batch, one query of the tasks, one
// indexed lookup of their waiting jobs (see cancel.go), the changed jobs'
// cancellations and one insert of the new ones.
func (s *Service) Reconcile(ctx context.Context) error {
	began := time.Now()
	var ids []uint
	if err := s.store.DB().WithContext(ctx).Model(&models.Task{}).Order("id").Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	stats := &jobStats{db: s.store.DB(), dialect: s.Queue.Dialect()}
	for start := 0; start < len(ids); start += reconcileBatch {
		if err := stats.refresh(ctx, start); err != nil {
			return err
		}
		batch := ids[start:min(len(ids), start+reconcileBatch)]
		err := s.store.DB().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.Planner.TasksChangedTx(ctx, tx, batch)
		})
		if err != nil {
			return fmt.Errorf("reconcile: tasks %d–%d: %w", batch[0], batch[len(batch)-1], err)
		}
	}
	s.log.InfoContext(ctx, "reminders planned", slog.Int("tasks", len(ids)),
		slog.Duration("took", time.Since(began)))
	return nil
}

// jobStats keeps PostgreSQL's statistics of river_job fresh enough for the
// planner to use the waiting-jobs index. Right after an import the table
// is (nearly) empty and its statistics say so; Reconcile then fills it,
// and with statistics claiming a few rows PostgreSQL reads every task_due
// job of River's kind index in each batch instead — the quadratic cost the
// index is there to remove. (Autovacuum analyses the table too, but a
// minute or more later.) So the table is analysed at the start and again
// whenever the tasks planned since the last analysis outnumber the rows it
// counted — the table may have doubled: O(log n) analyses, each a bounded
// sample. SQLite names the index in the query instead (INDEXED BY).
type jobStats struct {
	db      *gorm.DB
	dialect dburl.Dialect
	at      int     // tasks planned at the last analysis
	rows    float64 // river_job's rows as that analysis counted them
	done    bool    // analysed at least once
}

func (j *jobStats) refresh(ctx context.Context, planned int) error {
	if j.dialect != dburl.Postgres || j.done && float64(planned-j.at) <= max(j.rows, reconcileBatch) {
		return nil
	}
	db := j.db.WithContext(ctx)
	if err := db.Exec("ANALYZE river_job").Error; err != nil {
		return fmt.Errorf("reconcile: analyze river_job: %w", err)
	}
	// to_regclass finds river_job in search_path, as the query does.
	if err := db.Raw("SELECT reltuples FROM pg_class WHERE oid = to_regclass('river_job')").Scan(&j.rows).Error; err != nil {
		return fmt.Errorf("reconcile: river_job's size: %w", err)
	}
	j.at, j.done = planned, true
	return nil
}
