// Package models stores the ledger through GORM: the models, the queries the
// rest of rectibot needs, and the versioned migrations. It speaks in the
// ledger package's domain types at its edges.
package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine behind a DB.
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

// ParseLocation reads a DATABASE_URL value: "postgres://…" or
// "postgresql://…", "sqlite:PATH", or "" for the default SQLite file.
func ParseLocation(raw string) (Location, error) {
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

// Open connects to the database. It does not migrate (see Migrate).
func Open(ctx context.Context, loc Location, log *slog.Logger) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:                 newSlogLogger(log),
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true, // every write that needs one opens it explicitly
		TranslateError:         true,
	}
	var dialector gorm.Dialector
	switch loc.Dialect {
	case Postgres:
		dialector = postgres.Open(loc.DSN)
	case SQLite:
		if err := os.MkdirAll(filepath.Dir(loc.Path), 0o750); err != nil {
			return nil, fmt.Errorf("create the database folder: %w", err)
		}
		dialector = sqlite.Open(loc.DSN)
	default:
		return nil, fmt.Errorf("unknown database dialect %q", loc.Dialect)
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", loc.Dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", loc.Dialect, err)
	}
	if loc.Dialect == SQLite {
		// One connection: SQLite has one writer, and the job queue of the
		// scheduler shares this handle; more connections only add lock waits.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("reach %s database: %w", loc.Dialect, err)
	}
	return db, nil
}

// Close closes the database handle.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// DialectOf tells which engine a handle talks to.
func DialectOf(db *gorm.DB) Dialect {
	if db.Dialector.Name() == "postgres" {
		return Postgres
	}
	return SQLite
}

// slogLogger sends GORM's slow-query and error lines to slog; normal queries
// are not logged (they would drown the bot's own log).
type slogLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newSlogLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		log = slog.Default()
	}
	return &slogLogger{log: log, slow: 500 * time.Millisecond}
}

func (l *slogLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (l *slogLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (l *slogLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (l *slogLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

func (l *slogLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled):
		sql, rows := fc()
		l.log.DebugContext(ctx, "sql failed", slog.String("sql", sql), slog.Int64("rows", rows), slog.Any("err", err))
	case elapsed > l.slow:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow sql", slog.String("sql", sql), slog.Int64("rows", rows), slog.Duration("elapsed", elapsed))
	}
}
