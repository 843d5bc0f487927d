package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RecordDelivery stores a message the bot sent and the tasks it is about,
// right after Telegram accepted it. A second record with the same
// idempotency key is ignored (the send was retried after a crash).
func (s *Store) RecordDelivery(ctx context.Context, d Delivery, taskIDs []uint) error {
	if d.SentAt.IsZero() {
		d.SentAt = s.now()
	}
	onConflict := clause.OnConflict{Columns: []clause.Column{{Name: "idempotency_key"}}, DoNothing: true}
	if len(taskIDs) == 0 {
		// Most messages name no task: one statement, no transaction.
		if err := s.db.WithContext(ctx).Clauses(onConflict).Create(&d).Error; err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		return nil
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(onConflict).Create(&d)
		if res.Error != nil {
			return fmt.Errorf("record delivery: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		links := make([]DeliveryTask, len(taskIDs))
		for i, id := range taskIDs {
			links[i] = DeliveryTask{DeliveryID: d.ID, TaskID: id, Seq: i + 1}
		}
		if err := createAll(tx, links).Error; err != nil {
			return fmt.Errorf("record delivery tasks: %w", err)
		}
		return nil
	})
}

// Delivered reports whether a message with this idempotency key was sent.
func (s *Store) Delivered(ctx context.Context, key string) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Delivery{}).Where("idempotency_key = ?", key).Count(&n).Error; err != nil {
		return false, fmt.Errorf("look up delivery: %w", err)
	}
	return n > 0, nil
}

// TasksOfMessage returns the tasks a message the bot sent was about, in the
// order it listed them: a reply to that message is progress on one of them.
func (s *Store) TasksOfMessage(ctx context.Context, chatID int64, messageID int64) ([]uint, error) {
	var ids []uint
	err := s.db.WithContext(ctx).Table("delivery_tasks dt").
		Joins("JOIN deliveries d ON d.id = dt.delivery_id").
		Where("d.chat_id = ? AND d.message_id = ?", chatID, messageID).
		Order("d.id, dt.seq").Pluck("dt.task_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("tasks of message: %w", err)
	}
	return ids, nil
}

// LastDelivery is when a message of kind last went to chat (the previous
// digest, for the half-monthly compilation); ok is false when none did.
func (s *Store) LastDelivery(ctx context.Context, chatID int64, kind string) (at time.Time, ok bool, err error) {
	var d Delivery
	res := s.db.WithContext(ctx).Where("chat_id = ? AND kind = ?", chatID, kind).Order("sent_at DESC").Limit(1).Find(&d)
	if res.Error != nil {
		return time.Time{}, false, fmt.Errorf("last delivery: %w", res.Error)
	}
	return d.SentAt, res.RowsAffected == 1, nil
}
