package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// ReopenReason is the reason recorded when a follow-up review (回头看)
// finds the problem back.
const ReopenReason = "回头看：问题反弹"

// ErrNotClosed is returned for a follow-up answer on a task that is no
// longer closed (someone reopened it meanwhile).
var ErrNotClosed = errors.New("the task is not closed")

// ErrNoOpenReview is returned for a follow-up answer from someone who was
// not asked, or whose question was answered already: a button's data is
// the client's to forge, so the answer is checked against what was asked.
var ErrNoOpenReview = errors.New("no open follow-up review for this person and task")

// followUpKind is how the scheduler records a follow-up question it sent
// (scheduler.KindFollowUp; models cannot import the scheduler).
const followUpKind = "follow_up"

// openReview checks that person was asked the task's latest follow-up
// question and nobody has answered it since.
func openReview(tx *gorm.DB, taskID, personID uint) error {
	var asked Notification
	err := tx.Where("task_id = ? AND kind = ? AND person_id = ?", taskID, followUpKind, personID).
		Order("sent_at DESC, id DESC").Take(&asked).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNoOpenReview
	}
	if err != nil {
		return err
	}
	var answers int64
	if err := tx.Model(&AuditEvent{}).Where("task_id = ? AND action = ? AND created_at >= ?", taskID, "task.reviewed", asked.SentAt).
		Count(&answers).Error; err != nil {
		return err
	}
	if answers > 0 {
		return ErrNoOpenReview
	}
	return nil
}

// FollowUpOpen reports whether person may answer the task's follow-up
// review now: the task is closed and the person's question is open.
func (s *Store) FollowUpOpen(ctx context.Context, taskID, personID uint) error {
	var task Task
	if err := takeTask(s.db.WithContext(ctx), taskID, &task); err != nil {
		return err
	}
	if task.Status != string(ledger.StatusClosed) {
		return ErrNotClosed
	}
	return openReview(s.db.WithContext(ctx), taskID, personID)
}

// RecordFollowUp records the answer of the person asked to a follow-up
// review: the problem came back (the task is reopened, in progress again)
// or it did not (recorded as a review). Both write an audit event. Only
// the person the question went to may answer, once (ErrNoOpenReview).
// what says what came back; it is required then (ErrReasonRequired) and
// recorded as the reopening's reason.
func (s *Store) RecordFollowUp(ctx context.Context, taskID, personID uint, cameBack bool, what string, actor Actor) (Task, error) {
	if err := openReview(s.db.WithContext(ctx), taskID, personID); err != nil {
		return Task{}, err
	}
	if cameBack {
		what = strings.TrimSpace(what)
		if what == "" {
			return Task{}, ErrReasonRequired
		}
		task, err := s.ChangeStatus(ctx, StatusChange{TaskID: taskID, From: ledger.StatusClosed, To: ledger.StatusInProgress, Reason: ReopenReason + "：" + what}, actor)
		if errors.Is(err, ErrConflict) {
			return task, ErrNotClosed
		}
		if err != nil {
			return task, err
		}
		return task, s.audit(s.db.WithContext(ctx), actor, "task.reviewed", taskSubject(taskID), &task.PlanID, &task.ID,
			nil, map[string]any{"outcome": "relapse", "what": what})
	}
	var task Task
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := takeTask(tx, taskID, &task); err != nil {
			return err
		}
		if task.Status != string(ledger.StatusClosed) {
			return ErrNotClosed
		}
		if err := openReview(tx, taskID, personID); err != nil { // a double press racing this one
			return err
		}
		return s.audit(tx, actor, "task.reviewed", taskSubject(taskID), &task.PlanID, &task.ID,
			nil, map[string]any{"outcome": "no_relapse"})
	})
	if err != nil {
		return task, fmt.Errorf("follow-up: %w", err)
	}
	return task, nil
}
