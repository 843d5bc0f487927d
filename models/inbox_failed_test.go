package models_test

import (
	"context"
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
