package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// On the default engine: SQLite to SQLite, or PostgreSQL to PostgreSQL.
func TestBackupRestoreSameEngine(t *testing.T) { backupRoundTrip(t, newCLI(t), newCLI(t), false) }

// Across the engines, both ways; skipped without DATABASE_URL (see
// postgresCLI).
func TestBackupRestorePostgresToSQLite(t *testing.T) {
	backupRoundTrip(t, postgresCLI(t), sqliteCLI(t), true)
}

func TestBackupRestoreSQLiteToPostgres(t *testing.T) {
	backupRoundTrip(t, sqliteCLI(t), postgresCLI(t), true)
}

// backupRoundTrip backs up a used installation, restores it into an empty
// database, and finds everything an operator reads the same, and every
// row of every table, River's jobs included.
func backupRoundTrip(t *testing.T, src, dst *cli, across bool) {
	seedInstallation(src)
	before := viewOf(src)
	if before.counts["river_job"] < 5 || before.counts["deadline_changes"] != 2 || before.counts["attachments"] != 1 {
		t.Fatalf("the seeded installation is thinner than meant: %v", before.counts)
	}
	file := filepath.Join(t.TempDir(), "rectibot.backup")
	out := src.mustRun("backup", file)
	for _, table := range []string{"units", "tasks", "river_job"} {
		if line := fmt.Sprintf("%-20s %9d rows\n", table, before.counts[table]); !strings.Contains(out, line) {
			t.Errorf("backup output lacks %q:\n%s", line, out)
		}
	}
	if !strings.Contains(out, fmt.Sprintf("backed up %d tables, ", len(backup.Tables))) || !strings.Contains(out, "readable by you only") {
		t.Errorf("backup summary:\n%s", out)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup file: %v, %v; want mode 0600 (it holds personal data)", fi, err)
	}

	out = dst.mustRun("restore", file)
	if !strings.Contains(out, fmt.Sprintf("restored %d tables, ", len(backup.Tables))) {
		t.Errorf("restore output:\n%s", out)
	}
	before.mustEqual(t, viewOf(dst))
	again := filepath.Join(t.TempDir(), "again.backup")
	dst.mustRun("backup", again)
	compareBackups(t, file, again, across)

	// Planning every task again on the restored installation changes no
	// job: River's unique keys and the planner's lookups of the waiting
	// jobs read the restored rows as they read their own.
	dst.withDB(func(ctx context.Context, _ *models.Store, svc *scheduler.Service, _ dburl.Dialect) {
		if err := svc.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
	})
	replanned := filepath.Join(t.TempDir(), "replanned.backup")
	dst.mustRun("backup", replanned)
	compareBackups(t, file, replanned, across)

	// New rows get new ids (PostgreSQL's sequences were moved on).
	dst.mustRun("people", "add", "新来的", "--role", "officer")
	dst.mustRun("results", "add", "1", "--kind", "rules", "--amount", "2")
}

// compareBackups finds the rows of every table in two backups the same.
// Across engines, timestamps are compared at what both keep: microseconds
// (PostgreSQL's), and River's milliseconds (its format on SQLite).
func compareBackups(t *testing.T, a, b string, across bool) {
	t.Helper()
	ra, rb := backupRows(t, a, across), backupRows(t, b, across)
	for _, table := range backup.Tables {
		if !reflect.DeepEqual(ra[table], rb[table]) {
			t.Errorf("table %s differs after the restore:\n%v\nbefore:\n%v", table, rb[table], ra[table])
		}
	}
}

// backupRows is the rows of every table of a backup, each a map by column
// name: the engines order some columns differently.
func backupRows(t *testing.T, path string, across bool) map[string][]map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := backup.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]map[string]any{}
	for {
		table, cols, err := r.NextTable()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		for {
			row, err := r.Row()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			byName := map[string]any{}
			for i, v := range row {
				byName[cols[i].Name] = sameAcross(table, v, across)
			}
			out[table] = append(out[table], byName)
		}
	}
}

func sameAcross(table string, v any, across bool) any {
	switch x := v.(type) {
	case time.Time:
		if across && strings.HasPrefix(table, "river_") {
			x = x.Round(time.Millisecond)
		} else if across {
			x = x.Truncate(time.Microsecond)
		}
		return x.UTC().Format(time.RFC3339Nano)
	case json.RawMessage: // PostgreSQL's jsonb orders keys its own way
		var j any
		if err := json.Unmarshal(x, &j); err != nil {
			return err.Error()
		}
		b, _ := json.Marshal(j)
		return string(b)
	}
	return v
}

// gunzipLines and gzipLines read and write a backup's lines, to damage it.
func gunzipLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func gzipLines(t *testing.T, path string, lines []string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	_, err = io.WriteString(zw, strings.Join(lines, "\n")+"\n")
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}
