package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
)

// Invite redemption failures; each gets its own message for the user.
var (
	ErrInviteUnknown = errors.New("invite code unknown")
	ErrInviteUsed    = errors.New("invite code already used")
	ErrInviteExpired = errors.New("invite code expired")
	ErrAccountLinked = errors.New("this Telegram account is already linked to another person")
)

// MaxInviteTTL bounds how long an invite may stay valid.
const MaxInviteTTL = 30 * 24 * time.Hour

// CreateInvite makes a single-use code that links a Telegram account to the
// named person with role. It returns the code, which is shown once: only its
// hash is stored.
func (s *Store) CreateInvite(ctx context.Context, who PersonRef, role ledger.Role, ttl time.Duration, actor Actor) (string, Invite, error) {
	if !role.Valid() {
		return "", Invite{}, fmt.Errorf("invite: unknown role %q", role)
	}
	if ttl <= 0 || ttl > MaxInviteTTL {
		return "", Invite{}, fmt.Errorf("invite: validity %s must be more than 0 and at most %s", ttl, MaxInviteTTL)
	}
	code, err := newInviteCode()
	if err != nil {
		return "", Invite{}, err
	}
	var inv Invite
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := findPerson(tx, who)
		if err != nil {
			return fmt.Errorf("invite: %w", err)
		}
		now := s.now()
		inv = Invite{CodeHash: hashCode(code), PersonID: p.ID, Role: string(role), ExpiresAt: now.Add(ttl),
			CreatedBy: actor.Label, CreatedAt: now}
		if err := tx.Create(&inv).Error; err != nil {
			return fmt.Errorf("invite: %w", err)
		}
		return s.audit(tx, actor, "invite.created", fmt.Sprintf("person:%d", p.ID), nil, nil, nil,
			map[string]any{"invite": inv.ID, "role": role, "expires_at": inv.ExpiresAt})
	})
	if err != nil {
		return "", Invite{}, err
	}
	return code, inv, nil
}

// RedeemInvite links telegramUserID to the invite's person and grants the
// invite's role. The invite is claimed with a row lock (PostgreSQL) inside
// the transaction, so a code works once even when two replicas race.
func (s *Store) RedeemInvite(ctx context.Context, code string, telegramUserID int64) (Person, error) {
	var p Person
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var inv Invite
		q := tx
		if DialectOf(tx) == dburl.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Where("code_hash = ?", hashCode(code)).Take(&inv).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrInviteUnknown
			}
			return fmt.Errorf("redeem invite: %w", err)
		}
		now := s.now()
		switch {
		case inv.UsedAt != nil:
			return ErrInviteUsed
		case !now.Before(inv.ExpiresAt):
			return ErrInviteExpired
		}
		var other int64
		if err := tx.Model(&Person{}).Where("telegram_user_id = ? AND id <> ?", telegramUserID, inv.PersonID).
			Count(&other).Error; err != nil {
			return fmt.Errorf("redeem invite: %w", err)
		}
		if other > 0 {
			return ErrAccountLinked
		}
		res := tx.Model(&Invite{}).Where("id = ? AND used_at IS NULL", inv.ID).
			Updates(map[string]any{"used_at": now, "used_by_telegram_id": telegramUserID})
		if res.Error != nil {
			return fmt.Errorf("redeem invite: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrInviteUsed
		}
		if err := tx.Model(&Person{}).Where("id = ?", inv.PersonID).
			Updates(map[string]any{"telegram_user_id": telegramUserID, "linked_at": now, "unreachable_at": nil}).Error; err != nil {
			return fmt.Errorf("redeem invite: link: %w", err)
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&PersonRole{PersonID: inv.PersonID, Role: inv.Role}).Error; err != nil {
			return fmt.Errorf("redeem invite: role: %w", err)
		}
		if err := tx.Take(&p, inv.PersonID).Error; err != nil {
			return fmt.Errorf("redeem invite: %w", err)
		}
		actor := Actor{PersonID: &p.ID, Label: fmt.Sprintf("telegram:%d", telegramUserID)}
		if err := s.audit(tx, actor, "person.linked", fmt.Sprintf("person:%d", p.ID), nil, nil, nil,
			map[string]any{"invite": inv.ID, "role": inv.Role, "telegram_user_id": telegramUserID}); err != nil {
			return err
		}
		// What waited for them (reminders, escalations) goes out now.
		if s.planner != nil {
			if err := s.planner.PersonLinkedTx(ctx, tx, p.ID); err != nil {
				return fmt.Errorf("redeem invite: plan: %w", err)
			}
		}
		return nil
	})
	return p, err
}

// newInviteCode returns 128 random bits in the alphabet Telegram allows in a
// /start parameter ([A-Za-z0-9_-]).
func newInviteCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("invite: random code: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashCode is SHA-256: the code has 128 random bits, so a fast hash is
// enough — nothing can be brute-forced from a stolen hash.
func hashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}
