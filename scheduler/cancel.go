package scheduler

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
)

// The task_due jobs of some tasks (waiting, or held by River as run) are
// looked up at every ledger change, in every batch of Reconcile and by
// every task_due job for its own task. River indexes river_job by kind
// and state only, so without an index of our own that lookup read every
// task_due job and decoded its arguments: each batch of 500 tasks cost as
// much as the whole queue, and Reconcile the square of the ledger. The
// index below on the task id makes it a lookup per task.
//
// Using it is not left to chance. SQLite's planner prefers River's kind
// index, so the query names ours (INDEXED BY). PostgreSQL's uses it when
// its statistics of river_job are current (Reconcile sees to that, see
// jobStats) and the range of task ids is part of the condition: it has no
// statistics for a partial index's expression and reckons an IN list of
// 500 ids to match most rows, but a range to match few. And the index
// expression and predicate are written exactly as the query writes them,
// the kind and the states as literals: SQLite matches an expression index
// only to the same expression and a partial index only to the same literal
// in the WHERE, and PostgreSQL proves a partial index's predicate from
// literals, not from bound parameters.
const (
	taskDueIndex = "river_job_task_due_task_id"
	taskDueWhere = "kind = '" + JobKindTaskDue + "'"
)

// taskArgExpr is the task id in a task_due job's arguments, as each engine
// reads it (riversqlite keeps args as jsonb; json() gives the text back).
func taskArgExpr(d dburl.Dialect) (taskArg, argsText string) {
	if d == dburl.SQLite {
		return "json_extract(args, '$.task_id')", "json(args)"
	}
	return "CAST(args->>'task_id' AS bigint)", "args"
}

// ensureTaskDueIndex creates the index on River's table after River's own
// migrations. It runs at every Migrate, IF NOT EXISTS, because a River
// migration may rebuild river_job (riversqlite's 008 did) and so drop it.
func ensureTaskDueIndex(ctx context.Context, db *gorm.DB, d dburl.Dialect) error {
	taskArg, _ := taskArgExpr(d)
	stmt := "CREATE INDEX IF NOT EXISTS " + taskDueIndex + " ON river_job ((" + taskArg + ")) WHERE " + taskDueWhere
	if err := db.WithContext(ctx).Exec(stmt).Error; err != nil {
		return fmt.Errorf("river migrate: index %s: %w", taskDueIndex, err)
	}
	return nil
}

// taskDueJob is a task_due job of the tasks being planned, as taskDueJobsTx
// reads it.
type taskDueJob struct {
	ID    int64
	State string
	Args  TaskDueArgs
}

// heldStates are the states taskDueJobsTx reads: a job waiting (available,
// scheduled, retryable: the planner keeps or cancels it) or one River
// holds as run (running, completed). River's uniqueness counts both (they
// are among its default unique states), so a Due whose job ran is refused
// as a duplicate until River prunes the job, a day after it completed: the
// planner passes over such a Due rather than plan it, or the task would be
// left with no job at all. Cancelled and discarded jobs do not count.
const heldStates = "state IN ('available', 'scheduled', 'retryable', 'running', 'completed')"

// waiting reports whether the job has not been taken yet.
func (j taskDueJob) waiting() bool {
	switch j.State {
	case "available", "scheduled", "retryable":
		return true
	}
	return false
}

// taskDueJobsTx reads the task_due jobs of these tasks that are waiting or
// held by River as run, in one indexed lookup (see above): per task, its
// waiting job and the few that ran within River's retention of completed
// jobs.
func (q *Queue) taskDueJobsTx(ctx context.Context, tx *gorm.DB, taskIDs []uint) ([]taskDueJob, error) {
	if len(taskIDs) == 0 {
		return nil, nil
	}
	taskArg, argsText := taskArgExpr(q.dialect)
	table := "river_job"
	if q.dialect == dburl.SQLite {
		table += " INDEXED BY " + taskDueIndex
	}
	var rows []struct {
		ID    int64
		State string
		Args  []byte
	}
	err := tx.WithContext(ctx).Table(table).Select("id, state, "+argsText+" AS args").
		Where(taskDueWhere+" AND "+heldStates).
		Where(taskArg+" BETWEEN ? AND ?", slices.Min(taskIDs), slices.Max(taskIDs)).
		Where(taskArg+" IN ?", taskIDs).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("task_due jobs: %w", err)
	}
	out := make([]taskDueJob, len(rows))
	for i, r := range rows {
		out[i] = taskDueJob{ID: r.ID, State: r.State}
		if err := json.Unmarshal(r.Args, &out[i].Args); err != nil {
			return nil, fmt.Errorf("task_due job %d: %w", r.ID, err)
		}
	}
	return out, nil
}

// ran is the Dues whose jobs River holds as run (running or completed),
// with those given besides.
func ran(jobs []taskDueJob, also ...TaskDueArgs) map[TaskDueArgs]bool {
	done := make(map[TaskDueArgs]bool, len(also))
	for _, a := range also {
		done[a] = true
	}
	for _, j := range jobs {
		if !j.waiting() {
			done[j.Args] = true
		}
	}
	return done
}

// cancelPendingTx cancels, of the jobs taskDueJobsTx read, those still
// waiting that are not their task's next item any more (keep: task id →
// the args of its new next job), in the change's transaction: a closed task
// keeps nothing but its follow-up, a re-dated one nothing of its old
// ladder, and a reconcile that plans the same thing cancels nothing. (A job
// left behind would find itself out of plan and do nothing; this keeps the
// queue honest for the admins who look at it.)
//
// It returns the tasks whose waiting job already is the one planned: the
// caller need not insert it again. Inserting it again is not free — River
// answers a duplicate of a unique job by updating the existing row (ON
// CONFLICT … DO UPDATE), a write per task at every restart, which on
// PostgreSQL also leaves a dead row version behind in the table and every
// index of river_job until vacuumed.
func (q *Queue) cancelPendingTx(ctx context.Context, tx *gorm.DB, jobs []taskDueJob, keep map[uint]TaskDueArgs) (map[uint]bool, error) {
	var ids []int64
	planned := make(map[uint]bool, len(jobs))
	for _, j := range jobs {
		if !j.waiting() {
			continue
		}
		if k, ok := keep[j.Args.TaskID]; !ok || k != j.Args {
			ids = append(ids, j.ID)
			continue
		}
		planned[j.Args.TaskID] = true
	}
	if len(ids) == 0 {
		return planned, nil
	}
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, err := q.client.JobCancelTx(ctx, sqlTx, id); err != nil {
			return nil, fmt.Errorf("cancel job %d: %w", id, err)
		}
	}
	return planned, nil
}
