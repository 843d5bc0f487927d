package models

import (
	"context"
	"fmt"
)

// OpsCounts is what the operator's metrics read of the ledger's database
// at each scrape: the same on every replica and across restarts.
type OpsCounts struct {
	// FailedUpdates are the updates that ended failed and are kept for
	// `rectibot inbox` (until retried or purged).
	FailedUpdates int64
	// UnreachablePeople are linked people the bot got 403 from (they
	// blocked it) and who have not written since.
	UnreachablePeople int64
}

// CountOps reads OpsCounts in one statement.
func (s *Store) CountOps(ctx context.Context) (OpsCounts, error) {
	var c OpsCounts
	err := s.db.WithContext(ctx).Raw(`SELECT
  (SELECT count(*) FROM inbox_updates WHERE ` + failedOnly + `) AS failed_updates,
  (SELECT count(*) FROM people WHERE unreachable_at IS NOT NULL AND telegram_user_id IS NOT NULL) AS unreachable_people`).
		Scan(&c).Error
	if err != nil {
		return OpsCounts{}, fmt.Errorf("count failed updates and unreachable people: %w", err)
	}
	return c, nil
}
