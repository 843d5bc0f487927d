package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// A backup made by the previous release (ledger schema 13: before the
// table of languages chosen by unlinked admins) restores with this one
// into a new database: brought to schema 13, restored, upgraded to the
// newest — and reads as the installation it was made of. The same file
// is refused, changing nothing, by a database this release already set
// up (migrations run up only).
func TestRestoreUpgradesAnOlderBackup(t *testing.T) {
	src := newCLI(t)
	seedInstallation(src)
	src.withDB(func(ctx context.Context, store *models.Store, _ *scheduler.Service, _ dburl.Dialect) {
		if err := store.SetUserLanguage(ctx, 9001, ""); err != nil { // schema 13 has nowhere to keep it
			t.Fatal(err)
		}
	})
	dir := t.TempDir()
	current := filepath.Join(dir, "current.backup")
	src.mustRun("backup", current)
	older := filepath.Join(dir, "schema13.backup")
	gzipLines(t, older, asSchema13(t, gunzipLines(t, current)))

	dst := newCLI(t)
	r := dst.run("restore", older)
	if r.code != 0 || r.err != nil {
		t.Fatalf("restore of a schema 13 backup: exit %d: %v\n%s", r.code, r.err, r.out)
	}
	newest := newestLedgerSchema(t, dst)
	wants(t, "restore", r.out, fmt.Sprintf("upgraded from ledger schema 13 and job queue schema %s to %d", riverOf(t, current), newest))
	viewOf(src).mustEqual(t, viewOf(dst))
	dst.withDB(func(ctx context.Context, store *models.Store, _ *scheduler.Service, d dburl.Dialect) {
		st, err := models.PendingMigrations(ctx, store.DB(), d)
		if err != nil || len(st.Pending) > 0 || st.Current() != newest {
			t.Errorf("after the restore: schema %d, pending %v (%v); want %d, none", st.Current(), st.Pending, err, newest)
		}
		// Migration 00014's table is there, and works.
		if err := store.SetUserLanguage(ctx, 9001, "en"); err != nil {
			t.Errorf("the upgraded database: %v", err)
		}
	})

	set := newCLI(t)
	set.mustRun("people") // any command sets the database up at the newest schema
	r = set.run("restore", older)
	if r.code != exitBadInput || r.err == nil ||
		!strings.Contains(r.err.Error(), fmt.Sprintf("nothing was restored: the backup is of ledger schema 13 and job queue schema %s, the database is already at %d", riverOf(t, current), newest)) {
		t.Errorf("a schema 13 backup into a database at %d: exit %d: %v", newest, r.code, r.err)
	}
	set.mustBeEmpty("schema 13 into a set-up database")
}

// asSchema13 makes a backup's lines those the previous release would have
// written of the same installation: ledger schema 13, no user_languages.
func asSchema13(t *testing.T, lines []string) []string {
	t.Helper()
	var h backup.Header
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatal(err)
	}
	h.LedgerVersion = 13
	h.Tables = slices.DeleteFunc(h.Tables, func(tc backup.TableCount) bool { return tc.Name == "user_languages" })
	head, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{string(head)}
	skipping := false
	for _, l := range lines[1 : len(lines)-1] {
		if strings.HasPrefix(l, `{"table":`) {
			skipping = strings.HasPrefix(l, `{"table":"user_languages"`)
		}
		if !skipping {
			out = append(out, l)
		}
	}
	if len(out) == len(lines)-1 {
		t.Fatal("the backup has no user_languages table to leave out")
	}
	return append(out, fmt.Sprintf(`{"end":true,"rows":%d}`, h.Rows()))
}

func newestLedgerSchema(t *testing.T, c *cli) int64 {
	t.Helper()
	var v int64
	c.withDB(func(ctx context.Context, store *models.Store, _ *scheduler.Service, d dburl.Dialect) {
		st, err := models.PendingMigrations(ctx, store.DB(), d)
		if err != nil {
			t.Fatal(err)
		}
		v = st.Newest()
	})
	return v
}

// riverOf is the job queue schema a backup's header names.
func riverOf(t *testing.T, path string) string {
	t.Helper()
	var h backup.Header
	if err := json.Unmarshal([]byte(gunzipLines(t, path)[0]), &h); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(h.RiverVersion)
}
