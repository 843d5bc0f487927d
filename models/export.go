package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

// LedgerRow is a task as a 台账 row, with what rendering needs besides.
type LedgerRow struct {
	ledger.Row
	TaskID       uint
	DepartmentID uint // for a person's reach (ledger.Reach.Covers)
	LeaderID     uint
	// MeasuresDone says, for each of Row.Measures in the same order, whether
	// it is ticked as done.
	MeasuresDone []bool
	// DeadlineMoves are the approved changes of the deadline, oldest first.
	DeadlineMoves []ledger.DeadlineMove
	// ClosedOn is the day the task was closed (销号日期), in the plan's
	// zone; zero while it is open, and for an imported closure, whose day
	// the ledger does not say.
	ClosedOn ledger.Date
	// ClosedBy is who approved the closure (审核人): the person of the
	// audit event that closed the task; "" when no person did (the command
	// line) or the closure was imported.
	ClosedBy string
	// Evidence is the number of files attached to the task's progress
	// entries (佐证材料).
	Evidence int
}

type ledgerRowScan struct {
	TaskID       uint
	Seq          int
	Category     string
	Code         string
	ProblemTitle string
	Detail       string
	Leader       string
	Department   string
	Officer      string
	Deadline     Date
	LongTerm     bool
	Recurrence   string
	Status       string
	StageDone    bool
	DepartmentID uint
	LeaderID     uint
	ClosedAt     *time.Time
	TimeZone     string
}

// LedgerRows returns a plan's tasks in 序号 order as 台账 rows: measures in
// order, 整改情况 compiled from the progress entries in the order they were
// made, the approved deadline changes, and for the office's columns the
// closure's day and approver and the count of evidence files. Six queries,
// whatever the plan's size.
func (s *Store) LedgerRows(ctx context.Context, planID uint) ([]LedgerRow, error) {
	db := s.db.WithContext(ctx)
	var scans []ledgerRowScan
	err := db.Table("tasks t").
		Select(`t.id AS task_id, t.seq, c.name AS category, t.code, p.title AS problem_title, t.detail,
			l.name AS leader, d.name AS department, o.name AS officer, t.deadline, t.long_term, t.recurrence, t.status,
			t.stage_done_at IS NOT NULL AS stage_done, t.department_id, t.leader_id, t.closed_at, pl.time_zone`).
		Joins("JOIN plans pl ON pl.id = t.plan_id").
		Joins("JOIN problems p ON p.id = t.problem_id").
		Joins("JOIN categories c ON c.id = p.category_id").
		Joins("JOIN departments d ON d.id = t.department_id").
		Joins("JOIN people l ON l.id = t.leader_id").
		Joins("JOIN people o ON o.id = t.officer_id").
		Where("t.plan_id = ?", planID).
		Order("t.seq, t.id").
		Scan(&scans).Error
	if err != nil {
		return nil, fmt.Errorf("ledger rows: %w", err)
	}
	rows := make([]LedgerRow, len(scans))
	index := make(map[uint]int, len(scans))
	var loc *time.Location
	if len(scans) > 0 {
		loc = Plan{TimeZone: scans[0].TimeZone}.Location()
	}
	for i, sc := range scans {
		dl := ledger.Deadline{Date: sc.Deadline.Date, LongTerm: sc.LongTerm}
		if sc.LongTerm {
			if r, err := ledger.ParseRecurrence(sc.Recurrence); err == nil {
				dl.Recurrence = r
			}
		}
		rows[i] = LedgerRow{TaskID: sc.TaskID, DepartmentID: sc.DepartmentID, LeaderID: sc.LeaderID, Row: ledger.Row{
			Seq: sc.Seq, Category: sc.Category, ProblemCode: sc.Code, ProblemTitle: sc.ProblemTitle,
			Detail: sc.Detail, Leader: sc.Leader, Department: sc.Department, Officer: sc.Officer,
			Deadline: dl, Status: ledger.Status(sc.Status), StageDone: sc.StageDone,
		}}
		if sc.ClosedAt != nil && rows[i].Status == ledger.StatusClosed {
			rows[i].ClosedOn = ledger.DateOf(sc.ClosedAt.In(loc))
		}
		index[sc.TaskID] = i
	}
	var measures []Measure
	if err := db.Joins("JOIN tasks t ON t.id = measures.task_id").Where("t.plan_id = ?", planID).
		Order("measures.task_id, measures.seq").Find(&measures).Error; err != nil {
		return nil, fmt.Errorf("ledger rows: measures: %w", err)
	}
	for _, m := range measures {
		r := &rows[index[m.TaskID]]
		r.Measures = append(r.Measures, m.Text)
		r.MeasuresDone = append(r.MeasuresDone, m.Done)
	}
	var entries []ProgressEntry
	if err := db.Joins("JOIN tasks t ON t.id = progress_entries.task_id").Where("t.plan_id = ?", planID).
		Order("progress_entries.task_id, progress_entries.created_at, progress_entries.id").Find(&entries).Error; err != nil {
		return nil, fmt.Errorf("ledger rows: progress: %w", err)
	}
	progress := make(map[uint][]string)
	for _, e := range entries {
		if e.Text != "" {
			progress[e.TaskID] = append(progress[e.TaskID], e.Text)
		}
	}
	for id, texts := range progress {
		rows[index[id]].Progress = strings.Join(texts, "\n")
	}
	var moves []struct {
		TaskID      uint
		OldDeadline Date
		NewDeadline Date
		ApprovedBy  *string
		Reason      string
	}
	if err := db.Table("deadline_changes dc").Select("dc.task_id, dc.old_deadline, dc.new_deadline, ap.name AS approved_by, dc.reason").
		Joins("JOIN tasks t ON t.id = dc.task_id").Joins("LEFT JOIN people ap ON ap.id = dc.decided_by_id").
		Where("t.plan_id = ? AND dc.state = ?", planID, string(DeadlineApproved)).Order("dc.task_id, dc.id").Scan(&moves).Error; err != nil {
		return nil, fmt.Errorf("ledger rows: deadline changes: %w", err)
	}
	for _, m := range moves {
		mv := ledger.DeadlineMove{From: m.OldDeadline.Date, To: m.NewDeadline.Date, Reason: m.Reason}
		if m.ApprovedBy != nil {
			mv.ApprovedBy = *m.ApprovedBy
		}
		r := &rows[index[m.TaskID]]
		r.DeadlineMoves = append(r.DeadlineMoves, mv)
	}
	if err := s.ledgerClosers(ctx, planID, rows, index); err != nil {
		return nil, err
	}
	var evidence []struct {
		TaskID uint
		Files  int
	}
	if err := db.Table("attachments a").Select("pe.task_id, COUNT(*) AS files").
		Joins("JOIN progress_entries pe ON pe.id = a.progress_entry_id").Joins("JOIN tasks t ON t.id = pe.task_id").
		Where("t.plan_id = ?", planID).Group("pe.task_id").Scan(&evidence).Error; err != nil {
		return nil, fmt.Errorf("ledger rows: evidence: %w", err)
	}
	for _, e := range evidence {
		rows[index[e.TaskID]].Evidence = e.Files
	}
	return rows, nil
}

