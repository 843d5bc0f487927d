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
	MenuKey        string        // the menu last set in their chat
}

// LinkedPeople lists everyone linked to Telegram with their roles, by
// person id. One query.
func (s *Store) LinkedPeople(ctx context.Context) ([]LinkedPerson, error) {
	var rows []struct {
		ID             uint
		TelegramUserID int64
		MenuKey        string
		Role           *string
	}
	err := s.db.WithContext(ctx).Table("people").
		Select("people.id, people.telegram_user_id, people.menu_key, r.role AS role").
		Joins("LEFT JOIN person_roles r ON r.person_id = people.id").
		Where("people.telegram_user_id IS NOT NULL").
		Order("people.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("linked people: %w", err)
	}
	var out []LinkedPerson
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].PersonID != r.ID {
			out = append(out, LinkedPerson{PersonID: r.ID, TelegramUserID: r.TelegramUserID, MenuKey: r.MenuKey})
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

// SetMenuKey records the menu last set in a person's chat.
func (s *Store) SetMenuKey(ctx context.Context, personID uint, key string) error {
	if err := s.db.WithContext(ctx).Model(&Person{}).Where("id = ?", personID).Update("menu_key", key).Error; err != nil {
		return fmt.Errorf("set menu key of person %d: %w", personID, err)
	}
	return nil
}

// ForgetMenuKeys forgets which menus were set, so the next start sets
// every person's: for a Telegram that lost them (the sandbox's emulator,
// new at each start).
func (s *Store) ForgetMenuKeys(ctx context.Context) error {
	if err := s.db.WithContext(ctx).Model(&Person{}).Where("menu_key <> ''").Update("menu_key", "").Error; err != nil {
		return fmt.Errorf("forget menu keys: %w", err)
	}
	return nil
}
