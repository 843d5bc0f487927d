package backup

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/rectibot/rectibot/dburl"
)

// Tables is what a backup copies, in the order a restore inserts them: a
// table comes after every table it refers to. River's job table is last.
var Tables = []string{
	"units", "plans", "categories", "problems", "departments", "people",
	"person_roles", "department_leaders", "supervisor_units", "user_languages",
	"tasks", "measures", "progress_entries", "attachments", "deadline_changes",
	"results", "audit_events", "invites", "groups", "group_departments",
	"deliveries", "delivery_tasks", "notifications", "periodic_runs",
	"inbox_updates", "inbox_chats",
	"river_job",
}

// leftOut is what a backup leaves out, and why (see the package doc).
var leftOut = map[string]string{
	"goose_db_version":   "the ledger's schema version: the target is migrated by rectibot",
	"river_migration":    "River's schema version: the target is migrated by rectibot",
	"river_leader":       "River's elected leader, expiring in seconds",
	"river_notification": "River's transient listener outbox on SQLite",
	"river_queue":        "written by River when a client works a queue; holds only a pause rectibot never sets",
}

// sqliteJSONBColumns are the SQLite BLOB columns that hold JSON in SQLite's
// binary JSONB (River's, since its migration 007); every other BLOB is
// bytes.
var sqliteJSONBColumns = map[string]bool{
	"river_job.args": true, "river_job.attempted_by": true, "river_job.errors": true,
	"river_job.metadata": true, "river_job.tags": true,
}

// isRiver tells the tables River owns: on SQLite their timestamps are text
// in River's own format.
func isRiver(table string) bool { return strings.HasPrefix(table, "river_") }

// querier is a transaction or a handle.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// tableNames lists the tables of the database (PostgreSQL: of the current
// schema, where rectibot's live).
func tableNames(ctx context.Context, q querier, d dburl.Dialect) ([]string, error) {
	query := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if d == dburl.Postgres {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list the tables: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list the tables: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// present returns the tables of Tables the database has, in order, and
// refuses a table that is neither copied nor left out.
func present(ctx context.Context, q querier, d dburl.Dialect) ([]string, error) {
	names, err := tableNames(ctx, q, d)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if !slices.Contains(Tables, n) && leftOut[n] == "" {
			return nil, fmt.Errorf("table %s is not known to the backup: add it to backup.Tables (in foreign-key order) or to leftOut", n)
		}
	}
	var out []string
	for _, t := range Tables {
		if slices.Contains(names, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// columnsOf reads a table's columns and how this engine stores each.
func columnsOf(ctx context.Context, q querier, d dburl.Dialect, table string) ([]column, error) {
	var cols []column
	var err error
	if d == dburl.Postgres {
		cols, err = pgColumns(ctx, q, table)
	} else {
		cols, err = sqliteColumns(ctx, q, table)
	}
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("columns of %s: no such table", table)
	}
	return cols, nil
}

func pgColumns(ctx context.Context, q querier, table string) ([]column, error) {
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, udt_schema, udt_name,
		COALESCE(character_maximum_length, 0), COALESCE(column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
		ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var dataType, udtSchema, udtName string
		var length int
		if err := rows.Scan(&c.Name, &dataType, &udtSchema, &udtName, &length, &c.serial); err != nil {
			return nil, err
		}
		switch dataType {
		case "bigint", "integer", "smallint":
			c.Kind = KindInt
		case "text", "character varying", "character":
			c.Kind = KindText
		case "USER-DEFINED": // an enum: River's job state
			c.Kind, c.store, c.pgType = KindText, pgEnum, pgx.Identifier{udtSchema, udtName}.Sanitize()
		case "boolean":
			c.Kind = KindBool
		case "date":
			c.Kind = KindDate
		case "timestamp with time zone":
			c.Kind = KindTime
		case "json", "jsonb":
			c.Kind, c.store, c.pgType = KindJSON, pgJSON, dataType
		case "bytea":
			c.Kind = KindBytes
		case "bit": // River's unique states, a bit mask
			c.Kind, c.store, c.pgType = KindInt, pgBits, fmt.Sprintf("bit(%d)", length)
		case "ARRAY":
			switch udtName {
			case "_text", "_varchar", "_bpchar":
				c.Kind, c.store = KindJSON, pgTextArray
			case "_jsonb", "_json":
				c.Kind, c.store = KindJSON, pgJSONArray
			}
		}
		if c.Kind == "" {
			return nil, fmt.Errorf("column %s has type %s (%s), which the backup does not know", c.Name, dataType, udtName)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func sqliteColumns(ctx context.Context, q querier, table string) ([]column, error) {
	rows, err := q.QueryContext(ctx, "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var typ string
		var pk int
		if err := rows.Scan(&c.Name, &typ, &pk); err != nil {
			return nil, err
		}
		switch strings.ToLower(typ) {
		case "integer", "bigint", "int":
			c.Kind = KindInt
		case "text":
			c.Kind = KindText
		case "numeric", "boolean": // GORM's bool on SQLite; a non-0/1 value is refused when read
			c.Kind, c.store = KindBool, sqliteBool
		case "date":
			c.Kind = KindDate
		case "datetime", "timestamp":
			c.Kind = KindTime
		case "blob":
			c.Kind = KindBytes
			if sqliteJSONBColumns[table+"."+c.Name] {
				c.Kind, c.store = KindJSON, sqliteJSONB
			}
		}
		if c.Kind == "" {
			return nil, fmt.Errorf("column %s has type %q, which the backup does not know", c.Name, typ)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// primaryKey lists a table's primary key columns in key order, for a
// stable row order.
func primaryKey(ctx context.Context, q querier, d dburl.Dialect, table string) ([]string, error) {
	query := "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk"
	if d == dburl.Postgres {
		query = `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisprimary
			ORDER BY array_position(i.indkey::int2[], a.attnum)`
	}
	rows, err := q.QueryContext(ctx, query, table)
	if err != nil {
		return nil, fmt.Errorf("primary key of %s: %w", table, err)
	}
	defer rows.Close()
	var key []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("primary key of %s: %w", table, err)
		}
		key = append(key, n)
	}
	return key, rows.Err()
}

// versions reads the ledger's and River's migration versions (0: none).
func versions(ctx context.Context, q querier) (ledger, river int64, err error) {
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version").Scan(&ledger); err != nil {
		return 0, 0, fmt.Errorf("the ledger's schema version (is this a rectibot database?): %w", err)
	}
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM river_migration WHERE line = 'main'").Scan(&river); err != nil {
		return 0, 0, fmt.Errorf("the job queue's schema version: %w", err)
	}
	return ledger, river, nil
}

// quote quotes an identifier; both engines take double quotes.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
