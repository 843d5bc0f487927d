package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

// batchParams is the most parameters one INSERT binds: on PostgreSQL
// well under its 65,535, and enough that a table of a million rows is some
// thousands of statements; on SQLite fewer, as its driver binds each
// parameter by a scan of all of them (quadratic in the statement's size,
// see internal/ledgergen).
func batchParams(d dburl.Dialect) int {
	if d == dburl.Postgres {
		return 10000
	}
	return 500
}

// Restore inserts the backup r reads into db, which must be at the
// backup's schema versions (see CheckSchema, models.MigrateTo and
// scheduler.MigrateTo) and hold no rows in any table Tables lists. All in
// one transaction: on any error nothing is kept. Errors of the file or the
// target match ErrRefused.
func Restore(ctx context.Context, db *gorm.DB, r *Reader, progress Progress) error {
	d := models.DialectOf(db)
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("restore: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, a no-op

	if err := checkTarget(ctx, tx, d, r.Header()); err != nil {
		return err
	}
	for {
		name, fileCols, err := r.NextTable()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		n, err := restoreTable(ctx, tx, d, r, name, fileCols)
		if err != nil {
			return err
		}
		if d == dburl.Postgres {
			if err := resetSequences(ctx, tx, name); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(name, n)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("restore: commit: %w", err)
	}
	return nil
}

// Schema is a database's schema versions as a restore weighs them: those
// applied (0 for a new database) and the newest this rectibot carries.
type Schema struct {
	Ledger, LedgerNewest int64
	River, RiverNewest   int64
}

// CheckSchema refuses a backup this rectibot cannot bring a database to:
// one made by a newer rectibot, or one older than what the target already
// has applied (migrations run up only, and an empty database that a newer
// release set up would have to be taken down first). A backup older than
// this rectibot restores into a new database: the target is migrated to
// the backup's schema, restored, then migrated on.
func CheckSchema(h Header, target Schema) error {
	if h.LedgerVersion > target.LedgerNewest || h.RiverVersion > target.RiverNewest {
		return refuse("the backup is of ledger schema %d and job queue schema %d, this rectibot's are %d and %d; it was made by a newer rectibot: restore it with that release or a later one",
			h.LedgerVersion, h.RiverVersion, target.LedgerNewest, target.RiverNewest)
	}
	if target.Ledger > h.LedgerVersion || target.River > h.RiverVersion {
		return refuse("the backup is of ledger schema %d and job queue schema %d, the database is already at %d and %d: restore it into a new, empty database (this rectibot brings that to the backup's schema, restores, then upgrades it)",
			h.LedgerVersion, h.RiverVersion, target.Ledger, target.River)
	}
	return nil
}

// checkTarget refuses a target at other schema versions than the file's,
// or that holds rows.
func checkTarget(ctx context.Context, tx *sql.Tx, d dburl.Dialect, h Header) error {
	ledger, river, err := versions(ctx, tx)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if h.LedgerVersion != ledger || h.RiverVersion != river {
		// `rectibot restore` weighs the versions first (CheckSchema) and
		// brings the target to the backup's: this is the guard of a caller
		// that did not.
		return refuse("the backup is of ledger schema %d and job queue schema %d, the database is at %d and %d: bring it to the backup's schema first",
			h.LedgerVersion, h.RiverVersion, ledger, river)
	}
	names, err := present(ctx, tx, d)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, t := range names {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+quote(t)+" LIMIT 1").Scan(&one)
		if err == nil {
			return refuse("the database already holds a ledger (table %s has rows): restore into an empty database", t)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("restore: %s: %w", t, err)
		}
	}
	return nil
}

// restoreTable inserts one table's rows in batches, each column converted
// to the target's type.
func restoreTable(ctx context.Context, tx *sql.Tx, d dburl.Dialect, r *Reader, table string, fileCols []FileColumn) (int64, error) {
	target, err := columnsOf(ctx, tx, d, table)
	if err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	byName := make(map[string]column, len(target))
	for _, c := range target {
		byName[c.Name] = c
	}
	// The file's columns, as the target stores them. A column the target
	// has and the file lacks keeps its default.
	cols := make([]column, len(fileCols))
	for i, fc := range fileCols {
		c, ok := byName[fc.Name]
		if !ok {
			return 0, refuse("table %s: the backup has a column %s this database lacks", table, fc.Name)
		}
		if c.Kind != fc.Kind {
			return 0, refuse("table %s: column %s is %s in the backup and %s here", table, fc.Name, fc.Kind, c.Kind)
		}
		cols[i] = c
	}
	per := max(1, batchParams(d)/len(cols))
	var (
		n     int64
		batch []any
		rows  int
	)
	flush := func() error {
		if rows == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, insertSQL(d, table, cols, rows), batch...); err != nil {
			return fmt.Errorf("restore: %s, rows %d–%d: %w", table, n-int64(rows)+1, n, err)
		}
		batch, rows = batch[:0], 0
		return nil
	}
	for {
		vals, err := r.Row()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		for i, c := range cols {
			batch = append(batch, c.param(d, table, vals[i]))
		}
		rows++
		n++
		if rows == per {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}

// insertSQL is an INSERT of rows rows.
func insertSQL(d dburl.Dialect, table string, cols []column, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + quote(table) + " (")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(c.Name))
	}
	b.WriteString(") VALUES ")
	p := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i, c := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			p++
			ph := "?"
			if d == dburl.Postgres {
				ph = "$" + strconv.Itoa(p)
			}
			b.WriteString(c.insertExpr(d, ph))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// resetSequences moves a PostgreSQL table's sequences past its largest
// restored value, so the next row gets a new id. (SQLite's AUTOINCREMENT
// needs nothing: inserting a row records its id in sqlite_sequence when
// it is the largest.)
func resetSequences(ctx context.Context, tx *sql.Tx, table string) error {
	cols, err := columnsOf(ctx, tx, dburl.Postgres, table)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, c := range cols {
		if !c.serial {
			continue
		}
		q := "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(" + quote(c.Name) + "), 0) + 1, false) FROM " + quote(table)
		if _, err := tx.ExecContext(ctx, q, quote(table), c.Name); err != nil {
			return fmt.Errorf("restore: %s: reset the sequence of %s: %w", table, c.Name, err)
		}
	}
	return nil
}
