package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// GroupSettings is what a registered group receives.
type GroupSettings struct {
	ChatID        int64
	Title         string
	Digests       bool
	Closures      bool
	Escalations   bool
	DepartmentIDs []uint // none: every department (of its unit)
	// UnitID is the unit the group follows: it hears of that unit only.
	// 0: above the units (the supervisors' group), hearing every unit.
	UnitID   uint
	UnitName string // the unit's short name, else its full name (loaded, not saved)
}

// Group loads a registered group's settings; ErrNotFound when the group is
// not registered.
func (s *Store) Group(ctx context.Context, chatID int64) (GroupSettings, error) {
	db := s.db.WithContext(ctx)
	var g Group
	if err := db.Where("chat_id = ?", chatID).Take(&g).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return GroupSettings{}, fmt.Errorf("group %d: %w", chatID, ErrNotFound)
		}
		return GroupSettings{}, fmt.Errorf("load group: %w", err)
	}
	gs := GroupSettings{ChatID: g.ChatID, Title: g.Title, Digests: g.Digests, Closures: g.Closures, Escalations: g.Escalations}
	if g.UnitID != nil {
		var u Unit
		if err := db.Where("id = ?", *g.UnitID).Take(&u).Error; err != nil {
			return GroupSettings{}, fmt.Errorf("load group unit: %w", err)
		}
		gs.UnitID, gs.UnitName = u.ID, cmp.Or(u.ShortName, u.Name)
	}
	if err := db.Model(&GroupDepartment{}).Where("group_id = ?", g.ID).Order("department_id").
		Pluck("department_id", &gs.DepartmentIDs).Error; err != nil {
		return GroupSettings{}, fmt.Errorf("load group departments: %w", err)
	}
	return gs, nil
}

// SaveGroup registers a group or changes what it receives.
func (s *Store) SaveGroup(ctx context.Context, gs GroupSettings, actor Actor) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		g := Group{ChatID: gs.ChatID, Title: gs.Title, Digests: gs.Digests, Closures: gs.Closures,
			Escalations: gs.Escalations, RegisteredByID: actor.PersonID, CreatedAt: now, UpdatedAt: now}
		if gs.UnitID != 0 {
			g.UnitID = &gs.UnitID
		}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "chat_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"title", "digests", "closures", "escalations", "unit_id", "updated_at"}),
		}).Create(&g).Error; err != nil {
			return fmt.Errorf("save group: %w", err)
		}
		if err := tx.Where("chat_id = ?", gs.ChatID).Take(&g).Error; err != nil {
			return fmt.Errorf("save group: %w", err)
		}
		if err := tx.Where("group_id = ?", g.ID).Delete(&GroupDepartment{}).Error; err != nil {
			return fmt.Errorf("save group departments: %w", err)
		}
		links := make([]GroupDepartment, len(gs.DepartmentIDs))
		for i, d := range gs.DepartmentIDs {
			links[i] = GroupDepartment{GroupID: g.ID, DepartmentID: d}
		}
		if err := createAll(tx, links).Error; err != nil {
			return fmt.Errorf("save group departments: %w", err)
		}
		return s.audit(tx, actor, "group.saved", fmt.Sprintf("group:%d", gs.ChatID), nil, nil, nil, gs)
	})
}

// Departments lists every department by name.
func (s *Store) Departments(ctx context.Context) ([]Department, error) {
	var ds []Department
	if err := s.db.WithContext(ctx).Order("name").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	return ds, nil
}

// DepartmentsOf lists a unit's departments by name: those a group of the
// unit may follow.
func (s *Store) DepartmentsOf(ctx context.Context, unitID uint) ([]Department, error) {
	var ds []Department
	if err := s.db.WithContext(ctx).Where("unit_id = ?", unitID).Order("name").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("list departments of unit %d: %w", unitID, err)
	}
	return ds, nil
}

// DepartmentsByID lists the departments of ids by name (a group above the
// units that follows departments it was given before units existed).
func (s *Store) DepartmentsByID(ctx context.Context, ids []uint) ([]Department, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var ds []Department
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Order("name").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	return ds, nil
}

// Subscription is what a group hears of: a column of groups.
type Subscription string

// The subscriptions a group may take (/group).
const (
	SubscribeDigests     Subscription = "digests"
	SubscribeClosures    Subscription = "closures"
	SubscribeEscalations Subscription = "escalations"
)

// GroupsFor lists the groups subscribed to sub that cover the department
// (0: every group so subscribed). A department belongs to one unit, so a
// group bound to another unit never hears of it; a group above the units
// (the supervisors') hears of every unit.
func (s *Store) GroupsFor(ctx context.Context, sub Subscription, departmentID uint) ([]Group, error) {
	switch sub {
	case SubscribeDigests, SubscribeClosures, SubscribeEscalations:
	default:
		return nil, fmt.Errorf("groups for %q: unknown subscription", sub)
	}
	q := s.db.WithContext(ctx).Where(string(sub)+" = ?", true)
	if departmentID != 0 {
		q = q.Where(`(NOT EXISTS (SELECT 1 FROM group_departments gd WHERE gd.group_id = groups.id)
			OR EXISTS (SELECT 1 FROM group_departments gd WHERE gd.group_id = groups.id AND gd.department_id = ?))`, departmentID).
			Where("(groups.unit_id IS NULL OR groups.unit_id = (SELECT d.unit_id FROM departments d WHERE d.id = ?))", departmentID)
	}
	var gs []Group
	if err := q.Order("id").Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("groups for %s: %w", sub, err)
	}
	return gs, nil
}
