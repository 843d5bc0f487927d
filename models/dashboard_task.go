package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

// TaskHead is a task as its page opens: who it is whose (Scope, for
// ledger.Authorize) and what it is.
type TaskHead struct {
	TaskItem
	TimeZone         string
	ProblemTitle     string
	Category         string
	OriginalDeadline ledger.Date
}

// TaskHeadOf loads a task's head: one query. The unit is the plan's, as
// TaskScope reads it for the bot's checks.
func (s *Store) TaskHeadOf(ctx context.Context, id uint) (TaskHead, error) {
	var rows []struct {
		TaskItemRow
		TimeZone         string
		ProblemTitle     string
		Category         string
		OriginalDeadline Date
	}
	err := s.db.WithContext(ctx).Table(taskFrom+`
		JOIN plans pl ON pl.id = t.plan_id
		JOIN problems p ON p.id = t.problem_id
		JOIN categories c ON c.id = p.category_id`).
		Select(`t.id, t.plan_id, t.code, t.title, t.status, t.deadline, t.long_term,
			d.name AS department, o.name AS officer, l.name AS leader,
			t.department_id, t.officer_id, t.leader_id, pl.unit_id,
			pl.time_zone, p.title AS problem_title, c.name AS category, t.original_deadline`).
		Where("t.id = ?", id).Scan(&rows).Error
	if err != nil {
		return TaskHead{}, fmt.Errorf("task %d: %w", id, err)
	}
	if len(rows) == 0 {
		return TaskHead{}, fmt.Errorf("task %d: %w", id, ErrNotFound)
	}
	r := rows[0]
	return TaskHead{TaskItem: r.item(), TimeZone: r.TimeZone, ProblemTitle: r.ProblemTitle, Category: r.Category,
		OriginalDeadline: r.OriginalDeadline.Date}, nil
}

// TaskHistory is everything that happened to a task: its measures, every
// progress entry with its files, every deadline request and the 销号
// trail.
type TaskHistory struct {
	Measures  []Measure
	Progress  []HistoryEntry   // newest first
	Deadlines []DeadlineRecord // oldest first; requests replaced before a decision are left out
	Closure   []ClosureEvent   // oldest first
}

// HistoryEntry is a progress entry with its author and files.
type HistoryEntry struct {
	ProgressEntry
	Author string // "" for an imported entry
	Files  []Attachment
}

// DeadlineRecord is one deadline request (or the office's own change) and
// its outcome.
type DeadlineRecord struct {
	ID             uint
	Old, New       ledger.Date
	Reason         string
	RequestedByID  *uint
	RequestedBy    string // "" when not a person (the command line)
	RequestedAt    time.Time
	State          DeadlineState
	DecidedBy      string // "" when undecided, or decided by no person
	DecidedAt      *time.Time
	DecisionReason string
}

// ClosureStep is a step of the 销号 trail.
type ClosureStep string

const (
	ClosureRequested ClosureStep = "requested" // the officer says it is done
	ClosureApproved  ClosureStep = "approved"  // 销号
	ClosureRejected  ClosureStep = "rejected"  // sent back, with a reason
	ClosureReopened  ClosureStep = "reopened"  // closed, then reopened (回头看), with a reason
)

// ClosureEvent is one step of the 销号 trail, from the audit trail.
type ClosureEvent struct {
	At     time.Time
	Step   ClosureStep
	By     string // "" when not a person
	Reason string
}

// TaskHistoryOf loads a task's history: five queries, whatever its length.
func (s *Store) TaskHistoryOf(ctx context.Context, id uint) (TaskHistory, error) {
	var h TaskHistory
	db := s.db.WithContext(ctx)
	if err := db.Where("task_id = ?", id).Order("seq").Find(&h.Measures).Error; err != nil {
		return h, fmt.Errorf("task %d: measures: %w", id, err)
	}
	var entries []CardEntry
	err := db.Table("progress_entries p").Select("p.*, COALESCE(au.name, '') AS author").
		Joins("LEFT JOIN people au ON au.id = p.author_id").
		Where("p.task_id = ?", id).Order("p.created_at DESC, p.id DESC").Scan(&entries).Error
	if err != nil {
		return h, fmt.Errorf("task %d: progress: %w", id, err)
	}
	h.Progress = make([]HistoryEntry, len(entries))
	for i, e := range entries {
		h.Progress[i] = HistoryEntry{ProgressEntry: e.ProgressEntry, Author: e.Author}
	}
	var files []Attachment
	err = db.Table("attachments a").Select("a.*").Joins("JOIN progress_entries p ON p.id = a.progress_entry_id").
		Where("p.task_id = ?", id).Order("a.id").Scan(&files).Error
	if err != nil {
		return h, fmt.Errorf("task %d: files: %w", id, err)
	}
	at := map[uint]int{}
	for i, e := range h.Progress {
		at[e.ID] = i
	}
	for _, f := range files {
		if i, ok := at[f.ProgressEntryID]; ok {
			h.Progress[i].Files = append(h.Progress[i].Files, f)
		}
	}
	if h.Deadlines, err = s.deadlineRecords(ctx, id); err != nil {
		return h, err
	}
	if h.Closure, err = s.closureTrail(ctx, id); err != nil {
		return h, err
	}
	return h, nil
}

