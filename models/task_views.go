package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// TaskItem is a task in a list: enough to sort it by light and show a line.
type TaskItem struct {
	ID           uint
	PlanID       uint
	Code         string
	Title        string
	Status       ledger.Status
	Deadline     ledger.Date
	LongTerm     bool
	Department   string
	Officer      string
	Leader       string
	DepartmentID uint
	OfficerID    uint
	LeaderID     uint
	UnitID       uint
}

// Scope is the permission scope of the task.
func (t TaskItem) Scope() ledger.TaskScope {
	return ledger.TaskScope{TaskID: t.ID, DepartmentID: t.DepartmentID, OfficerID: t.OfficerID, LeaderID: t.LeaderID, UnitID: t.UnitID}
}

// TaskItemRow is a task item as queries scan it (exported: GORM scans only
// exported embedded structs).
type TaskItemRow struct {
	ID           uint
	PlanID       uint
	Code         string
	Title        string
	Status       string
	Deadline     Date
	LongTerm     bool
	Department   string
	Officer      string
	Leader       string
	DepartmentID uint
	OfficerID    uint
	LeaderID     uint
	UnitID       uint
}

func (s TaskItemRow) item() TaskItem {
	return TaskItem{ID: s.ID, PlanID: s.PlanID, Code: s.Code, Title: s.Title, Status: ledger.Status(s.Status),
		Deadline: s.Deadline.Date, LongTerm: s.LongTerm, Department: s.Department, Officer: s.Officer,
		Leader: s.Leader, DepartmentID: s.DepartmentID, OfficerID: s.OfficerID, LeaderID: s.LeaderID, UnitID: s.UnitID}
}

// taskFrom is a task with its department, officer and leader: the FROM of
// every query that lists tasks with their people.
const taskFrom = `tasks t
	JOIN departments d ON d.id = t.department_id
	JOIN people o ON o.id = t.officer_id
	JOIN people l ON l.id = t.leader_id`

// taskItemColumns are the columns of a TaskItemRow over taskFrom.
const taskItemColumns = `t.id, t.plan_id, t.code, t.title, t.status, t.deadline, t.long_term,
	d.name AS department, o.name AS officer, l.name AS leader,
	t.department_id, t.officer_id, t.leader_id, d.unit_id`

func (s *Store) taskItems(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table(taskFrom).Select(taskItemColumns).Order("t.plan_id, t.seq, t.id")
}

func scanItems(q *gorm.DB) ([]TaskItem, error) {
	var rows []TaskItemRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	out := make([]TaskItem, len(rows))
	for i, r := range rows {
		out[i] = r.item()
	}
	return out, nil
}

// reachFilter limits a task query to what the actor is responsible for:
// an officer's own and department's tasks, a leader's own and led
// departments' tasks; everything for admins and leaders of everything.
func reachFilter(q *gorm.DB, a ledger.Actor) *gorm.DB {
	if r := ledger.ReadReach(a); r.Units != nil {
		q = q.Where("d.unit_id IN ?", r.Units)
	}
	if a.Has(ledger.RoleAdmin) || a.Has(ledger.RoleSupervisor) || (a.Has(ledger.RoleLeader) && a.SeesAll) {
		return q
	}
	cond := q.Session(&gorm.Session{NewDB: true}).Where("1 = 0")
	if a.Has(ledger.RoleOfficer) {
		cond = cond.Or("t.officer_id = ?", a.PersonID)
		if a.DepartmentID != 0 {
			cond = cond.Or("t.department_id = ?", a.DepartmentID)
		}
	}
	if a.Has(ledger.RoleLeader) {
		cond = cond.Or("t.leader_id = ?", a.PersonID)
		if len(a.LedDepartmentIDs) > 0 {
			cond = cond.Or("t.department_id IN ?", a.LedDepartmentIDs)
		}
	}
	return q.Where(cond)
}

// TasksFor lists the tasks the actor is responsible for (SPEC §3 /tasks).
func (s *Store) TasksFor(ctx context.Context, a ledger.Actor) ([]TaskItem, error) {
	return scanItems(reachFilter(s.taskItems(ctx), a))
}

// PendingVerificationFor lists the tasks waiting for the actor's sign-off.
func (s *Store) PendingVerificationFor(ctx context.Context, a ledger.Actor) ([]TaskItem, error) {
	return scanItems(reachFilter(s.taskItems(ctx), a).Where("t.status = ?", string(ledger.StatusPendingVerification)))
}

