package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// UpdateKind is what an inbox update is, as far as the entrance cares: a
// command may be dropped in a flood, everything else is kept.
type UpdateKind string

// Kinds of inbox updates.
const (
	UpdateCommand  UpdateKind = "command"        // a message starting with "/"
	UpdateMessage  UpdateKind = "message"        // text, photos, files: reports and evidence
	UpdateCallback UpdateKind = "callback_query" // a button press
	UpdateMember   UpdateKind = "my_chat_member" // the bot added to or removed from a chat
	UpdateOther    UpdateKind = "other"
)

// Droppable reports whether an update of this kind may be dropped when its
// chat floods the bot: commands and button presses repeat what the person
// can ask again; a report, a photo or an album never is.
func (k UpdateKind) Droppable() bool { return k == UpdateCommand || k == UpdateCallback }

// Outcome is how an inbox update ended.
type Outcome string

// Outcomes of inbox updates.
const (
	OutcomeHandled Outcome = "handled"
	OutcomeDropped Outcome = "dropped" // a flood's excess
	OutcomeFailed  Outcome = "failed"  // given up after retries, or refused as a bug
)

// InboxUpdate is one Telegram update at the bot's entrance.
type InboxUpdate struct {
	UpdateID      int64      `gorm:"primaryKey;autoIncrement:false"`
	ChatID        int64      `gorm:"not null"`
	Kind          UpdateKind `gorm:"not null"`
	Payload       string     `gorm:"not null"` // the update as Telegram sent it (JSON)
	ReceivedAt    time.Time  `gorm:"not null"`
	Attempts      int        `gorm:"not null"`
	NextAttemptAt time.Time  `gorm:"not null"`
	DoneAt        *time.Time
	Outcome       Outcome    `gorm:"not null"`
	LastError     string     `gorm:"not null"`
	ToldAt        *time.Time // the person was told their message is delayed or failed
}

// InboxChat is a chat's lease: the process that handles its updates now.
type InboxChat struct {
	ChatID        int64     `gorm:"primaryKey;autoIncrement:false"`
	Owner         string    `gorm:"not null"`
	LeaseUntil    time.Time `gorm:"not null"`
	FloodNoticeAt *time.Time
}

