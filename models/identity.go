package models

import (
	"context"
	"errors"
	"slices"

	"github.com/rectibot/rectibot/ledger"
)

// Identity is who a Telegram user is to the ledger now: the linked person
// (nil when none), their authority, and the language they chose ("" for
// Telegram's). The bot loads it for every update and the Mini App for
// every call, so both see a person the same way.
type Identity struct {
	Member *Member
	Actor  ledger.Actor
	Lang   string
}

// Known reports whether they may use the bot at all: linked, or an admin
// from the configuration.
func (id Identity) Known() bool { return id.Member != nil || id.Actor.Has(ledger.RoleAdmin) }

// Identify loads the Telegram user's Identity. configAdmin says the
// configuration names them admin (RECTIBOT_ADMINS), which adds the role
// whether or not they are linked. Someone not linked keeps their /lang
// choice by Telegram id (SetUserLanguage).
func (s *Store) Identify(ctx context.Context, telegramUserID int64, configAdmin bool) (Identity, error) {
	var id Identity
	m, err := s.MemberByTelegram(ctx, telegramUserID)
	switch {
	case err == nil:
		id.Member, id.Actor, id.Lang = &m, m.Actor, m.Person.Lang
	case errors.Is(err, ErrNotFound):
		if id.Lang, err = s.UserLanguageOf(ctx, telegramUserID); err != nil {
			return Identity{}, err
		}
	default:
		return Identity{}, err
	}
	if configAdmin && !id.Actor.Has(ledger.RoleAdmin) {
		id.Actor.Roles = append(slices.Clip(id.Actor.Roles), ledger.RoleAdmin)
	}
	return id, nil
}
