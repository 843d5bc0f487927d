package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// ChangeStatusFrom is ChangeStatus for a decision taken on the status the
// person saw: it changes nothing and returns ErrConflict unless the task
// still has status from. A rejection needs it: pending→in_progress and
// closed→in_progress (a reopening) are both allowed moves, so a rejection
// typed while another leader approved must not reopen the closed task.
// On ErrConflict the task is returned as it is now.
func (s *Store) ChangeStatusFrom(ctx context.Context, from ledger.Status, ch StatusChange, actor Actor) (Task, error) {
	var task Task
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Writing the row first holds its lock (PostgreSQL) or the database's
		// write lock (SQLite) until commit, so the status checked here is the
		// one ChangeStatus then changes; a concurrent decision waits, then
		// finds the status changed.
		res := tx.Model(&Task{}).Where("id = ? AND status = ?", ch.TaskID, string(from)).Update("updated_at", s.now())
		if res.Error != nil {
			return fmt.Errorf("change status: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			if err := takeTask(tx, ch.TaskID, &task); err != nil {
				return err
			}
			return ErrConflict
		}
		var err error
		task, err = (&Store{db: tx, clock: s.clock}).ChangeStatus(ctx, ch, actor)
		return err
	})
	return task, err
}
