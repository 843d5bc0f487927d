package models

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
)

// MigrationState compares the ledger's migrations with a database's.
type MigrationState struct {
	Known   []int64 // every version this binary carries, ascending
	Pending []int64 // known, not applied
	Unknown []int64 // applied, not known: a newer rectibot migrated it
}

// Current is the newest version applied, 0 for a new database.
func (st MigrationState) Current() int64 {
	return max(CurrentVersion(st.Known, st.Pending), NewestVersion(st.Unknown))
}

// Newest is the newest version this binary carries.
func (st MigrationState) Newest() int64 { return NewestVersion(st.Known) }

// NewestVersion is the highest of versions, 0 for none.
func NewestVersion[V int | int64](versions []V) V {
	var v V
	for _, x := range versions {
		v = max(v, x)
	}
	return v
}

// CurrentVersion is the newest of the known versions not pending, 0 for
// none: the schema a database is at, by the ledger's migrations or River's.
func CurrentVersion[V int | int64](known, pending []V) V {
	var v V
	for _, k := range known {
		if !slices.Contains(pending, k) {
			v = max(v, k)
		}
	}
	return v
}

// PendingMigrations reads which of the ledger's migrations a database
// lacks without applying any, for `rectibot doctor`. It reads goose's
// version table itself: goose's own Status and HasPending create that
// table when it is missing, and a check must not write.
func PendingMigrations(ctx context.Context, db *gorm.DB, d dburl.Dialect) (MigrationState, error) {
	var (
		dialect goose.Dialect
		dir     string
	)
	switch d {
	case dburl.Postgres:
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	case dburl.SQLite:
		dialect, dir = goose.DialectSQLite3, "migrations/sqlite"
	default:
		return MigrationState{}, fmt.Errorf("migrations: unknown dialect %q", d)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return MigrationState{}, fmt.Errorf("migrations: %w", err)
	}
	fsys, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return MigrationState{}, fmt.Errorf("migrations: %w", err)
	}
	// Building a provider reads the sources only; it does not touch sqlDB.
	provider, err := goose.NewProvider(dialect, sqlDB, fsys, goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(unitsMigration(d, slog.Default())))
	if err != nil {
		return MigrationState{}, fmt.Errorf("migrations: %w", err)
	}
	var st MigrationState
	for _, s := range provider.ListSources() {
		st.Known = append(st.Known, s.Version)
	}
	applied, err := appliedVersions(ctx, db)
	if err != nil {
		return MigrationState{}, err
	}
	for _, v := range st.Known {
		if !applied[v] {
			st.Pending = append(st.Pending, v)
		}
	}
	for v := range applied {
		if v > 0 && !slices.Contains(st.Known, v) {
			st.Unknown = append(st.Unknown, v)
		}
	}
	slices.Sort(st.Unknown)
	return st, nil
}

// appliedVersions reads goose's table: a version's latest row says whether
// it is applied (a down migration adds a row with is_applied false).
func appliedVersions(ctx context.Context, db *gorm.DB) (map[int64]bool, error) {
	applied := map[int64]bool{}
	if !db.WithContext(ctx).Migrator().HasTable(goose.DefaultTablename) {
		return applied, nil
	}
	rows, err := db.WithContext(ctx).Raw("SELECT version_id, is_applied FROM " + goose.DefaultTablename + " ORDER BY id").Rows()
	if err != nil {
		return nil, fmt.Errorf("migrations: read %s: %w", goose.DefaultTablename, err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var (
			v  int64
			ok sql.NullBool
		)
		if err := rows.Scan(&v, &ok); err != nil {
			return nil, fmt.Errorf("migrations: read %s: %w", goose.DefaultTablename, err)
		}
		applied[v] = ok.Bool
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrations: read %s: %w", goose.DefaultTablename, err)
	}
	return applied, nil
}

// FailedUpdateCount counts the inbox's updates that ended failed (what
// `rectibot inbox` lists) and tells when the latest of them failed.
func (s *Store) FailedUpdateCount(ctx context.Context) (int64, time.Time, error) {
	var n int64
	q := s.db.WithContext(ctx).Model(&InboxUpdate{}).Where(failedOnly)
	if err := q.Count(&n).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("count failed updates: %w", err)
	}
	if n == 0 {
		return 0, time.Time{}, nil
	}
	latest, err := s.FailedUpdates(ctx, 1)
	if err != nil || len(latest) == 0 || latest[0].DoneAt == nil {
		return n, time.Time{}, err
	}
	return n, *latest[0].DoneAt, nil
}
