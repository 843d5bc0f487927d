package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/models"
)

// TestFailedUpdatesAreReadThroughTheirIndex: the operator's gauge and
// `rectibot inbox` count and list the failed updates — newest first, none
// of the handled ones kept beside them — through the partial index of
// migration 00015, not by reading every update kept.
func TestFailedUpdatesAreReadThroughTheirIndex(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	at := reportDay.UTC()
	var ups []models.InboxUpdate
	for id := int64(1); id <= 60; id++ {
		ups = append(ups, models.InboxUpdate{UpdateID: id, ChatID: 100 + id%3, Kind: models.UpdateMessage,
			Payload: "{}", ReceivedAt: at, NextAttemptAt: at})
	}
	if _, err := e.store.StoreUpdates(ctx, ups); err != nil {
		t.Fatal(err)
	}
	handled := make([]int64, 0, 57)
	for id := int64(1); id <= 60; id++ {
		switch id {
		case 7, 30, 44:
			if err := e.store.FailUpdate(ctx, id, 5, "boom", at.Add(time.Duration(id)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		default:
			handled = append(handled, id)
		}
	}
	if err := e.store.FinishUpdates(ctx, handled, models.OutcomeHandled, "", at); err != nil {
		t.Fatal(err)
	}

	queries := captureSQL(t, e.store.DB(), func() {
		c, err := e.store.CountOps(ctx)
		if err != nil || c.FailedUpdates != 3 {
			t.Errorf("failed updates counted: %d (%v), want 3", c.FailedUpdates, err)
		}
		failed, err := e.store.FailedUpdates(ctx, 2)
		if err != nil || len(failed) != 2 || failed[0].UpdateID != 44 || failed[1].UpdateID != 30 {
			t.Errorf("failed updates listed: %+v (%v), want 44 then 30", failed, err)
		}
	})
	if len(queries) != 2 {
		t.Fatalf("captured %d statements, want 2: %q", len(queries), queries)
	}
	for _, q := range queries {
		if plan := explain(t, e.store.DB(), q); !strings.Contains(plan, "idx_inbox_updates_failed") {
			t.Errorf("%s\nis not read through idx_inbox_updates_failed:\n%s", q, plan)
		}
	}
}

// captureSQL runs f and returns the statements it sent, their parameters
// written in.
func captureSQL(t *testing.T, db *gorm.DB, f func()) []string {
	t.Helper()
	var sqls []string
	capturing := true
	capture := func(tx *gorm.DB) {
		if capturing && tx.Statement.SQL.Len() > 0 {
			sqls = append(sqls, tx.Dialector.Explain(tx.Statement.SQL.String(), tx.Statement.Vars...))
		}
	}
	name := "test:capture_" + t.Name()
	if err := db.Callback().Row().After("gorm:row").Register(name, capture); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Query().After("gorm:query").Register(name, capture); err != nil {
		t.Fatal(err)
	}
	f()
	capturing = false
	return sqls
}

// explain is the engine's plan for q. On PostgreSQL sequential scans are
// priced out, so that a few rows of a test — which a scan reads fastest —
// still show whether an index can serve the statement at all.
func explain(t *testing.T, db *gorm.DB, q string) string {
	t.Helper()
	var lines []string
	err := db.Transaction(func(tx *gorm.DB) error {
		if testdb.Kind() == dburl.Postgres {
			if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
				return err
			}
			return tx.Raw("EXPLAIN " + q).Scan(&lines).Error
		}
		var rows []struct{ Detail string }
		if err := tx.Raw("EXPLAIN QUERY PLAN " + q).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			lines = append(lines, r.Detail)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	return strings.Join(lines, "\n")
}

// TestPurgeInboxKeepsFailedUpdatesLonger: handled and dropped updates go
// once done before the first cut-off, failed ones only before the second
// (they wait for `rectibot inbox`), and one still pending never goes.
func TestPurgeInboxKeepsFailedUpdatesLonger(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	at := reportDay.UTC()
	var ups []models.InboxUpdate
	for id := int64(1); id <= 7; id++ {
		ups = append(ups, models.InboxUpdate{UpdateID: id, ChatID: 100, Kind: models.UpdateMessage,
			Payload: "{}", ReceivedAt: at, NextAttemptAt: at})
	}
	if _, err := e.store.StoreUpdates(ctx, ups); err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.store.FinishUpdates(ctx, []int64{1}, models.OutcomeHandled, "", at.Add(-3*day)))  // old: goes
	must(e.store.FinishUpdates(ctx, []int64{2}, models.OutcomeDropped, "", at.Add(-3*day)))  // old: goes
	must(e.store.FinishUpdates(ctx, []int64{3}, models.OutcomeHandled, "", at.Add(-day/2)))  // recent: stays
	must(e.store.FailUpdate(ctx, 4, 5, "boom", at.Add(-3*day)))                              // failed, not old enough: stays
	must(e.store.FailUpdate(ctx, 5, 5, "boom", at.Add(-40*day)))                             // failed long ago: goes
	must(e.store.FinishUpdates(ctx, []int64{6}, models.OutcomeHandled, "", at.Add(-40*day))) // goes
	// 7 is still pending: stays.

	n, err := e.store.PurgeInbox(ctx, at.Add(-day), at.Add(-31*day))
	if err != nil || n != 4 {
		t.Fatalf("purged %d (%v), want 4", n, err)
	}
	var left []int64
	if err := e.db.Model(&models.InboxUpdate{}).Order("update_id").Pluck("update_id", &left).Error; err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(left) != "[3 4 7]" {
		t.Errorf("left after the purge: %v, want [3 4 7]", left)
	}
}
