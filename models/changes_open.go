package models

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// changesState completes the compilation: how many tasks were done when
// the period began, and the tasks still open with why and what next. Two
// queries, whatever the ledger's size.
func changesState(db *gorm.DB, filter string, params map[string]any, ch *ledger.DigestChanges) error {
	// Done at the start: closed before it (an imported closure, whose day
	// is unknown, was done before any period), or a long-term task whose
	// stage goals were met before it (or at the import, which is how the
	// ledger came: as for a closure). A task closed and reopened since is
	// counted as it stands.
	var done int64
	q := `SELECT COUNT(*) FROM ` + taskFrom + ` WHERE ((t.status = 'closed' AND (t.closed_at IS NULL OR t.closed_at < @from))
		OR (t.status = 'ongoing' AND t.stage_done_at IS NOT NULL AND (t.stage_done_at < @from
			OR t.stage_done_at <= (SELECT pl.created_at FROM plans pl WHERE pl.id = t.plan_id)))) AND ` + filter
	if err := db.Raw(q, params).Scan(&done).Error; err != nil {
		return fmt.Errorf("changes: done at the start: %w", err)
	}
	ch.DoneAtSince = int(done)

	// The dated tasks still open, each with the first measure not ticked
	// (the next step) and the reason of its latest approved new deadline
	// (why it is not done yet).
	var open []struct {
		LineRow
		NextStep *string
		Reason   *string
	}
	q = `SELECT ` + lineColumns + `,
			(SELECT m.text FROM measures m WHERE m.task_id = t.id AND NOT m.done ORDER BY m.seq LIMIT 1) AS next_step,
			(SELECT c.reason FROM deadline_changes c WHERE c.task_id = t.id AND c.state = 'approved'
				ORDER BY c.decided_at DESC, c.id DESC LIMIT 1) AS reason
		FROM ` + taskFrom + ` WHERE t.status <> 'closed' AND NOT t.long_term AND ` + filter + ` ORDER BY t.seq, t.id`
	if err := db.Raw(q, params).Scan(&open).Error; err != nil {
		return fmt.Errorf("changes: open tasks: %w", err)
	}
	for _, o := range open {
		l := ledger.OpenLine{TaskLine: o.line()}
		if o.NextStep != nil {
			l.NextStep = *o.NextStep
		}
		if o.Reason != nil {
			l.Reason = *o.Reason
		}
		ch.Open = append(ch.Open, l)
	}
	return nil
}
