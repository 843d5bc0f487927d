package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// ReopenReason is the reason recorded when a follow-up review (回头看)
// finds the problem back.
const ReopenReason = "回头看:问题反弹"

// ErrNotClosed is returned for a follow-up answer on a task that is no
// longer closed (someone reopened it meanwhile).
var ErrNotClosed = errors.New("the task is not closed")

// RecordFollowUp records the officer's answer to a follow-up review: the
// problem came back (the task is reopened, in progress again) or it did not
// (recorded as a review). Both write an audit event.
func (s *Store) RecordFollowUp(ctx context.Context, taskID uint, cameBack bool, actor Actor) (Task, error) {
	if cameBack {
		task, err := s.ChangeStatus(ctx, StatusChange{TaskID: taskID, From: ledger.StatusClosed, To: ledger.StatusInProgress, Reason: ReopenReason}, actor)
		if errors.Is(err, ErrConflict) {
			return task, ErrNotClosed
		}
		if err != nil {
			return task, err
		}
		return task, s.audit(s.db.WithContext(ctx), actor, "task.reviewed", taskSubject(taskID), &task.PlanID, &task.ID,
			nil, map[string]any{"outcome": "relapse"})
	}
	var task Task
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := takeTask(tx, taskID, &task); err != nil {
			return err
		}
		if task.Status != string(ledger.StatusClosed) {
			return ErrNotClosed
		}
		return s.audit(tx, actor, "task.reviewed", taskSubject(taskID), &task.PlanID, &task.ID,
			nil, map[string]any{"outcome": "no_relapse"})
	})
	if err != nil {
		return task, fmt.Errorf("follow-up: %w", err)
	}
	return task, nil
}
