package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// DeadlineState is where a deadline change stands. In 督办 practice a 延期
// is asked by the officer and approved by the task's leader or the office;
// until then the original deadline stands and the task is late by it.
type DeadlineState string

const (
	DeadlinePending    DeadlineState = "pending"    // asked, not yet decided
	DeadlineApproved   DeadlineState = "approved"   // the task's deadline moved
	DeadlineRejected   DeadlineState = "rejected"   // refused, with a reason
	DeadlineSuperseded DeadlineState = "superseded" // replaced by a later request before anyone decided
)

// ErrOwnRequest refuses a decision on a request the decider made: nobody
// approves their own new deadline.
var ErrOwnRequest = errors.New("nobody decides their own request")

// ErrTaskClosed refuses a deadline change on a closed task.
var ErrTaskClosed = errors.New("the task is closed")

// ErrLongTerm refuses a deadline change on a long-term (长期坚持) task,
// which has check-ins instead of a deadline.
var ErrLongTerm = errors.New("a long-term (长期坚持) task has no deadline to change")

// RequestDeadline records an officer's request for a new deadline, with its
// reason. The task's deadline does not move until the request is approved
// (DecideDeadline). A request made while another is open replaces it: the
// officer asked again, and the later request is the one to decide.
func (s *Store) RequestDeadline(ctx context.Context, taskID uint, to ledger.Date, reason string, actor Actor) (DeadlineChange, error) {
	var change DeadlineChange
	if err := checkDeadlineArgs(to, reason); err != nil {
		return change, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var task Task
		if err := takeTask(tx, taskID, &task); err != nil {
			return err
		}
		if err := deadlineChangeable(task); err != nil {
			return err
		}
		superseded := tx.Model(&DeadlineChange{}).Where("task_id = ? AND state = ?", task.ID, DeadlinePending).
			Update("state", DeadlineSuperseded)
		if superseded.Error != nil {
			return fmt.Errorf("request deadline: %w", superseded.Error)
		}
		change = DeadlineChange{TaskID: task.ID, OldDeadline: task.Deadline, NewDeadline: DateOf(to), Reason: strings.TrimSpace(reason),
			ChangedByID: actor.PersonID, CreatedAt: s.now(), State: string(DeadlinePending)}
		if err := tx.Create(&change).Error; err != nil {
			return fmt.Errorf("request deadline: %w", err)
		}
		return s.audit(tx, actor, "task.deadline_request", taskSubject(task.ID), &task.PlanID, &task.ID,
			map[string]any{"deadline": task.Deadline.String()},
			map[string]any{"request": change.ID, "deadline": to.String(), "reason": change.Reason, "replaced": superseded.RowsAffected})
	})
	return change, err
}

// DeadlineDecision is a leader's or the office's answer to a request.
type DeadlineDecision struct {
	RequestID uint
	Approve   bool
	Reason    string // required to reject
}

