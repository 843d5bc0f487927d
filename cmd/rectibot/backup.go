package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

// A backup holds the whole installation: names, Telegram ids, what people
// reported. It is written for its owner only.
const backupMode = 0o600

func newBackupCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the whole installation (the ledger and its jobs) to FILE, restorable on PostgreSQL or SQLite; safe while serve runs",
		Args:  usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			began := a.clock.Now()
			// Not migrated: a backup changes nothing, and is what an
			// operator takes before an upgrade.
			loc := a.cfg.Database
			if loc.Dialect == dburl.SQLite {
				if _, err := os.Stat(loc.Path); err != nil {
					return fmt.Errorf("backup: no database at %s: %w", loc.Path, errors.Unwrap(err))
				}
			}
			db, err := models.Open(cmd.Context(), loc, a.log)
			if err != nil {
				return err
			}
			a.closer = func() { _ = models.Close(db) }
			tmp, err := os.CreateTemp(filepath.Dir(path), ".rectibot-backup-*")
			if err != nil {
				return fmt.Errorf("backup %s: %w", path, err)
			}
			defer os.Remove(tmp.Name()) // after the rename, nothing to remove
			progress := func(table string, rows int64) { fmt.Fprintf(a.out, "%-20s %9d rows\n", table, rows) }
			h, err := backup.Write(cmd.Context(), db, tmp, began, progress)
			if err == nil {
				err = tmp.Sync()
			}
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Chmod(tmp.Name(), backupMode) // CreateTemp's already; say it here
			}
			if err == nil {
				err = os.Rename(tmp.Name(), path)
			}
			if err != nil {
				return fmt.Errorf("backup %s: nothing was written: %w", path, err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				return fmt.Errorf("backup %s: %w", path, err)
			}
			fmt.Fprintf(a.out, "backed up %d tables, %d rows of %s (ledger schema %d, job queue schema %d) to %s: %s in %s\n",
				len(h.Tables), h.Rows(), h.Engine, h.LedgerVersion, h.RiverVersion, path, byteSize(fi.Size()),
				a.clock.Now().Sub(began).Round(time.Millisecond))
			fmt.Fprintln(a.out, "it holds personal data (names, Telegram ids, reports): it is readable by you only; keep it so")
			return nil
		},
	}
}

// byteSize is a size for people: 812 B, 48.2 KB, 3.1 MB.
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}
