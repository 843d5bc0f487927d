package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rectibot/rectibot/ledger"
)

// DueTask is a task as the scheduler plans it: what it is, whose it is, and
// everything its ladder depends on.
type DueTask struct {
	TaskItem
	Recurrence string
	ClosedAt   *time.Time
	TimeZone   string
}

// DueFilter says whose tasks to load. Zero fields are not filtered on.
type DueFilter struct {
	TaskIDs   []uint
	OfficerID uint
	// Leader: tasks the person leads (as the task's leader, or of a
	// department they lead).
	LeaderID       uint
	LedDepartments []uint
	// UnitID: tasks of this unit only (a unit's admin); 0: every unit.
	UnitID uint
}

// DueTasks loads tasks for planning. One query.
func (s *Store) DueTasks(ctx context.Context, f DueFilter) ([]DueTask, error) {
	return LoadDueTasks(ctx, s.db, f)
}

// LoadDueTasks is DueTasks on a given handle: the planner reads inside the
// transaction of the change (on SQLite, the only connection is that
// transaction's).
func LoadDueTasks(ctx context.Context, db *gorm.DB, f DueFilter) ([]DueTask, error) {
	q := db.WithContext(ctx).Table(taskFrom).
		Select(taskItemColumns + ", t.recurrence, t.closed_at, pl.time_zone").
		Joins("JOIN plans pl ON pl.id = t.plan_id").
		Order("t.plan_id, t.seq, t.id")
	if len(f.TaskIDs) > 0 {
		q = q.Where("t.id IN ?", f.TaskIDs)
	}
	if f.OfficerID != 0 {
		q = q.Where("t.officer_id = ?", f.OfficerID)
	}
	if f.UnitID != 0 {
		q = q.Where("pl.unit_id = ?", f.UnitID)
	}
	if f.LeaderID != 0 {
		cond := db.Session(&gorm.Session{NewDB: true}).Where("t.leader_id = ?", f.LeaderID)
		if len(f.LedDepartments) > 0 {
			cond = cond.Or("t.department_id IN ?", f.LedDepartments)
		}
		q = q.Where(cond)
	}
	var rows []dueTaskScan
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("due tasks: %w", err)
	}
	out := make([]DueTask, len(rows))
	for i, r := range rows {
		out[i] = DueTask{TaskItem: r.TaskItemRow.item(), Recurrence: r.Recurrence, ClosedAt: r.ClosedAt, TimeZone: r.TimeZone}
	}
	return out, nil
}

// dueTaskScan is a task item with what planning needs besides.
type dueTaskScan struct {
	TaskItemRow
	Recurrence string
	ClosedAt   *time.Time
	TimeZone   string
}

// Notified returns which of the due keys were told already.
func (s *Store) Notified(ctx context.Context, keys []string) (map[string]bool, error) {
	return LoadNotified(ctx, s.db, keys)
}

// RecordNotified records due items as told (right after Telegram accepted
// the message that told them). Keys already recorded are left alone.
func (s *Store) RecordNotified(ctx context.Context, rows []Notification) error {
	now := s.now()
	for i := range rows {
		if rows[i].SentAt.IsZero() {
			rows[i].SentAt = now
		}
	}
	err := createAll(s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "due_key"}}, DoNothing: true}), rows).Error
	if err != nil {
		return fmt.Errorf("record notified: %w", err)
	}
	return nil
}

// EveryUnit asks AdminsOf for the admins of every unit and those above
// the units: whom the half-monthly admins' digest goes to.
const EveryUnit = ^uint(0)

// AdminsOf lists the linked admins who act on a task of the unit: the
// office above the units and the unit's own (its 整改办), never another
// unit's; with EveryUnit, every linked admin.
func (s *Store) AdminsOf(ctx context.Context, unitID uint) ([]Person, error) {
	q := s.db.WithContext(ctx).Joins("JOIN person_roles r ON r.person_id = people.id AND r.role = ?", string(ledger.RoleAdmin)).
		Where("people.telegram_user_id IS NOT NULL")
	if unitID != EveryUnit {
		q = q.Where("people.unit_id IS NULL OR people.unit_id = ?", unitID)
	}
	var ps []Person
	if err := q.Order("people.id").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("admins of unit %d: %w", unitID, err)
	}
	return ps, nil
}
