package backup_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// A backup is one snapshot: what another connection — serve — commits
// while the backup is being read is in none of its tables, and the file's
// counts are those of the moment it began.
func TestBackupIsOneSnapshot(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, loc := testdb.Open(t)
	if err := scheduler.Migrate(ctx, db, loc, quiet); err != nil {
		t.Fatal(err)
	}
	serve, err := models.Open(ctx, loc, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = models.Close(serve) }()
	audit := func(db *gorm.DB, action string) {
		t.Helper()
		if err := db.Exec("INSERT INTO audit_events (created_at, actor, action, subject, before, after) VALUES (?, 'cli', ?, '', '', '')",
			time.Now().UTC(), action).Error; err != nil {
			t.Fatal(err)
		}
	}
	audit(db, "before the backup")

	var file bytes.Buffer
	var tables []string
	h, err := backup.Write(ctx, db, &file, time.Now(), func(table string, _ int64) {
		tables = append(tables, table)
		if table == "units" { // the first table is written; audit_events is still to come
			audit(serve, "during the backup")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != len(backup.Tables) || len(h.Tables) != len(backup.Tables) {
		t.Errorf("tables written %v, header %v; want %v", tables, h.Tables, backup.Tables)
	}
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM audit_events").Scan(&n).Error; err != nil || n != 2 {
		t.Fatalf("audit events in the database: %d, %v", n, err)
	}

	r, err := backup.NewReader(bytes.NewReader(file.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var actions []any
	for {
		table, cols, err := r.NextTable()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for table == "audit_events" {
			row, err := r.Row()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range cols {
				if c.Name == "action" {
					actions = append(actions, row[i])
				}
			}
		}
	}
	if len(actions) != 1 || actions[0] != "before the backup" {
		t.Errorf("audit events in the backup: %q, want only the one before it began", actions)
	}
}
