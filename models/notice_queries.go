package models

import (
	"context"
	"fmt"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

// DeadlineChangeInfo is what the stage progress report (通报) says about a
// task whose deadline moved: the deadline first planned, the latest new
// one and the reason given for it.
type DeadlineChangeInfo struct {
	Original ledger.Date // the deadline before the first change
	Deadline ledger.Date // the deadline set by the latest change
	Reason   string      // the latest change's reason
	Changes  int         // how many times the deadline moved
	At       time.Time   // when the latest change was made
}

// DeadlineChangesOf returns, per task id of the plan, its latest deadline
// approved change; tasks whose deadline never moved are absent (a request
// not yet approved moves nothing). One query.
func (s *Store) DeadlineChangesOf(ctx context.Context, planID uint) (map[uint]DeadlineChangeInfo, error) {
	var rows []struct {
		TaskID           uint
		OldDeadline      Date
		NewDeadline      Date
		Reason           string
		CreatedAt        time.Time
		OriginalDeadline Date
	}
	err := s.db.WithContext(ctx).Table("deadline_changes dc").
		Select("dc.task_id, dc.old_deadline, dc.new_deadline, dc.reason, dc.created_at, t.original_deadline").
		Joins("JOIN tasks t ON t.id = dc.task_id").
		Where("t.plan_id = ? AND dc.state = ?", planID, string(DeadlineApproved)).
		Order("dc.task_id, dc.created_at, dc.id").
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("deadline changes: %w", err)
	}
	out := make(map[uint]DeadlineChangeInfo)
	for _, r := range rows {
		info, seen := out[r.TaskID]
		if !seen {
			// The task's original_deadline is authoritative when it was
			// recorded; otherwise the first change remembers what it replaced.
			info.Original = r.OriginalDeadline.Date
			if info.Original.IsZero() {
				info.Original = r.OldDeadline.Date
			}
		}
		info.Deadline, info.Reason, info.At = r.NewDeadline.Date, r.Reason, r.CreatedAt
		info.Changes++
		out[r.TaskID] = info
	}
	return out, nil
}
