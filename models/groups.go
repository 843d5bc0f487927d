package models

import (
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
	DepartmentIDs []uint // none: every department
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
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "chat_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"title", "digests", "closures", "escalations", "updated_at"}),
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

// Subscription is what a group hears of: a column of groups.
type Subscription string

// The subscriptions a group may take (/group).
const (
	SubscribeDigests     Subscription = "digests"
	SubscribeClosures    Subscription = "closures"
	SubscribeEscalations Subscription = "escalations"
)

// GroupsFor lists the groups subscribed to sub that cover the department
// (0: any).
func (s *Store) GroupsFor(ctx context.Context, sub Subscription, departmentID uint) ([]Group, error) {
	switch sub {
	case SubscribeDigests, SubscribeClosures, SubscribeEscalations:
	default:
		return nil, fmt.Errorf("groups for %q: unknown subscription", sub)
	}
	q := s.db.WithContext(ctx).Where(string(sub)+" = ?", true)
	if departmentID != 0 {
		q = q.Where(`NOT EXISTS (SELECT 1 FROM group_departments gd WHERE gd.group_id = groups.id)
			OR EXISTS (SELECT 1 FROM group_departments gd WHERE gd.group_id = groups.id AND gd.department_id = ?)`, departmentID)
	}
	var gs []Group
	if err := q.Order("id").Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("groups for %s: %w", sub, err)
	}
	return gs, nil
}