// StoreUpdates writes updates to the inbox; one already there (a
// redelivery) is left as it is. It returns how many were new.
func (s *Store) StoreUpdates(ctx context.Context, ups []InboxUpdate) (int, error) {
	if len(ups) == 0 {
		return 0, nil
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&ups)
	if res.Error != nil {
		return 0, fmt.Errorf("store updates: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// AcquireChat takes the chat's lease for owner until `until`, if the chat
// is free, its lease ran out at `now`, or owner holds it already. It
// reports whether owner holds it now. One statement: an upsert whose update
// is conditional, so two replicas racing for a chat cannot both win.
func (s *Store) AcquireChat(ctx context.Context, chatID int64, owner string, now, until time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Exec(`INSERT INTO inbox_chats (chat_id, owner, lease_until) VALUES (?, ?, ?)
ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
WHERE inbox_chats.owner = excluded.owner OR inbox_chats.owner = '' OR inbox_chats.lease_until < ?`,
		chatID, owner, until.UTC(), now.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("acquire chat %d: %w", chatID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReleaseChats gives owner's leases on chats back (all of them when chats
// is nil), so another replica may take them at once.
func (s *Store) ReleaseChats(ctx context.Context, owner string, chats []int64) error {
	q := s.db.WithContext(ctx).Model(&InboxChat{}).Where("owner = ?", owner)
	if chats != nil {
		if len(chats) == 0 {
			return nil
		}
		q = q.Where("chat_id IN ?", chats)
	}
	if err := q.Updates(map[string]any{"owner": ""}).Error; err != nil {
		return fmt.Errorf("release chat leases: %w", err)
	}
	return nil
}

// ReadyChats lists up to limit chats with an update due at now that owner
// may take: the chat is free, its lease ran out, or owner holds it.
func (s *Store) ReadyChats(ctx context.Context, owner string, now time.Time, limit int) ([]int64, error) {
	var chats []int64
	// A chat is ready when its first waiting update is due: later ones wait
	// behind it (one chat is answered in order), so a chat whose first
	// update waits for a retry is not ready however many follow it.
	err := s.db.WithContext(ctx).Raw(`SELECT u.chat_id FROM inbox_updates u
LEFT JOIN inbox_chats c ON c.chat_id = u.chat_id
WHERE u.done_at IS NULL AND u.next_attempt_at <= ?
  AND NOT EXISTS (SELECT 1 FROM inbox_updates e WHERE e.chat_id = u.chat_id AND e.done_at IS NULL AND e.update_id < u.update_id)
  AND (c.chat_id IS NULL OR c.owner = '' OR c.owner = ? OR c.lease_until < ?)
ORDER BY u.update_id
LIMIT ?`, now.UTC(), owner, now.UTC(), limit).Scan(&chats).Error
	if err != nil {
		return nil, fmt.Errorf("ready chats: %w", err)
	}
	return chats, nil
}

// PendingUpdates lists the chat's updates not yet done, in update order,
// at most limit.
func (s *Store) PendingUpdates(ctx context.Context, chatID int64, limit int) ([]InboxUpdate, error) {
	var ups []InboxUpdate
	err := s.db.WithContext(ctx).Where("chat_id = ? AND done_at IS NULL", chatID).
		Order("update_id").Limit(limit).Find(&ups).Error
	if err != nil {
		return nil, fmt.Errorf("pending updates of chat %d: %w", chatID, err)
	}
	return ups, nil
}

// FinishUpdates marks updates done with an outcome (and the error that
// ended one); a handled update's attempts count the one that handled it.
func (s *Store) FinishUpdates(ctx context.Context, ids []int64, outcome Outcome, lastErr string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	cols := map[string]any{"done_at": at.UTC(), "outcome": outcome}
	if lastErr != "" {
		cols["last_error"] = lastErr
	}
	if outcome == OutcomeHandled { // the attempt that handled it counts
		cols["attempts"] = gorm.Expr("attempts + 1")
	}
	if err := s.db.WithContext(ctx).Model(&InboxUpdate{}).Where("update_id IN ?", ids).Updates(cols).Error; err != nil {
		return fmt.Errorf("finish updates: %w", err)
	}
	return nil
}

// FailUpdate ends an update as failed after its attempts, with the error
// of the last.
func (s *Store) FailUpdate(ctx context.Context, id int64, attempts int, lastErr string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&InboxUpdate{}).Where("update_id = ?", id).
		Updates(map[string]any{"attempts": attempts, "done_at": at.UTC(), "outcome": OutcomeFailed, "last_error": lastErr}).Error
	if err != nil {
		return fmt.Errorf("fail update %d: %w", id, err)
	}
	return nil
}

// RetryUpdate records a failed attempt and when to try again.
func (s *Store) RetryUpdate(ctx context.Context, id int64, attempts int, next time.Time, lastErr string) error {
	err := s.db.WithContext(ctx).Model(&InboxUpdate{}).Where("update_id = ?", id).
		Updates(map[string]any{"attempts": attempts, "next_attempt_at": next.UTC(), "last_error": lastErr}).Error
	if err != nil {
		return fmt.Errorf("retry update %d: %w", id, err)
	}
	return nil
}

// MarkTold records that the person behind an update was told it is
// delayed or failed, so they are told once.
func (s *Store) MarkTold(ctx context.Context, id int64, at time.Time) error {
	if err := s.db.WithContext(ctx).Model(&InboxUpdate{}).Where("update_id = ?", id).Update("told_at", at.UTC()).Error; err != nil {
		return fmt.Errorf("mark update %d told: %w", id, err)
	}
	return nil
}

// NoteFlood records that the chat was asked to slow down at `at`, unless it
// was asked since `since`; it reports whether this call recorded it (and
// so whether the notice is to be sent).
func (s *Store) NoteFlood(ctx context.Context, chatID int64, since, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&InboxChat{}).
		Where("chat_id = ? AND (flood_notice_at IS NULL OR flood_notice_at < ?)", chatID, since.UTC()).
		Update("flood_notice_at", at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("note flood of chat %d: %w", chatID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// failedOnly selects failed updates as migration 00015's partial index is
// defined. Written as a literal, not a bind parameter: a plan PostgreSQL
// reuses for any value of a parameter could not use an index that holds
// only one value's rows.
const failedOnly = "outcome = '" + string(OutcomeFailed) + "'"

// FailedUpdates lists the updates that ended failed, newest first.
func (s *Store) FailedUpdates(ctx context.Context, limit int) ([]InboxUpdate, error) {
	var ups []InboxUpdate
	err := s.db.WithContext(ctx).Where(failedOnly).Order("done_at DESC, update_id DESC").Limit(limit).Find(&ups).Error
	if err != nil {
		return nil, fmt.Errorf("failed updates: %w", err)
	}
	return ups, nil
}

// PurgeInbox deletes updates handled or dropped before doneBefore (they
// are kept as long as Telegram may deliver them again, so the primary key
// still dedupes) and failed ones before failedBefore.
func (s *Store) PurgeInbox(ctx context.Context, doneBefore, failedBefore time.Time) (int64, error) {
	// Two statements, each on its own index, rather than one with an OR:
	// SQLite's planner fails ("internal query planner error") on the OR
	// beside the failed updates' partial index.
	db := s.db.WithContext(ctx)
	done := db.Where("done_at < ? AND NOT ("+failedOnly+")", doneBefore.UTC()).Delete(&InboxUpdate{})
	if done.Error != nil {
		return 0, fmt.Errorf("purge inbox: %w", done.Error)
	}
	failed := db.Where(failedOnly+" AND done_at < ?", failedBefore.UTC()).Delete(&InboxUpdate{})
	if failed.Error != nil {
		return done.RowsAffected, fmt.Errorf("purge inbox: failed updates: %w", failed.Error)
	}
	return done.RowsAffected + failed.RowsAffected, nil
}

// UpdateOutcome reports how an update ended, and false while it waits
// (or is not stored yet).
func (s *Store) UpdateOutcome(ctx context.Context, id int64) (Outcome, bool, error) {
	var u InboxUpdate
	err := s.db.WithContext(ctx).Select("update_id", "done_at", "outcome").Where("update_id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("update %d: %w", id, err)
	}
	return u.Outcome, u.DoneAt != nil, nil
}

// RequeueUpdate puts a failed update back in line, as new: the running bot
// handles it at its next look. It reports whether there was such a failed
// update.
func (s *Store) RequeueUpdate(ctx context.Context, id int64, now time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&InboxUpdate{}).Where("update_id = ? AND outcome = ?", id, OutcomeFailed).
		Updates(map[string]any{"done_at": nil, "outcome": "", "attempts": 0, "next_attempt_at": now.UTC(), "told_at": nil})
	if res.Error != nil {
		return false, fmt.Errorf("requeue update %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}