// DecideDeadline approves or rejects an open request. Approval moves the
// task's deadline (its original deadline stays on the task). The request's
// state is compare-and-set, so two approvers pressing at once decide it
// once; the loser gets ErrConflict and the request as it is now.
func (s *Store) DecideDeadline(ctx context.Context, d DeadlineDecision, actor Actor) (DeadlineChange, error) {
	var change DeadlineChange
	if !d.Approve && strings.TrimSpace(d.Reason) == "" {
		return change, ErrReasonRequired
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&change, d.RequestID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("deadline request %d: %w", d.RequestID, ErrNotFound)
			}
			return fmt.Errorf("load deadline request %d: %w", d.RequestID, err)
		}
		if DeadlineState(change.State) != DeadlinePending {
			return ErrConflict
		}
		if actor.PersonID != nil && change.ChangedByID != nil && *actor.PersonID == *change.ChangedByID {
			return ErrOwnRequest
		}
		var task Task
		if err := takeTask(tx, change.TaskID, &task); err != nil {
			return err
		}
		state := DeadlineRejected
		if d.Approve {
			if err := deadlineChangeable(task); err != nil {
				return err
			}
			state = DeadlineApproved
		}
		now := s.now()
		res := tx.Model(&DeadlineChange{}).Where("id = ? AND state = ?", change.ID, DeadlinePending).Updates(map[string]any{
			"state": string(state), "decided_by_id": actor.PersonID, "decided_at": now, "decision_reason": strings.TrimSpace(d.Reason)})
		if res.Error != nil {
			return fmt.Errorf("decide deadline: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrConflict
		}
		change.State, change.DecidedByID, change.DecidedAt, change.DecisionReason = string(state), actor.PersonID, &now, strings.TrimSpace(d.Reason)
		if !d.Approve {
			return s.audit(tx, actor, "task.deadline_rejected", taskSubject(task.ID), &task.PlanID, &task.ID,
				map[string]any{"request": change.ID, "deadline": change.NewDeadline.String()}, map[string]any{"reason": change.DecisionReason})
		}
		return s.moveDeadline(ctx, tx, task, change, actor)
	})
	return change, err
}

// ChangeDeadline gives a dated task a new deadline at once: the office's
// own change (the command line), recorded as approved by whoever made it.
// An open request is replaced by it.
func (s *Store) ChangeDeadline(ctx context.Context, taskID uint, to ledger.Date, reason string, actor Actor) (Task, error) {
	var task Task
	if err := checkDeadlineArgs(to, reason); err != nil {
		return task, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := takeTask(tx, taskID, &task); err != nil {
			return err
		}
		if err := deadlineChangeable(task); err != nil {
			return err
		}
		if err := tx.Model(&DeadlineChange{}).Where("task_id = ? AND state = ?", task.ID, DeadlinePending).
			Update("state", DeadlineSuperseded).Error; err != nil {
			return fmt.Errorf("change deadline: %w", err)
		}
		now := s.now()
		change := DeadlineChange{TaskID: task.ID, OldDeadline: task.Deadline, NewDeadline: DateOf(to), Reason: strings.TrimSpace(reason),
			ChangedByID: actor.PersonID, CreatedAt: now, State: string(DeadlineApproved), DecidedByID: actor.PersonID, DecidedAt: &now}
		if err := tx.Create(&change).Error; err != nil {
			return fmt.Errorf("change deadline: %w", err)
		}
		if err := s.moveDeadline(ctx, tx, task, change, actor); err != nil {
			return err
		}
		task.Deadline = change.NewDeadline
		return nil
	})
	return task, err
}

// moveDeadline sets the task's deadline to an approved change's, as a
// compare-and-set on the deadline the change was asked against.
func (s *Store) moveDeadline(ctx context.Context, tx *gorm.DB, task Task, change DeadlineChange, actor Actor) error {
	res := tx.Model(&Task{}).Where("id = ? AND (deadline = ? OR deadline IS NULL)", task.ID, task.Deadline).
		Updates(map[string]any{"deadline": change.NewDeadline, "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("change deadline: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrConflict
	}
	if err := s.audit(tx, actor, "task.deadline", taskSubject(task.ID), &task.PlanID, &task.ID,
		map[string]any{"deadline": task.Deadline.String()},
		map[string]any{"deadline": change.NewDeadline.String(), "reason": change.Reason, "request": change.ID}); err != nil {
		return err
	}
	return s.tasksChanged(ctx, tx, task.ID)
}

func checkDeadlineArgs(to ledger.Date, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return ErrReasonRequired
	}
	if to.IsZero() {
		return errors.New("change deadline: no new deadline given")
	}
	return nil
}

func deadlineChangeable(task Task) error {
	if task.LongTerm {
		return ErrLongTerm
	}
	if !ledger.Status(task.Status).Open() {
		return ErrTaskClosed
	}
	return nil
}
