package models

import (
	"context"
	"fmt"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

// Changes compiles what changed since day `since` up to `asOf` (the
// half-monthly 半月梳理汇总): tasks closed in the period (imported
// closures never are), progress reported (imports are not progress),
// deadlines moved, tasks that fell due and are still open; how many were
// done when the period began, and every dated task still open with the
// latest report, why it is not done and the next step (changes_open.go).
// Seven queries, whatever the ledger's size. Times are compared from the
// start of `since` in loc.
func (s *Store) Changes(ctx context.Context, f DigestFilter, since, asOf ledger.Date, loc *time.Location) (ledger.DigestChanges, error) {
	ch := ledger.DigestChanges{Since: since, AsOf: asOf}
	from := since.StartIn(loc).UTC()
	db := s.db.WithContext(ctx)
	params := map[string]any{"from": from, "since": DateOf(since), "today": DateOf(asOf)}
	filter := f.sql(params)
	scope := func(q string) string { return q + " AND " + filter }
	base := "SELECT " + lineColumns + " FROM " + taskFrom

	// An imported closure has no closed_at (its day is unknown): it is
	// never new in a period, whatever the period.
	var closed []LineRow
	if err := db.Raw(base+scope(" WHERE t.status = 'closed' AND t.closed_at IS NOT NULL AND t.closed_at >= @from")+" ORDER BY t.closed_at, t.seq", params).Scan(&closed).Error; err != nil {
		return ch, fmt.Errorf("changes: closed: %w", err)
	}
	var late []LineRow
	if err := db.Raw(base+scope(" WHERE t.status <> 'closed' AND t.deadline >= @since AND t.deadline < @today")+" ORDER BY t.deadline, t.seq", params).Scan(&late).Error; err != nil {
		return ch, fmt.Errorf("changes: newly overdue: %w", err)
	}
	var progress []struct {
		LineRow
		Reports int
	}
	q := "SELECT " + lineColumns + ", COUNT(*) AS reports FROM " + taskFrom + ` JOIN progress_entries p ON p.task_id = t.id
		WHERE p.created_at >= @from AND p.source <> 'import' AND ` + filter +
		` GROUP BY t.id, t.code, t.title, d.name, o.name, l.name, t.status, t.deadline, t.seq ORDER BY t.seq`
	if err := db.Raw(q, params).Scan(&progress).Error; err != nil {
		return ch, fmt.Errorf("changes: progress: %w", err)
	}
	var moved []struct {
		LineRow
		OldDeadline Date
		NewDeadline Date
		Reason      string
	}
	q = "SELECT " + lineColumns + ", c.old_deadline, c.new_deadline, c.reason FROM " + taskFrom + ` JOIN deadline_changes c ON c.task_id = t.id
		WHERE c.state = 'approved' AND c.decided_at >= @from AND ` + filter + ` ORDER BY c.decided_at, c.id`
	if err := db.Raw(q, params).Scan(&moved).Error; err != nil {
		return ch, fmt.Errorf("changes: deadlines: %w", err)
	}
	for _, r := range closed {
		ch.NewlyClosed = append(ch.NewlyClosed, r.line())
	}
	for _, r := range late {
		l := r.line()
		l.Days = l.Deadline.DaysUntil(asOf)
		ch.NewlyOverdue = append(ch.NewlyOverdue, l)
	}
	for _, r := range progress {
		ch.NewProgress = append(ch.NewProgress, ledger.ProgressLine{TaskLine: r.line(), Reports: r.Reports})
	}
	for _, r := range moved {
		ch.DeadlineChanges = append(ch.DeadlineChanges, ledger.DeadlineLine{TaskLine: r.line(), Old: r.OldDeadline.Date, New: r.NewDeadline.Date, Reason: r.Reason})
	}
	if err := changesState(db, filter, params, &ch); err != nil {
		return ch, err
	}
	// What the latest report says, for the tasks reported on in the period
	// (their latest report is in it) and those still open.
	ids := make([]uint, 0, len(ch.NewProgress)+len(ch.Open))
	for _, p := range ch.NewProgress {
		ids = append(ids, p.TaskID)
	}
	for _, o := range ch.Open {
		ids = append(ids, o.TaskID)
	}
	latest, err := s.LatestProgressOf(ctx, ids)
	if err != nil {
		return ch, fmt.Errorf("changes: %w", err)
	}
	for i := range ch.NewProgress {
		ch.NewProgress[i].Latest = latest[ch.NewProgress[i].TaskID].Text
	}
	for i := range ch.Open {
		l := latest[ch.Open[i].TaskID]
		ch.Open[i].Latest, ch.Open[i].LatestImported = l.Text, l.Source == SourceImport
	}
	return ch, nil
}

// lineColumns are the columns of a LineRow over taskFrom.
const lineColumns = `t.id AS task_id, t.code, t.title, d.name AS department, o.name AS officer, l.name AS leader,
	t.status, t.deadline`

// LineRow is a task line as the change queries return it (exported: GORM
// scans only exported embedded structs).
type LineRow struct {
	TaskID     uint
	Code       string
	Title      string
	Department string
	Officer    string
	Leader     string
	Status     string
	Deadline   Date
}

func (r LineRow) line() ledger.TaskLine {
	return ledger.TaskLine{TaskID: r.TaskID, Code: r.Code, Title: r.Title, Department: r.Department, Officer: r.Officer,
		Leader: r.Leader, Status: ledger.Status(r.Status), Deadline: r.Deadline.Date}
}