func (s *Store) deadlineRecords(ctx context.Context, id uint) ([]DeadlineRecord, error) {
	var rows []struct {
		ID             uint
		OldDeadline    Date
		NewDeadline    Date
		Reason         string
		ChangedByID    *uint
		RequestedBy    *string
		CreatedAt      time.Time
		State          string
		DecidedBy      *string
		DecidedAt      *time.Time
		DecisionReason string
	}
	err := s.db.WithContext(ctx).Table(`deadline_changes dc
		LEFT JOIN people rq ON rq.id = dc.changed_by_id
		LEFT JOIN people dp ON dp.id = dc.decided_by_id`).
		Select(`dc.id, dc.old_deadline, dc.new_deadline, dc.reason, dc.changed_by_id, rq.name AS requested_by,
			dc.created_at, dc.state, dp.name AS decided_by, dc.decided_at, dc.decision_reason`).
		Where("dc.task_id = ? AND dc.state <> ?", id, string(DeadlineSuperseded)).Order("dc.created_at, dc.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("task %d: deadline requests: %w", id, err)
	}
	out := make([]DeadlineRecord, len(rows))
	for i, r := range rows {
		out[i] = DeadlineRecord{ID: r.ID, Old: r.OldDeadline.Date, New: r.NewDeadline.Date, Reason: r.Reason,
			RequestedByID: r.ChangedByID, RequestedAt: r.CreatedAt, State: DeadlineState(r.State), DecidedAt: r.DecidedAt,
			DecisionReason: r.DecisionReason}
		if r.RequestedBy != nil {
			out[i].RequestedBy = *r.RequestedBy
		}
		if r.DecidedBy != nil {
			out[i].DecidedBy = *r.DecidedBy
		}
	}
	return out, nil
}

// closureTrail reads the 销号 steps from the task's status changes in the
// audit trail (ChangeStatus records each with the statuses before and
// after, and the reason of a rejection or a reopening).
func (s *Store) closureTrail(ctx context.Context, id uint) ([]ClosureEvent, error) {
	var rows []struct {
		CreatedAt time.Time
		Name      *string
		Before    string
		After     string
	}
	err := s.db.WithContext(ctx).Table("audit_events e").Select("e.created_at, p.name, e.before, e.after").
		Joins("LEFT JOIN people p ON p.id = e.actor_id").
		Where("e.task_id = ? AND e.action = ?", id, "task.status").Order("e.created_at, e.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("task %d: closure trail: %w", id, err)
	}
	var out []ClosureEvent
	for _, r := range rows {
		var before, after struct {
			Status ledger.Status `json:"status"`
			Reason string        `json:"reason"`
		}
		if json.Unmarshal([]byte(r.Before), &before) != nil || json.Unmarshal([]byte(r.After), &after) != nil {
			continue // not written by ChangeStatus: no step of the trail
		}
		step, ok := closureStep(before.Status, after.Status)
		if !ok {
			continue
		}
		e := ClosureEvent{At: r.CreatedAt, Step: step, Reason: after.Reason}
		if r.Name != nil {
			e.By = *r.Name
		}
		out = append(out, e)
	}
	return out, nil
}

// closureStep names a status change as a step of the 销号 trail; work
// starting (未开始 → 整改中) is none.
func closureStep(from, to ledger.Status) (ClosureStep, bool) {
	switch {
	case to == ledger.StatusPendingVerification:
		return ClosureRequested, true
	case from == ledger.StatusPendingVerification && to == ledger.StatusClosed:
		return ClosureApproved, true
	case from == ledger.StatusPendingVerification && to == ledger.StatusInProgress:
		return ClosureRejected, true
	case from == ledger.StatusClosed && to == ledger.StatusInProgress:
		return ClosureReopened, true
	}
	return "", false
}
