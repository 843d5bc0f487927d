package models

import (
	"context"
	"fmt"
	"strings"

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
}

// LedgerRows returns a plan's tasks in 序号 order as 台账 rows: measures in
// order, and 整改情况 compiled from the progress entries in the order they
// were made. Three queries, whatever the plan's size.
func (s *Store) LedgerRows(ctx context.Context, planID uint) ([]LedgerRow, error) {
	db := s.db.WithContext(ctx)
	var scans []ledgerRowScan
	err := db.Table("tasks t").
		Select(`t.id AS task_id, t.seq, c.name AS category, t.code, p.title AS problem_title, t.detail,
			l.name AS leader, d.name AS department, o.name AS officer, t.deadline, t.long_term, t.recurrence, t.status,
			t.stage_done_at IS NOT NULL AS stage_done, t.department_id, t.leader_id`).
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
	}
	if err := db.Table("deadline_changes dc").Select("dc.task_id, dc.old_deadline, dc.new_deadline, ap.name AS approved_by").
		Joins("JOIN tasks t ON t.id = dc.task_id").Joins("LEFT JOIN people ap ON ap.id = dc.decided_by_id").
		Where("t.plan_id = ? AND dc.state = ?", planID, string(DeadlineApproved)).Order("dc.task_id, dc.id").Scan(&moves).Error; err != nil {
		return nil, fmt.Errorf("ledger rows: deadline changes: %w", err)
	}
	for _, m := range moves {
		mv := ledger.DeadlineMove{From: m.OldDeadline.Date, To: m.NewDeadline.Date}
		if m.ApprovedBy != nil {
			mv.ApprovedBy = *m.ApprovedBy
		}
		r := &rows[index[m.TaskID]]
		r.DeadlineMoves = append(r.DeadlineMoves, mv)
	}
	return rows, nil
}
