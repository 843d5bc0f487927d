package models

import (
	"context"
	"fmt"
	"slices"

	"github.com/rectibot/rectibot/ledger"
)

// LinkedPerson is a person linked to Telegram with their roles: what a
// private chat's command menu depends on.
type LinkedPerson struct {
	PersonID       uint
	TelegramUserID int64
	Roles          []ledger.Role // sorted
}

// LinkedPeople lists everyone linked to Telegram with their roles, by
// person id. One query.
func (s *Store) LinkedPeople(ctx context.Context) ([]LinkedPerson, error) {
	var rows []struct {
		ID             uint
		TelegramUserID int64
		Role           *string
	}
	err := s.db.WithContext(ctx).Table("people").
		Select("people.id, people.telegram_user_id, r.role AS role").
		Joins("LEFT JOIN person_roles r ON r.person_id = people.id").
		Where("people.telegram_user_id IS NOT NULL").
		Order("people.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("linked people: %w", err)
	}
	var out []LinkedPerson
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].PersonID != r.ID {
			out = append(out, LinkedPerson{PersonID: r.ID, TelegramUserID: r.TelegramUserID})
		}
		if r.Role != nil {
			p := &out[len(out)-1]
			p.Roles = append(p.Roles, ledger.Role(*r.Role))
		}
	}
	for i := range out {
		slices.Sort(out[i].Roles)
	}
	return out, nil
}
