package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// notifiedChunk bounds the keys of one query: well under SQLite's and
// PostgreSQL's limits on bound parameters.
const notifiedChunk = 1000

// LoadNotified is Store.Notified on a given handle: which of the due keys
// were told already. The scheduler's planner asks inside the transaction of
// a ledger change (on SQLite the only connection is that transaction's),
// for a whole batch of tasks at once: one indexed query per 1,000 keys.
func LoadNotified(ctx context.Context, db *gorm.DB, keys []string) (map[string]bool, error) {
	done := make(map[string]bool, len(keys))
	for start := 0; start < len(keys); start += notifiedChunk {
		var got []string
		batch := keys[start:min(len(keys), start+notifiedChunk)]
		if err := db.WithContext(ctx).Model(&Notification{}).Where("due_key IN ?", batch).Pluck("due_key", &got).Error; err != nil {
			return nil, fmt.Errorf("notified: %w", err)
		}
		for _, k := range got {
			done[k] = true
		}
	}
	return done, nil
}