// LedgerUnitName is the unit a 台账's title names: the plan's unit by its
// own name, else the name the plan was imported with.
func (s *Store) LedgerUnitName(ctx context.Context, p Plan) (string, error) {
	u, err := s.UnitByID(ctx, p.UnitID)
	switch {
	case errors.Is(err, ErrNotFound):
		return p.Unit, nil
	case err != nil:
		return "", fmt.Errorf("ledger unit: %w", err)
	case u.Name != "":
		return u.Name, nil
	}
	return p.Unit, nil
}

// ledgerClosers fills ClosedBy of the closed rows: the person of each
// task's latest task.status event, when that event closed it. The latest
// one rather than the latest closing one, so that a closure the audit does
// not know of (a re-import) is never credited to whoever closed the task
// before it was reopened.
func (s *Store) ledgerClosers(ctx context.Context, planID uint, rows []LedgerRow, index map[uint]int) error {
	var events []struct {
		TaskID uint
		After  string
		Name   *string
	}
	err := s.db.WithContext(ctx).Table("audit_events ae").Select("ae.task_id, ae.after, pe.name").
		Joins(`JOIN (SELECT task_id, MAX(id) AS id FROM audit_events WHERE plan_id = ? AND action = 'task.status' GROUP BY task_id) last
			ON last.id = ae.id`, planID).
		Joins("JOIN tasks t ON t.id = ae.task_id").
		Joins("LEFT JOIN people pe ON pe.id = ae.actor_id").
		Where("t.status = ?", string(ledger.StatusClosed)).Scan(&events).Error
	if err != nil {
		return fmt.Errorf("ledger rows: closures: %w", err)
	}
	for _, ev := range events {
		var after struct{ Status ledger.Status }
		i, ok := index[ev.TaskID]
		if !ok || ev.Name == nil || json.Unmarshal([]byte(ev.After), &after) != nil || after.Status != ledger.StatusClosed {
			continue
		}
		rows[i].ClosedBy = *ev.Name
	}
	return nil
}
