package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

func newRestoreCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "restore FILE",
		Short: "Restore a backup into an empty database (PostgreSQL or SQLite, whichever made it; an older release's too), all or nothing",
		Args:  usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			f, err := os.Open(path)
			if err != nil {
				return withCode(exitBadInput, fmt.Errorf("open %s: %w", path, errors.Unwrap(err)))
			}
			defer f.Close()
			// The file is checked before the database is touched.
			rd, err := backup.NewReader(f)
			if err != nil {
				return restoreError(path, err)
			}
			h := rd.Header()
			ctx := cmd.Context()
			// Not migrated on opening: the target is brought to the
			// backup's schema, which may be older than this rectibot's.
			db, err := models.Open(ctx, a.cfg.Database, a.log)
			if err != nil {
				return err
			}
			a.store, a.closer = models.NewStore(db, a.clock), func() { _ = models.Close(db) }
			schema, err := schemaOf(ctx, a)
			if err != nil {
				return err
			}
			if err := backup.CheckSchema(h, schema); err != nil {
				return restoreError(path, err)
			}
			// A backup of this release: migrated once, to the newest (with
			// rectibot's own index on River's jobs). An older one: to its
			// schema now, to the newest after the restore.
			upgrade := h.LedgerVersion < schema.LedgerNewest || h.RiverVersion < schema.RiverNewest
			ledgerTo, riverTo := int64(0), 0
			if upgrade {
				ledgerTo, riverTo = h.LedgerVersion, int(h.RiverVersion)
			}
			if err := a.migrateTo(ctx, ledgerTo, riverTo); err != nil {
				return err
			}
			progress := func(table string, rows int64) { fmt.Fprintf(a.out, "%-20s %9d rows\n", table, rows) }
			if err := backup.Restore(ctx, db, rd, progress); err != nil {
				return restoreError(path, err)
			}
			fmt.Fprintf(a.out, "restored %d tables, %d rows from %s (made %s on %s)\n", len(h.Tables), h.Rows(), path,
				h.CreatedAt.In(a.cfg.TimeZone).Format("2006-01-02 15:04"), h.Engine)
			if !upgrade {
				return nil
			}
			// The rows are in (committed): the newer migrations now run on
			// them, as they would at the first start of this release.
			if err := a.migrateTo(ctx, 0, 0); err != nil {
				return fmt.Errorf("the backup was restored at ledger schema %d, but upgrading it failed (the next start of rectibot tries again): %w", h.LedgerVersion, err)
			}
			fmt.Fprintf(a.out, "upgraded from ledger schema %d and job queue schema %d to %d and %d\n",
				h.LedgerVersion, h.RiverVersion, schema.LedgerNewest, schema.RiverNewest)
			return nil
		},
	}
}

// schemaOf reads the versions applied to the database and the newest this
// rectibot carries, applying nothing.
func schemaOf(ctx context.Context, a *app) (backup.Schema, error) {
	db, d := a.store.DB(), a.cfg.Database.Dialect
	ledger, err := models.PendingMigrations(ctx, db, d)
	if err != nil {
		return backup.Schema{}, err
	}
	river, err := scheduler.PendingMigrations(ctx, db, d)
	if err != nil {
		return backup.Schema{}, err
	}
	return backup.Schema{Ledger: ledger.Current(), LedgerNewest: ledger.Newest(),
		River: int64(river.Current()), RiverNewest: int64(river.Newest())}, nil
}

// restoreError says that nothing was restored, with exit 3 when the file
// or the target was refused.
func restoreError(path string, err error) error {
	err = fmt.Errorf("%s: nothing was restored: %w", path, err)
	if errors.Is(err, backup.ErrRefused) {
		return withCode(exitBadInput, err)
	}
	return err
}
