package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

// Format and Version name the file's format; a reader refuses a newer
// Version.
const (
	Format  = "rectibot-backup"
	Version = 1
)

// Header is the file's first line.
type Header struct {
	Format        string        `json:"format"`
	Version       int           `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
	Engine        dburl.Dialect `json:"engine"`
	LedgerVersion int64         `json:"ledger_version"` // the ledger's goose migration
	RiverVersion  int64         `json:"river_version"`  // River's migration line "main"
	Tables        []TableCount  `json:"tables"`         // in restore order
}

// TableCount is a table and its rows.
type TableCount struct {
	Name string `json:"name"`
	Rows int64  `json:"rows"`
}

// Rows is the rows of every table together.
func (h Header) Rows() int64 {
	var n int64
	for _, t := range h.Tables {
		n += t.Rows
	}
	return n
}

// section opens a table's rows in the file.
type section struct {
	Table   string       `json:"table"`
	Columns []FileColumn `json:"columns"`
}

// FileColumn is a column as the file names it.
type FileColumn struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
}

// trailer ends the file.
type trailer struct {
	End  bool  `json:"end"`
	Rows int64 `json:"rows"`
}

// Progress is told each table as it is done.
type Progress func(table string, rows int64)

// Write writes a backup of db to w: one read-only transaction, one table
// after another, rows streamed. now is the header's created_at.
func Write(ctx context.Context, db *gorm.DB, w io.Writer, now time.Time, progress Progress) (Header, error) {
	d := models.DialectOf(db)
	sqlDB, err := db.DB()
	if err != nil {
		return Header{}, fmt.Errorf("backup: %w", err)
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if d == dburl.Postgres {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every table
	}
	tx, err := sqlDB.BeginTx(ctx, opts)
	if err != nil {
		return Header{}, fmt.Errorf("backup: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read only: nothing to commit

	h := Header{Format: Format, Version: Version, CreatedAt: now.UTC(), Engine: d}
	if h.LedgerVersion, h.RiverVersion, err = versions(ctx, tx); err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	names, err := present(ctx, tx, d)
	if err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	cols := make([][]column, len(names))
	for i, t := range names {
		if cols[i], err = columnsOf(ctx, tx, d, t); err != nil {
			return h, fmt.Errorf("backup: %w", err)
		}
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(t)).Scan(&n); err != nil {
			return h, fmt.Errorf("backup: count %s: %w", t, err)
		}
		h.Tables = append(h.Tables, TableCount{Name: t, Rows: n})
	}

	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // reports quote <, > and &; keep them readable
	if err := enc.Encode(h); err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	for i, t := range h.Tables {
		n, err := writeTable(ctx, tx, d, enc, t.Name, cols[i])
		if err != nil {
			return h, fmt.Errorf("backup: %s: %w", t.Name, err)
		}
		// The snapshot cannot change under the transaction; a difference
		// means it was not one.
		if n != t.Rows {
			return h, fmt.Errorf("backup: %s: read %d rows, counted %d", t.Name, n, t.Rows)
		}
		if progress != nil {
			progress(t.Name, n)
		}
	}
	if err := enc.Encode(trailer{End: true, Rows: h.Rows()}); err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return h, fmt.Errorf("backup: %w", err)
	}
	return h, nil
}

// writeTable streams a table's rows in primary key order.
func writeTable(ctx context.Context, tx *sql.Tx, d dburl.Dialect, enc *json.Encoder, table string, cols []column) (int64, error) {
	s := section{Table: table}
	exprs := make([]string, len(cols))
	for i, c := range cols {
		s.Columns = append(s.Columns, FileColumn{Name: c.Name, Kind: c.Kind})
		exprs[i] = c.selectExpr()
	}
	if err := enc.Encode(s); err != nil {
		return 0, err
	}
	key, err := primaryKey(ctx, tx, d, table)
	if err != nil {
		return 0, err
	}
	query := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quote(table)
	if len(key) > 0 {
		for i := range key {
			key[i] = quote(key[i])
		}
		query += " ORDER BY " + strings.Join(key, ", ")
	}
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	out := make([]any, len(cols))
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			v, err := c.fromDB(raw[i])
			if err != nil {
				return n, fmt.Errorf("row %d: %w", n+1, err)
			}
			out[i] = toFile(v)
		}
		if err := enc.Encode(out); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
