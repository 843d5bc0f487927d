package scheduler

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/models"
)

// cancelPendingTx cancels the task_due jobs still waiting for these tasks
// that are not the task's next item any more (keep: task id → the args of
// its new next job), in the change's transaction: a closed task keeps
// nothing but its follow-up, a re-dated one nothing of its old ladder, and
// a reconcile that plans the same thing cancels nothing. (A job left behind
// would find itself out of plan and do nothing; this keeps the queue honest
// for the admins who look at it.)
func (q *Queue) cancelPendingTx(ctx context.Context, tx *gorm.DB, taskIDs []uint, keep map[uint]TaskDueArgs) error {
	taskArg, argsText := "CAST(args->>'task_id' AS bigint)", "args"
	if q.dialect == models.SQLite {
		// riversqlite keeps args as jsonb: json() gives the text back.
		taskArg, argsText = "json_extract(args, '$.task_id')", "json(args)"
	}
	var rows []struct {
		ID   int64
		Args []byte
	}
	err := tx.WithContext(ctx).Table("river_job").Select("id, "+argsText+" AS args").
		Where("kind = ? AND state IN ?", JobKindTaskDue, []string{"available", "scheduled", "retryable"}).
		Where(taskArg+" IN ?", taskIDs).
		Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("pending jobs: %w", err)
	}
	var ids []int64
	for _, r := range rows {
		var a TaskDueArgs
		if err := json.Unmarshal(r.Args, &a); err != nil {
			return fmt.Errorf("pending job %d: %w", r.ID, err)
		}
		if k, ok := keep[a.TaskID]; !ok || k != a {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := q.client.JobCancelTx(ctx, sqlTx, id); err != nil {
			return fmt.Errorf("cancel job %d: %w", id, err)
		}
	}
	return nil
}
