// Package models stores the ledger through GORM: the models, the queries the
// rest of rectibot needs, and the versioned migrations. It speaks in the
// ledger package's domain types at its edges.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/rectibot/rectibot/dburl"
)

// Open connects to the database. It does not migrate (see Migrate).
func Open(ctx context.Context, loc dburl.Location, log *slog.Logger) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:                 newSlogLogger(log),
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true, // every write that needs one opens it explicitly
		TranslateError:         true,
	}
	var dialector gorm.Dialector
	switch loc.Dialect {
	case dburl.Postgres:
		conn, err := openPostgres(loc.DSN)
		if err != nil {
			return nil, err
		}
		dialector = postgres.New(postgres.Config{Conn: conn})
	case dburl.SQLite:
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
	if loc.Dialect == dburl.SQLite {
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

// openPostgres opens a pool on dsn with JIT compilation off unless the
// DSN sets it: rectibot's statements are short, and JIT only ever cost
// time here — the supervisors' overview at province scale crossed
// jit_above_cost and spent 45 ms of its 127 ms compiling (BenchmarkOverview).
// PostgreSQL's own documentation advises against JIT for short queries.
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse the PostgreSQL address: %w", err)
	}
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	return stdlib.OpenDB(*cfg), nil
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
func DialectOf(db *gorm.DB) dburl.Dialect {
	if db.Dialector.Name() == "postgres" {
		return dburl.Postgres
	}
	return dburl.SQLite
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
