package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// Sources of a progress entry.
const (
	SourceCommand = "command" // the /report dialogue
	SourceReply   = "reply"   // a reply to a message about the task
	SourceImport  = "import"  // the 整改情况 column of an imported ledger
)

// ErrNotFound is returned when the task (or other record) asked for does not
// exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a task changed under the caller (another
// replica or person acted first); the caller reloads and decides again.
var ErrConflict = errors.New("the task was changed meanwhile")

// ErrReasonRequired is returned when a change that needs a reason has none.
var ErrReasonRequired = errors.New("a reason is required")

// StatusChange is a request to move a task to another status.
type StatusChange struct {
	TaskID uint
	// From, when set, is the status the person decided on: the change is
	// refused with ErrConflict if the task has moved on since. A rejection
	// needs it — pending→in_progress and closed→in_progress (a reopening)
	// are both allowed moves, so a rejection typed while another leader
	// approved must not reopen the closed task.
	From   ledger.Status
	To     ledger.Status
	Reason string // required for a rejection and for a reopening
}

// ChangeStatus moves a task along the status machine of ledger.CheckTransition.
// The update is a compare-and-set on the old status, so two people acting on
// one task at once cannot both succeed. On ErrConflict the task is returned
// as it is now.
func (s *Store) ChangeStatus(ctx context.Context, ch StatusChange, actor Actor) (Task, error) {
	var task Task
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := takeTask(tx, ch.TaskID, &task); err != nil {
			return err
		}
		from := ledger.Status(task.Status)
		if ch.From != "" && ch.From != from {
			return ErrConflict
		}
		if err := ledger.CheckTransition(from, ch.To); err != nil {
			return err
		}
		reopening := from == ledger.StatusClosed
		rejecting := from == ledger.StatusPendingVerification && ch.To == ledger.StatusInProgress
		if (reopening || rejecting) && strings.TrimSpace(ch.Reason) == "" {
			return ErrReasonRequired
		}
		updates := map[string]any{"status": string(ch.To), "updated_at": s.now()}
		switch {
		case ch.To == ledger.StatusClosed:
			updates["closed_at"] = s.now()
		case reopening:
			updates["closed_at"] = nil
		}
		res := tx.Model(&Task{}).Where("id = ? AND status = ?", task.ID, task.Status).Updates(updates)
		if res.Error != nil {
			return fmt.Errorf("change status: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrConflict
		}
		before := map[string]any{"status": from}
		after := map[string]any{"status": ch.To}
		if ch.Reason != "" {
			after["reason"] = ch.Reason
		}
		if ch.To == ledger.StatusClosed {
			// 销号 verifies the whole rectification: every measure is done,
			// whether or not the officer ticked it.
			if err := tx.Model(&Measure{}).Where("task_id = ? AND done = ?", task.ID, false).
				Updates(map[string]any{"done": true, "done_at": s.now()}).Error; err != nil {
				return fmt.Errorf("change status: tick measures: %w", err)
			}
		}
		task.Status = string(ch.To)
		if err := s.audit(tx, actor, "task.status", taskSubject(task.ID), &task.PlanID, &task.ID, before, after); err != nil {
			return err
		}
		return s.tasksChanged(ctx, tx, task.ID)
	})
	return task, err
}

// NewProgress is a progress report on a task.
type NewProgress struct {
	TaskID      uint
	Text        string
	Source      string
	Attachments []Attachment
}

// AddProgress records a progress entry with its evidence. A first report on
// a task that has not started moves it to in progress.
func (s *Store) AddProgress(ctx context.Context, p NewProgress, actor Actor) (ProgressEntry, error) {
	entry := ProgressEntry{TaskID: p.TaskID, AuthorID: actor.PersonID, Text: strings.TrimSpace(p.Text),
		Source: p.Source, CreatedAt: s.now()}
	if entry.Text == "" && len(p.Attachments) == 0 {
		return entry, errors.New("add progress: neither text nor attachment")
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var task Task
		if err := takeTask(tx, p.TaskID, &task); err != nil {
			return err
		}
		if err := tx.Create(&entry).Error; err != nil {
			return fmt.Errorf("add progress: %w", err)
		}
		atts := make([]Attachment, len(p.Attachments))
		for i, a := range p.Attachments {
			a.ID, a.ProgressEntryID = 0, entry.ID
			atts[i] = a
		}
		if err := createAll(tx, atts).Error; err != nil {
			return fmt.Errorf("add progress: attachments: %w", err)
		}
		if err := s.audit(tx, actor, "task.progress", taskSubject(task.ID), &task.PlanID, &task.ID, nil,
			map[string]any{"entry": entry.ID, "attachments": len(atts), "source": p.Source}); err != nil {
			return err
		}
		if err := tx.Model(&Task{}).Where("id = ?", task.ID).UpdateColumn("last_report_at", entry.CreatedAt).Error; err != nil {
			return fmt.Errorf("add progress: mark the task reported: %w", err)
		}
		if task.Status == string(ledger.StatusNotStarted) {
			res := tx.Model(&Task{}).Where("id = ? AND status = ?", task.ID, task.Status).
				Updates(map[string]any{"status": string(ledger.StatusInProgress), "updated_at": s.now()})
			if res.Error != nil {
				return fmt.Errorf("add progress: start task: %w", res.Error)
			}
			return s.audit(tx, actor, "task.status", taskSubject(task.ID), &task.PlanID, &task.ID,
				map[string]any{"status": ledger.StatusNotStarted}, map[string]any{"status": ledger.StatusInProgress})
		}
		return nil
	})
	return entry, err
}

func takeTask(tx *gorm.DB, id uint, task *Task) error {
	err := tx.Take(task, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("task %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("load task %d: %w", id, err)
	}
	return nil
}

func taskSubject(id uint) string { return fmt.Sprintf("task:%d", id) }