// TaskItemsByCode finds tasks by their code (问题编号) across plans, for
// /task CODE; several plans may use the same code.
func (s *Store) TaskItemsByCode(ctx context.Context, code string) ([]TaskItem, error) {
	return scanItems(s.taskItems(ctx).Where("t.code = ?", code))
}

// TaskItem loads one task as a list item.
func (s *Store) TaskItem(ctx context.Context, id uint) (TaskItem, error) {
	items, err := scanItems(s.taskItems(ctx).Where("t.id = ?", id))
	if err != nil {
		return TaskItem{}, err
	}
	if len(items) == 0 {
		return TaskItem{}, fmt.Errorf("task %d: %w", id, ErrNotFound)
	}
	return items[0], nil
}

// TaskCard is everything the bot shows about one task.
type TaskCard struct {
	TaskItem
	PlanTitle        string
	TimeZone         string
	ProblemTitle     string
	Detail           string
	Category         string
	OriginalDeadline ledger.Date
	Recurrence       string
	StageDoneAt      *time.Time // a long-term task marked 阶段性完成; nil when not
	Measures         []Measure
	Progress         []CardEntry // newest first, at most cardProgress
	Files            int64       // attachments on every entry of the task
	ProgressCount    int64
	DeadlineRequest  *DeadlineRequest       // open, awaiting a decision
	DeadlineChanges  []DeadlineHistoryEntry // approved, oldest first
}

const cardProgress = 3

// CardEntry is a progress entry on a card: who wrote it and its files.
type CardEntry struct {
	ProgressEntry
	Author      string // "" for an imported entry
	Attachments int
}

// Card loads a task card: seven queries.
func (s *Store) Card(ctx context.Context, id uint) (TaskCard, error) {
	item, err := s.TaskItem(ctx, id)
	if err != nil {
		return TaskCard{}, err
	}
	db := s.db.WithContext(ctx)
	var extra struct {
		PlanTitle        string
		TimeZone         string
		ProblemTitle     string
		Detail           string
		Category         string
		OriginalDeadline Date
		Recurrence       string
		StageDoneAt      *time.Time
	}
	err = db.Table("tasks t").Select(`pl.title AS plan_title, pl.time_zone, p.title AS problem_title, t.detail,
			c.name AS category, t.original_deadline, t.recurrence, t.stage_done_at`).
		Joins("JOIN plans pl ON pl.id = t.plan_id").Joins("JOIN problems p ON p.id = t.problem_id").
		Joins("JOIN categories c ON c.id = p.category_id").Where("t.id = ?", id).Scan(&extra).Error
	if err != nil {
		return TaskCard{}, fmt.Errorf("task card: %w", err)
	}
	card := TaskCard{TaskItem: item, PlanTitle: extra.PlanTitle, TimeZone: extra.TimeZone, ProblemTitle: extra.ProblemTitle,
		Detail: extra.Detail, Category: extra.Category, OriginalDeadline: extra.OriginalDeadline.Date, Recurrence: extra.Recurrence,
		StageDoneAt: extra.StageDoneAt}
	if err := db.Where("task_id = ?", id).Order("seq").Find(&card.Measures).Error; err != nil {
		return TaskCard{}, fmt.Errorf("task card: measures: %w", err)
	}
	err = db.Table("progress_entries p").
		Select(`p.*, COALESCE(au.name, '') AS author,
			(SELECT COUNT(*) FROM attachments a WHERE a.progress_entry_id = p.id) AS attachments`).
		Joins("LEFT JOIN people au ON au.id = p.author_id").
		Where("p.task_id = ?", id).Order("p.created_at DESC, p.id DESC").Limit(cardProgress).Scan(&card.Progress).Error
	if err != nil {
		return TaskCard{}, fmt.Errorf("task card: progress: %w", err)
	}
	err = db.Table("attachments a").Joins("JOIN progress_entries p ON p.id = a.progress_entry_id").
		Where("p.task_id = ?", id).Count(&card.Files).Error
	if err != nil {
		return TaskCard{}, fmt.Errorf("task card: files: %w", err)
	}
	if err := db.Model(&ProgressEntry{}).Where("task_id = ?", id).Count(&card.ProgressCount).Error; err != nil {
		return TaskCard{}, fmt.Errorf("task card: progress count: %w", err)
	}
	if req, ok, err := s.PendingDeadline(ctx, id); err != nil {
		return TaskCard{}, err
	} else if ok {
		card.DeadlineRequest = &req
	}
	if card.DeadlineChanges, err = s.DeadlineHistory(ctx, id); err != nil {
		return TaskCard{}, err
	}
	return card, nil
}
