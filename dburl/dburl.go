// Package dburl reads DATABASE_URL: which engine holds the ledger and where.
// It is apart from models so the configuration can parse the setting
// without importing GORM and the drivers.
package dburl

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Dialect names the database engine.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Location is where the database lives, parsed from DATABASE_URL.
type Location struct {
	Dialect Dialect
	// DSN is the driver's connection string (a postgres:// URL, or an SQLite
	// file path with pragmas).
	DSN string
	// Path is the SQLite file (empty for PostgreSQL).
	Path string
}

// DefaultSQLitePath is the embedded database used when DATABASE_URL is unset:
// $XDG_DATA_HOME/rectibot/rectibot.db, or ~/.local/share/rectibot/rectibot.db.
func DefaultSQLitePath() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "rectibot", "rectibot.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the default database (set DATABASE_URL): %w", err)
	}
	return filepath.Join(home, ".local", "share", "rectibot", "rectibot.db"), nil
}

// Parse reads a DATABASE_URL value: "postgres://…" or "postgresql://…",
// "sqlite:PATH", or "" for the default SQLite file.
func Parse(raw string) (Location, error) {
	switch {
	case raw == "":
		p, err := DefaultSQLitePath()
		if err != nil {
			return Location{}, err
		}
		return sqliteLocation(p), nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			// url.Error quotes the URL, password included: say only what is wrong.
			return Location{}, errors.New("DATABASE_URL: not a valid postgres:// URL")
		}
		return Location{Dialect: Postgres, DSN: raw}, nil
	case strings.HasPrefix(raw, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if p == "" {
			return Location{}, errors.New("DATABASE_URL: sqlite: needs a file path, e.g. sqlite:/var/lib/rectibot/rectibot.db")
		}
		return sqliteLocation(p), nil
	default:
		return Location{}, errors.New("DATABASE_URL: expected postgres://…, sqlite:PATH, or unset for the embedded database")
	}
}

func sqliteLocation(path string) Location {
	// WAL lets readers go on while one writer writes; busy_timeout makes a
	// second process wait for the lock instead of failing at once.
	dsn := path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	return Location{Dialect: SQLite, DSN: dsn, Path: path}
}
