package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// DeadlineRequest is an open request for a new deadline with its task: a
// /verify item, a line of the task card, the leader's notification.
type DeadlineRequest struct {
	ID            uint
	Task          TaskItem
	OldDeadline   ledger.Date
	NewDeadline   ledger.Date
	Reason        string
	RequestedByID *uint
	RequestedBy   string // the person's name, "" when not a person
	CreatedAt     time.Time
}

type deadlineRequestRow struct {
	TaskItemRow
	RequestID     uint
	OldDeadline   Date
	NewDeadline   Date
	Reason        string
	RequestedByID *uint
	RequestedBy   *string
	RequestedAt   time.Time
	State         string
}

func (r deadlineRequestRow) request() DeadlineRequest {
	out := DeadlineRequest{ID: r.RequestID, Task: r.item(), OldDeadline: r.OldDeadline.Date, NewDeadline: r.NewDeadline.Date,
		Reason: r.Reason, RequestedByID: r.RequestedByID, CreatedAt: r.RequestedAt}
	if r.RequestedBy != nil {
		out.RequestedBy = *r.RequestedBy
	}
	return out
}

// openRequests lists open requests of tasks still open (a request on a task
// closed meanwhile has nothing left to decide), oldest first.
func (s *Store) openRequests(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table(taskFrom+`
		JOIN deadline_changes dc ON dc.task_id = t.id AND dc.state = 'pending'
		LEFT JOIN people rq ON rq.id = dc.changed_by_id`).
		Select(taskItemColumns+`, dc.id AS request_id, dc.old_deadline, dc.new_deadline, dc.reason,
			dc.changed_by_id AS requested_by_id, rq.name AS requested_by, dc.created_at AS requested_at, dc.state`).
		Where("t.status <> ?", string(ledger.StatusClosed)).Order("dc.created_at, dc.id")
}

func scanRequests(q *gorm.DB) ([]DeadlineRequest, error) {
	var rows []deadlineRequestRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("deadline requests: %w", err)
	}
	out := make([]DeadlineRequest, len(rows))
	for i, r := range rows {
		out[i] = r.request()
	}
	return out, nil
}

// PendingDeadlinesFor lists the open requests on tasks in the actor's reach;
// the caller still asks ledger.Authorize for each (a leader who is also the
// task's officer does not decide it).
func (s *Store) PendingDeadlinesFor(ctx context.Context, a ledger.Actor) ([]DeadlineRequest, error) {
	return scanRequests(reachFilter(s.openRequests(ctx), a))
}

// PendingDeadline is the open request on a task, if any.
func (s *Store) PendingDeadline(ctx context.Context, taskID uint) (DeadlineRequest, bool, error) {
	reqs, err := scanRequests(s.openRequests(ctx).Where("t.id = ?", taskID))
	if err != nil || len(reqs) == 0 {
		return DeadlineRequest{}, false, err
	}
	return reqs[0], true, nil
}

// DeadlineRequestByID loads one request whatever its state, with its task,
// so a press on a request decided meanwhile can say so.
func (s *Store) DeadlineRequestByID(ctx context.Context, id uint) (DeadlineRequest, DeadlineState, error) {
	var rows []deadlineRequestRow
	err := s.db.WithContext(ctx).Table(taskFrom+`
		JOIN deadline_changes dc ON dc.task_id = t.id
		LEFT JOIN people rq ON rq.id = dc.changed_by_id`).
		Select(taskItemColumns+`, dc.id AS request_id, dc.old_deadline, dc.new_deadline, dc.reason, dc.state,
			dc.changed_by_id AS requested_by_id, rq.name AS requested_by, dc.created_at AS requested_at`).
		Where("dc.id = ?", id).Scan(&rows).Error
	if err != nil {
		return DeadlineRequest{}, "", fmt.Errorf("deadline request %d: %w", id, err)
	}
	if len(rows) == 0 {
		return DeadlineRequest{}, "", fmt.Errorf("deadline request %d: %w", id, ErrNotFound)
	}
	return rows[0].request(), DeadlineState(rows[0].State), nil
}

// DeadlineHistoryEntry is one approved change of a task's deadline, for the
// card, the ledger export and the 通报: from, to, why, asked by, approved by.
type DeadlineHistoryEntry struct {
	OldDeadline ledger.Date
	NewDeadline ledger.Date
	Reason      string
	RequestedBy string
	ApprovedBy  string // "" when the approver is no person (the command line)
	ApprovedAt  time.Time
}

// DeadlineHistory lists a task's approved deadline changes, oldest first.
func (s *Store) DeadlineHistory(ctx context.Context, taskID uint) ([]DeadlineHistoryEntry, error) {
	var rows []struct {
		OldDeadline Date
		NewDeadline Date
		Reason      string
		RequestedBy *string
		ApprovedBy  *string
		DecidedAt   *time.Time
		CreatedAt   time.Time
	}
	err := s.db.WithContext(ctx).Table(`deadline_changes dc
		LEFT JOIN people rq ON rq.id = dc.changed_by_id
		LEFT JOIN people ap ON ap.id = dc.decided_by_id`).
		Select("dc.old_deadline, dc.new_deadline, dc.reason, rq.name AS requested_by, ap.name AS approved_by, dc.decided_at, dc.created_at").
		Where("dc.task_id = ? AND dc.state = ?", taskID, string(DeadlineApproved)).Order("dc.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("deadline history of task %d: %w", taskID, err)
	}
	out := make([]DeadlineHistoryEntry, len(rows))
	for i, r := range rows {
		e := DeadlineHistoryEntry{OldDeadline: r.OldDeadline.Date, NewDeadline: r.NewDeadline.Date, Reason: r.Reason, ApprovedAt: r.CreatedAt}
		if r.RequestedBy != nil {
			e.RequestedBy = *r.RequestedBy
		}
		if r.ApprovedBy != nil {
			e.ApprovedBy = *r.ApprovedBy
		}
		if r.DecidedAt != nil {
			e.ApprovedAt = *r.DecidedAt
		}
		out[i] = e
	}
	return out, nil
}
