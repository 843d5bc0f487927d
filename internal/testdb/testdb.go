// Package testdb gives each test its own migrated database: a fresh schema
// on the PostgreSQL of DATABASE_URL, or a fresh SQLite file when
// DATABASE_URL is unset or sqlite:. CI runs every suite both ways.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

// Kind reports which engine the tests run on: "postgres" or "sqlite".
func Kind() dburl.Dialect {
	if strings.HasPrefix(os.Getenv("DATABASE_URL"), "postgres") {
		return dburl.Postgres
	}
	return dburl.SQLite
}

// Location returns a fresh, empty database location for t, dropped when t
// ends.
func Location(t testing.TB) dburl.Location {
	t.Helper()
	raw := os.Getenv("DATABASE_URL")
	if !strings.HasPrefix(raw, "postgres") {
		loc, err := dburl.Parse("sqlite:" + filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	schema := "t_" + randomHex(8)
	admin, err := models.Open(context.Background(), dburl.Location{Dialect: dburl.Postgres, DSN: raw}, quietLog())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		_ = models.Close(admin)
	})
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("testdb: DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return dburl.Location{Dialect: dburl.Postgres, DSN: u.String()}
}

// Open returns a migrated database for t.
func Open(t testing.TB) (*gorm.DB, dburl.Location) {
	t.Helper()
	loc := Location(t)
	db, err := models.Open(context.Background(), loc, quietLog())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	if err := models.Migrate(context.Background(), db, loc, quietLog()); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return db, loc
}

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
