package models

import (
	"context"
	"errors"
	"fmt"
)

// NoticeFacts is what the 通报 needs of the database beyond the plan and
// its ledger rows: the package notice builds the report from values and
// queries nothing, so the command line and the bot gather the same facts
// here.
type NoticeFacts struct {
	// Unit is the plan's unit: its name as given (no 中共 added), the short
	// name of 以下简称 and the self-name (我委) of the later references.
	// Zero when the plan has none.
	Unit Unit
	// Changes is the latest approved deadline change per task id.
	Changes map[uint]DeadlineChangeInfo
	// Results are the plan's result figures summed per kind.
	Results []ResultTotal
	// Latest is the latest progress entry with text per task id, for the
	// 下一步工作计划's "what is done" of the unfinished items (its Source
	// says whether it is the imported 整改情况).
	Latest map[uint]ProgressEntry
}

// NoticeFacts gathers the facts of plan p's 通报. Four queries.
func (s *Store) NoticeFacts(ctx context.Context, p Plan) (NoticeFacts, error) {
	var f NoticeFacts
	var err error
	if p.UnitID != 0 {
		if f.Unit, err = s.UnitByID(ctx, p.UnitID); err != nil && !errors.Is(err, ErrNotFound) {
			return NoticeFacts{}, err
		}
	}
	if f.Changes, err = s.DeadlineChangesOf(ctx, p.ID); err != nil {
		return NoticeFacts{}, err
	}
	if f.Results, err = s.Results(ctx, p.ID); err != nil {
		return NoticeFacts{}, err
	}
	if f.Latest, err = s.latestProgress(ctx, p.ID); err != nil {
		return NoticeFacts{}, err
	}
	return f, nil
}

// latestProgress is each task's latest progress entry with text (the
// imported 整改情况 counts: it may be all a task has). Entries are only
// appended, so the latest is the highest id.
func (s *Store) latestProgress(ctx context.Context, planID uint) (map[uint]ProgressEntry, error) {
	var entries []ProgressEntry
	err := s.db.WithContext(ctx).Raw(`SELECT pe.* FROM progress_entries pe
		JOIN (SELECT e.task_id, MAX(e.id) AS id FROM progress_entries e JOIN tasks t ON t.id = e.task_id
			WHERE t.plan_id = ? AND e.text <> '' GROUP BY e.task_id) last ON last.id = pe.id`, planID).
		Scan(&entries).Error
	if err != nil {
		return nil, fmt.Errorf("latest progress of plan %d: %w", planID, err)
	}
	out := make(map[uint]ProgressEntry, len(entries))
	for _, e := range entries {
		out[e.TaskID] = e
	}
	return out, nil
}
