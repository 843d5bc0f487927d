package models

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/filelock"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFiles embed.FS

// Migrate brings the schema to the newest version. It is safe when several
// processes start at once: on PostgreSQL goose holds an advisory lock for the
// session; on SQLite a lock file beside the database serialises the runs
// (goose has no SQLite locker, and two runs would race to create tables).
func Migrate(ctx context.Context, db *gorm.DB, loc dburl.Location, log *slog.Logger) error {
	return MigrateTo(ctx, db, loc, log, 0)
}

// MigrateTo brings the schema up to version (0: the newest), as Migrate.
// A restore uses it to bring an empty database to the schema of the backup
// it restores, then migrates on: the migrations that move data (00008's
// units, 00011's last reports) run on the restored rows as they ran on
// the original ones.
func MigrateTo(ctx context.Context, db *gorm.DB, loc dburl.Location, log *slog.Logger, version int64) error {
	if log == nil {
		log = slog.Default()
	}
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var (
		dialect goose.Dialect
		dir     string
		opts    = []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	)
	switch loc.Dialect {
	case dburl.Postgres:
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
		id, err := schemaLockID(ctx, sqlDB)
		if err != nil {
			return err
		}
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 120))
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case dburl.SQLite:
		dialect, dir = goose.DialectSQLite3, "migrations/sqlite"
		lctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		release, err := filelock.Acquire(lctx, loc.Path+".migrate.lock", 50*time.Millisecond)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer func() { _ = release() }()
	default:
		return fmt.Errorf("migrate: unknown dialect %q", loc.Dialect)
	}
	fsys, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	opts = append(opts, goose.WithGoMigrations(unitsMigration(loc.Dialect, log)))
	provider, err := goose.NewProvider(dialect, sqlDB, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if version == 0 {
		version = goose.MaxVersion // what provider.Up migrates to
	}
	results, err := provider.UpTo(ctx, version)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Each step at debug, and one line when anything was applied: every CLI
	// command migrates first, and a first run's dozen lines said nothing an
	// operator needs.
	var versions []string
	for _, r := range results {
		log.DebugContext(ctx, "migration applied",
			slog.Int64("version", r.Source.Version), slog.String("file", r.Source.Path),
			slog.Duration("took", r.Duration))
		versions = append(versions, strconv.FormatInt(r.Source.Version, 10))
	}
	if len(versions) > 0 {
		log.InfoContext(ctx, "database migrated", slog.Int("migrations", len(versions)), slog.String("versions", strings.Join(versions, ",")))
	}
	return nil
}

// schemaLockID is the advisory lock of the migrations of the schema the
// tables go to (the first of search_path): goose's default id is one for
// the whole database, so installations (and tests) in schemas of their
// own would wait for each other's migrations — polling once a second, for
// up to two minutes. River's migrations lock per schema too.
func schemaLockID(ctx context.Context, db *sql.DB) (int64, error) {
	var schema string
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(current_schema(), '')").Scan(&schema); err != nil {
		return 0, fmt.Errorf("migrate: current schema: %w", err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("rectibot migrations " + schema))
	return int64(h.Sum64() &^ (1 << 63)), nil
}
