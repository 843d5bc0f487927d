package main

import (
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// A database that holds a ledger is never restored into: exit 3, and
// everything reads as before.
func TestRestoreRefusesADatabaseWithALedger(t *testing.T) {
	src := newCLI(t)
	src.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	file := filepath.Join(t.TempDir(), "b.backup")
	src.mustRun("backup", file)

	dst := newCLI(t)
	dst.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	dst.mustRun("results", "add", "1", "--kind", "clues", "--amount", "3")
	before := viewOf(dst)
	r := dst.run("restore", file)
	if r.code != exitBadInput || !strings.Contains(r.err.Error(), "nothing was restored: the database already holds a ledger (table units has rows)") {
		t.Fatalf("exit %d: %v", r.code, r.err)
	}
	before.mustEqual(t, viewOf(dst))
}

// A file that is not a backup, is damaged or cut, or is of another
// version is refused with exit 3, and the database stays empty — also
// when the restore had inserted tables before it met the damage: the one
// transaction rolled back. The same database then takes the good file.
func TestRestoreRefusesBadFiles(t *testing.T) {
	src := newCLI(t)
	seedInstallation(src)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.backup")
	src.mustRun("backup", good)
	lines := gunzipLines(t, good)
	at := func(prefix string) int {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
		if i < 0 {
			t.Fatalf("no line %s… in the backup", prefix)
		}
		return i
	}
	variant := func(name string, edit func(ls []string) []string) string {
		p := filepath.Join(dir, name)
		gzipLines(t, p, edit(slices.Clone(lines)))
		return p
	}
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.backup")
	if err := os.WriteFile(cut, whole[:len(whole)*3/4], 0o600); err != nil {
		t.Fatal(err)
	}
	notBackup := filepath.Join(dir, "hello.gz")
	if f, err := os.Create(notBackup); err == nil {
		zw := gzip.NewWriter(f)
		_, _ = zw.Write([]byte(`{"hello":"world"}` + "\n"))
		_ = zw.Close()
		_ = f.Close()
	}
	timestamp := regexp.MustCompile(`"\d{4}-\d\d-\d\dT[^"]*Z"`)

	cases := []struct {
		name, file, want string
		began            bool // the restore inserted tables before it met the damage
	}{
		{"a CSV", fixture.Path(t, fixture.Dongguan, "ledger.csv"), "not a rectibot backup (not gzip", false},
		{"gzip, not a backup", notBackup, "not a rectibot backup (no rectibot-backup header)", false},
		{"cut short", cut, "the file is damaged: unexpected EOF", true},
		{"a value damaged", variant("value.backup", func(ls []string) []string {
			i := at(`{"table":"audit_events"`) + 1
			ls[i] = timestamp.ReplaceAllString(ls[i], `"yesterday"`)
			return ls
		}), `the file is damaged: table audit_events, row 1, column created_at: "yesterday" is not an RFC 3339 time`, true},
		{"a row missing", variant("row.backup", func(ls []string) []string {
			i := at(`{"table":"measures"`) + 1
			return slices.Delete(ls, i, i+1)
		}), "the file is damaged: table measures has 73 rows, its header says 74", true},
		{"no end mark", variant("end.backup", func(ls []string) []string { return ls[:len(ls)-1] }),
			"the file is damaged: it ends before its end mark (cut short?)", true},
		{"a newer format", variant("format.backup", func(ls []string) []string {
			ls[0] = strings.Replace(ls[0], `"version":1`, `"version":2`, 1)
			return ls
		}), "backup format version 2: this rectibot reads version 1", false},
		{"a newer schema", variant("schema.backup", func(ls []string) []string {
			ls[0] = regexp.MustCompile(`"ledger_version":\d+`).ReplaceAllString(ls[0], `"ledger_version":99`)
			return ls
		}), "the backup is of ledger schema 99 and job queue schema 8, this rectibot's are ", false},
	}
	dst := newCLI(t)
	for _, tc := range cases {
		r := dst.run("restore", tc.file)
		if r.code != exitBadInput || r.err == nil || !strings.Contains(r.err.Error(), "nothing was restored: "+tc.want) {
			t.Errorf("%s: exit %d: %v\nwant exit 3 and %q", tc.name, r.code, r.err, tc.want)
		}
		if began := strings.Contains(r.out, "units "); began != tc.began {
			t.Errorf("%s: tables inserted before the refusal: %v, want %v:\n%s", tc.name, began, tc.began, r.out)
		}
		if tc.began {
			dst.mustBeEmpty(tc.name)
		}
	}
	dst.mustRun("restore", good)
}

// mustBeEmpty fails when a table of the backup has rows.
func (c *cli) mustBeEmpty(what string) {
	c.t.Helper()
	c.withDB(func(_ context.Context, store *models.Store, _ *scheduler.Service, _ dburl.Dialect) {
		for _, table := range backup.Tables {
			var n int64
			if err := store.DB().Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
				c.t.Fatal(err)
			}
			if n != 0 {
				c.t.Errorf("%s: table %s has %d rows after the refused restore", what, table, n)
			}
		}
	})
}

// A table the backup does not know stops it (a migration that adds one
// must add it to backup.Tables), and nothing is written; so does a
// database that is not there.
func TestBackupRefusesWhatItDoesNotKnow(t *testing.T) {
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	c.withDB(func(_ context.Context, store *models.Store, _ *scheduler.Service, _ dburl.Dialect) {
		if err := store.DB().Exec("CREATE TABLE extra (id integer PRIMARY KEY)").Error; err != nil {
			t.Fatal(err)
		}
	})
	dir := t.TempDir()
	r := c.run("backup", filepath.Join(dir, "b.backup"))
	if r.code != exitFailure || r.err == nil || !strings.Contains(r.err.Error(), "table extra is not known to the backup") {
		t.Errorf("exit %d: %v", r.code, r.err)
	}
	missing := &cli{t: t, env: map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "none.db")}}
	if r := missing.run("backup", filepath.Join(dir, "c.backup")); r.code != exitFailure || !strings.Contains(r.err.Error(), "no database at") {
		t.Errorf("no database: exit %d: %v", r.code, r.err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
