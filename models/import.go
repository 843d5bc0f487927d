package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// PlanSpec describes the plan an import creates.
type PlanSpec struct {
	Title string
	Team  string
	// Unit names the inspected unit, created on first use; its short name
	// and self-reference (我委) are set when given.
	Unit         string
	UnitShort    string
	UnitSelf     string
	FeedbackDate ledger.Date
	TimeZone     string // IANA name; "" means Asia/Shanghai
	Year         int
}

// DefaultTimeZone is the zone of plans that name none.
const DefaultTimeZone = ledger.DefaultTimeZone

// ImportSummary says what an import created (or, dry-run, would create).
type ImportSummary struct {
	PlanID         uint
	DryRun         bool
	NewUnit        bool // the plan's unit was created by this import
	Categories     int
	Problems       int
	Tasks          int
	Measures       int
	ProgressItems  int
	LongTerm       int
	StageDone      int // long-term rows whose 整改状态 says 阶段性完成
	Departments    int // distinct in the file
	NewDepartments int
	Leaders        int // distinct in the file
	Officers       int // distinct in the file
	NewPeople      int
	ByStatus       map[ledger.Status]int
	// Warnings are what the import accepted but an office should look at:
	// rows whose 责任领导 is also their 责任人 (nobody approves their own
	// closure, so an admin will).
	Warnings []string
}

// sameLeaderAndOfficer warns of rows whose leader is their own officer.
func sameLeaderAndOfficer(rows []ledger.Row) []string {
	var out []string
	for _, r := range rows {
		if name := strings.TrimSpace(r.Leader); name != "" && name == strings.TrimSpace(r.Officer) {
			where := fmt.Sprintf("task %s", r.ProblemCode)
			if r.SourceRow > 0 {
				where = fmt.Sprintf("row %d (task %s)", r.SourceRow, r.ProblemCode)
			}
			out = append(out, fmt.Sprintf("%s: %s is both 责任领导 and 责任人; an admin (the office) will approve its closure and deadline changes", where, name))
		}
	}
	return out
}

// ErrUnitRequired is returned when a plan names no unit and the
// installation has several to choose from.
var ErrUnitRequired = errors.New("name the plan's unit (--unit): the installation has several units")

// ErrPlanExists is returned when a plan with the same title is already in
// the ledger: re-importing never duplicates a plan (see README, "Importing").
var ErrPlanExists = errors.New("plan already exists")

// ImportConflict is a row that is valid on its own but contradicts the
// ledger already stored (a person already in another department).
type ImportConflict struct {
	Row    int
	Column string
	Found  string
	Reason string
}

// ImportConflictError lists every conflicting row.
type ImportConflictError struct{ Conflicts []ImportConflict }

func (e *ImportConflictError) Error() string {
	lines := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		lines[i] = fmt.Sprintf("row %d, column %s: %q, %s", c.Row, c.Column, c.Found, c.Reason)
	}
	return strings.Join(lines, "\n")
}

var errDryRun = errors.New("dry run")

// ImportPlan stores a validated 台账 as a new plan with its categories,
// problems, tasks, measures, departments, people and imported progress, all
// in one transaction: on any error nothing is written. With dryRun the
// transaction is rolled back after everything was checked.
func (s *Store) ImportPlan(ctx context.Context, spec PlanSpec, rows []ledger.Row, actor Actor, dryRun bool) (ImportSummary, error) {
	sum := ImportSummary{DryRun: dryRun, ByStatus: map[ledger.Status]int{}, Warnings: sameLeaderAndOfficer(rows)}
	if strings.TrimSpace(spec.Title) == "" {
		return sum, errors.New("import: the plan needs a title")
	}
	if spec.TimeZone == "" {
		spec.TimeZone = DefaultTimeZone
	}
	if _, err := time.LoadLocation(spec.TimeZone); err != nil {
		return sum, fmt.Errorf("import: time zone %q: %w", spec.TimeZone, err)
	}
	if len(rows) == 0 {
		return sum, errors.New("import: the file has no task rows")
	}
	statuses, err := importStatuses(rows)
	if err != nil {
		return sum, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing Plan
		switch err := tx.Where("title = ?", spec.Title).Take(&existing).Error; {
		case err == nil:
			return fmt.Errorf("%w: %q (id %d)", ErrPlanExists, spec.Title, existing.ID)
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return fmt.Errorf("import: look up plan: %w", err)
		}
		w := &planWriter{tx: tx, now: s.now(), rows: rows, statuses: statuses, sum: &sum}
		if err := w.write(spec); err != nil {
			return err
		}
		if err := s.audit(tx, actor, "plan.imported", fmt.Sprintf("plan:%d", w.plan.ID), &w.plan.ID, nil, nil, sum); err != nil {
			return fmt.Errorf("import: audit: %w", err)
		}
		if !dryRun {
			if err := s.tasksChanged(ctx, tx, w.taskIDs...); err != nil {
				return err
			}
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		sum.PlanID = 0
		return sum, nil
	}
	return sum, err
}

// importStatuses decides each row's status: the file's word when it has
// one; otherwise 长期坚持 for long-term rows and 未开始 for the rest.
func importStatuses(rows []ledger.Row) ([]importStatus, error) {
	out := make([]importStatus, len(rows))
	var conflicts []ImportConflict
	for i, r := range rows {
		st, stageDone := r.Status, r.StageDone
		switch {
		case st == "" && r.Deadline.LongTerm:
			st = ledger.StatusOngoing
		case st == "":
			st = ledger.StatusNotStarted
		case r.StageDone && !r.Deadline.LongTerm:
			conflicts = append(conflicts, ImportConflict{Row: r.SourceRow, Column: "整改状态", Found: ledger.StageDoneWord,
				Reason: "expected 已完成 (or another status) for a task with a dated 整改时限: only a 长期坚持 task is done at its stage"})
		case st == ledger.StatusOngoing && !r.Deadline.LongTerm:
			conflicts = append(conflicts, ImportConflict{Row: r.SourceRow, Column: "整改状态", Found: st.Chinese(),
				Reason: "expected a status other than 长期坚持 for a task with a dated 整改时限 (or write 长期坚持 as its 整改时限)"})
		case st == ledger.StatusClosed && r.Deadline.LongTerm:
			// A long-term task is never closed (ledger.CheckTransition): a
			// report's 已完成 on a 长期坚持 row means its stage goals are met,
			// counted as done while its check-ins go on.
			st, stageDone = ledger.StatusOngoing, true
		}
		out[i] = importStatus{Status: st, StageDone: stageDone}
	}
	if len(conflicts) > 0 {
		return nil, &ImportConflictError{Conflicts: conflicts}
	}
	return out, nil
}

// importStatus is what a row's 整改状态 imports as.
type importStatus struct {
	Status    ledger.Status
	StageDone bool // a long-term task done at its stage
}
