package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// MarkStageDone records that a long-term (长期坚持) task's stage goals are
// met (阶段性完成): digests and the 通报 count it as done from now on. It
// stays ongoing, so its check-ins go on and its plan of reminders is
// unchanged. The caller has checked the actor's authority (ActVerify); the
// task is checked here as stored now (ledger.CheckStageDone), and the update
// is a compare-and-set, so two presses at once mark it once: the second
// gets ErrConflict (a later one, a *ledger.StageDoneError).
func (s *Store) MarkStageDone(ctx context.Context, taskID uint, actor Actor) (Task, error) {
	var task Task
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := takeTask(tx, taskID, &task); err != nil {
			return err
		}
		if err := ledger.CheckStageDone(ledger.Status(task.Status), task.LongTerm, task.StageDoneAt != nil); err != nil {
			return err
		}
		now := s.now()
		res := tx.Model(&Task{}).
			Where("id = ? AND status = ? AND long_term = ? AND stage_done_at IS NULL", task.ID, string(ledger.StatusOngoing), true).
			Updates(map[string]any{"stage_done_at": now, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("mark stage done: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrConflict
		}
		task.StageDoneAt, task.UpdatedAt = &now, now
		return s.audit(tx, actor, "task.stage_done", taskSubject(task.ID), &task.PlanID, &task.ID,
			map[string]any{"status": task.Status, "stage_done": false},
			map[string]any{"status": task.Status, "stage_done": true})
	})
	return task, err
}
