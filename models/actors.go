package models

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/rectibot/rectibot/ledger"
)

// Member is a person linked to Telegram, as the bot sees them at the moment
// of an action: who they are and what the permission function needs.
type Member struct {
	Person Person
	Actor  ledger.Actor
}

// MemberByTelegram loads the person linked to a Telegram user, with their
// roles and the departments they lead. ErrNotFound when nobody is linked.
// It runs on every update, so it is one query (see loadMember).
func (s *Store) MemberByTelegram(ctx context.Context, telegramUserID int64) (Member, error) {
	m, err := s.loadMember(ctx, "people.telegram_user_id = ?", telegramUserID)
	if errors.Is(err, ErrNotFound) {
		return Member{}, fmt.Errorf("telegram user %d: %w", telegramUserID, err)
	}
	return m, err
}

// MemberByID loads a person with their roles, for a message to them.
func (s *Store) MemberByID(ctx context.Context, personID uint) (Member, error) {
	m, err := s.loadMember(ctx, "people.id = ?", personID)
	if errors.Is(err, ErrNotFound) {
		return Member{}, fmt.Errorf("person %d: %w", personID, err)
	}
	return m, err
}

// loadMember is the person matching where, joined with their roles and led
// departments in one query (a few rows: roles × departments led).
func (s *Store) loadMember(ctx context.Context, where string, arg any) (Member, error) {
	var rows []struct {
		Person
		Role          *string
		LedDepartment *uint
	}
	err := s.db.WithContext(ctx).Table("people").
		Select("people.*, r.role AS role, dl.department_id AS led_department").
		Joins("LEFT JOIN person_roles r ON r.person_id = people.id").
		Joins("LEFT JOIN department_leaders dl ON dl.person_id = people.id").
		Where(where, arg).
		Scan(&rows).Error
	if err != nil {
		return Member{}, fmt.Errorf("load member: %w", err)
	}
	if len(rows) == 0 {
		return Member{}, ErrNotFound
	}
	p := rows[0].Person
	a := ledger.Actor{PersonID: p.ID, SeesAll: p.SeesAll}
	if p.UnitID != nil {
		a.UnitID = *p.UnitID
	}
	if p.DepartmentID != nil {
		a.DepartmentID = *p.DepartmentID
	}
	for _, r := range rows {
		if r.Role != nil && !slices.Contains(a.Roles, ledger.Role(*r.Role)) {
			a.Roles = append(a.Roles, ledger.Role(*r.Role))
		}
		if r.LedDepartment != nil && !slices.Contains(a.LedDepartmentIDs, *r.LedDepartment) {
			a.LedDepartmentIDs = append(a.LedDepartmentIDs, *r.LedDepartment)
		}
	}
	slices.Sort(a.Roles)
	if a.Has(ledger.RoleSupervisor) {
		if err := s.db.WithContext(ctx).Model(&SupervisorUnit{}).Where("person_id = ?", p.ID).Order("unit_id").
			Pluck("unit_id", &a.SupervisedUnitIDs).Error; err != nil {
			return Member{}, fmt.Errorf("load member: supervised units: %w", err)
		}
	}
	return Member{Person: p, Actor: a}, nil
}

// TaskScope is what ledger.Authorize needs to know about a task, read now:
// whose it is, in which unit. One query.
func (s *Store) TaskScope(ctx context.Context, taskID uint) (ledger.TaskScope, error) {
	var rows []ledger.TaskScope
	err := s.db.WithContext(ctx).Table("tasks t").Joins("JOIN plans p ON p.id = t.plan_id").
		Select("t.id AS task_id, t.department_id, t.officer_id, t.leader_id, p.unit_id").
		Where("t.id = ?", taskID).Scan(&rows).Error
	if err != nil {
		return ledger.TaskScope{}, fmt.Errorf("load task %d: %w", taskID, err)
	}
	if len(rows) == 0 {
		return ledger.TaskScope{}, fmt.Errorf("task %d: %w", taskID, ErrNotFound)
	}
	return rows[0], nil
}

// SetLanguage stores a person's chosen language ("" = follow Telegram's).
func (s *Store) SetLanguage(ctx context.Context, personID uint, lang string) error {
	return s.db.WithContext(ctx).Model(&Person{}).Where("id = ?", personID).Update("lang", lang).Error
}

// MarkUnreachable records that a Telegram user blocked the bot (403); the
// admins' digest lists them. Linking again clears it.
func (s *Store) MarkUnreachable(ctx context.Context, telegramUserID int64) error {
	return s.db.WithContext(ctx).Model(&Person{}).
		Where("telegram_user_id = ? AND unreachable_at IS NULL", telegramUserID).
		Update("unreachable_at", s.now()).Error
}

// MarkReachable clears the unreachable mark when a user writes to the bot
// again (they unblocked it).
func (s *Store) MarkReachable(ctx context.Context, telegramUserID int64) error {
	return s.db.WithContext(ctx).Model(&Person{}).
		Where("telegram_user_id = ? AND unreachable_at IS NOT NULL", telegramUserID).
		Update("unreachable_at", nil).Error
}

// AuditRefusal records that a stranger (or a group not registered) wrote to
// the bot and was turned away.
func (s *Store) AuditRefusal(ctx context.Context, actor Actor, what string) error {
	return s.audit(s.db.WithContext(ctx), actor, "access.refused", what, nil, nil, nil, map[string]any{"what": what})
}
