package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// UserLanguage is the /lang choice of a Telegram user the ledger does not
// know as a person (a configured admin not linked, someone yet to be
// invited); a person's is Person.Lang. Migration 00014.
type UserLanguage struct {
	TelegramUserID int64 `gorm:"primaryKey;autoIncrement:false"`
	Lang           string
	UpdatedAt      time.Time
}

// SetUserLanguage stores the language chosen by a Telegram user who is no
// linked person ("" = follow Telegram's again).
func (s *Store) SetUserLanguage(ctx context.Context, telegramUserID int64, lang string) error {
	db := s.db.WithContext(ctx)
	if lang == "" {
		err := db.Where("telegram_user_id = ?", telegramUserID).Delete(&UserLanguage{}).Error
		if err != nil {
			return fmt.Errorf("user language: %w", err)
		}
		return nil
	}
	row := UserLanguage{TelegramUserID: telegramUserID, Lang: lang, UpdatedAt: s.now()}
	err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "telegram_user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"lang", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("user language: %w", err)
	}
	return nil
}

// UserLanguageOf is what SetUserLanguage stored, "" for nothing.
func (s *Store) UserLanguageOf(ctx context.Context, telegramUserID int64) (string, error) {
	var row UserLanguage
	err := s.db.WithContext(ctx).Where("telegram_user_id = ?", telegramUserID).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("user language: %w", err)
	}
	return row.Lang, nil
}
