package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"github.com/xuri/excelize/v2"

	"github.com/rectibot/rectibot/backup"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// The installation's day in these tests: the reminders River holds are
// planned for it, and planned again after a restore to show nothing moves.
var backupDay = time.Date(2021, 10, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// sqliteCLI is a cli on an SQLite file, whatever DATABASE_URL says.
func sqliteCLI(t *testing.T) *cli {
	return &cli{t: t, env: map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "rectibot.db")}}
}

// postgresCLI is a cli on a schema of its own on DATABASE_URL's
// PostgreSQL; the test is skipped without one. CI runs every suite once
// with DATABASE_URL set, so there both directions across the engines run.
func postgresCLI(t *testing.T) *cli {
	if testdb.Kind() != dburl.Postgres {
		t.Skip("needs PostgreSQL beside SQLite: set DATABASE_URL (CI's PostgreSQL run covers both directions)")
	}
	return &cli{t: t, env: map[string]string{"DATABASE_URL": testdb.Location(t).DSN}}
}

// withDB opens the cli's database as the commands do, with the scheduler's
// planner on its store (never started), at backupDay.
func (c *cli) withDB(f func(ctx context.Context, store *models.Store, svc *scheduler.Service, d dburl.Dialect)) {
	c.t.Helper()
	db, cfg, quiet := openDBFor(c.t, func(k string) string { return c.env[k] })
	defer func() { _ = models.Close(db) }()
	clk := clock.NewManual(backupDay)
	store := models.NewStore(db, clk)
	svc, err := scheduler.New(scheduler.Config{Store: store, Location: cfg.Database, Settings: cfg.Schedule,
		Clock: clk, Zone: cfg.TimeZone, Light: cfg.Light, Log: quiet})
	if err != nil {
		c.t.Fatal(err)
	}
	f(context.Background(), store, svc, cfg.Database.Dialect)
}

// seedInstallation is the Dongguan ledger as an office has used it for a
// while: a person above the units, results, the 巡察时间, a report with a
// photo, a deadline moved and one asked for, every reminder planned, and
// a dead letter.
func seedInstallation(c *cli) {
	t := c.t
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	c.mustRun("people", "add", "巡察办李明", "--role", "supervisor", "--supervises", "中共东莞市委政法委员会")
	c.mustRun("results", "add", "1", "--kind", "funds", "--amount", "1.44", "--task", "3", "--note", "追回")
	c.mustRun("plans", "set", "1", "--inspected", "2020-12-08..2021-01-08")
	c.withDB(func(ctx context.Context, store *models.Store, svc *scheduler.Service, d dburl.Dialect) {
		var open []models.Task
		if err := store.DB().Where("status = ?", ledger.StatusInProgress).Order("id").Find(&open).Error; err != nil || len(open) < 2 {
			t.Fatalf("in-progress tasks: %d, %v", len(open), err)
		}
		officer := open[0].OfficerID
		as := models.Actor{PersonID: &officer, Label: "telegram:1001"}
		if _, err := store.AddProgress(ctx, models.NewProgress{TaskID: open[0].ID, Text: "已召开专题会议，<见附件>",
			Source: "telegram", Attachments: []models.Attachment{{Kind: "photo", FileID: "AgAC-1", FileUniqueID: "u1",
				FileName: "会议.jpg", MIMEType: "image/jpeg", Size: 48213}}}, as); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ChangeDeadline(ctx, open[0].ID, ledger.MustDate(2021, 12, 31), "等待上级批复", models.CLIActor); err != nil {
			t.Fatal(err)
		}
		if _, err := store.RequestDeadline(ctx, open[1].ID, ledger.MustDate(2022, 3, 31), "需跨部门协调", as); err != nil {
			t.Fatal(err)
		}
		if err := store.SetUserLanguage(ctx, 9001, "zh"); err != nil { // a configured admin's /lang
			t.Fatal(err)
		}
		if err := svc.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
		insertFailedJob(t, store.DB(), d)
	})
}

// insertFailedJob writes a job River discarded, with its attempts and
// errors, through River's own driver.
func insertFailedJob(t *testing.T, db interface{ DB() (*sql.DB, error) }, d dburl.Dialect) {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	var drv riverdriver.Driver[*sql.Tx] = riversqlite.New(sqlDB)
	if d == dburl.Postgres {
		drv = riverdatabasesql.New(sqlDB)
	}
	at := backupDay.Add(-time.Hour)
	e1, _ := json.Marshal(rivertype.AttemptError{At: at.Add(-time.Minute), Attempt: 1, Error: "telegram: 502 Bad Gateway"})
	e2, _ := json.Marshal(rivertype.AttemptError{At: at, Attempt: 2, Error: "telegram: 500 Internal Server Error"})
	if _, err := drv.GetExecutor().JobInsertFull(context.Background(), &riverdriver.JobInsertFullParams{
		Attempt: 2, AttemptedAt: &at, AttemptedBy: []string{"host_1_a", "host_2_b"}, CreatedAt: &at,
		EncodedArgs: []byte(`{"person_id":9,"window":"2021-10-19T01:00:00Z"}`), Errors: [][]byte{e1, e2},
		FinalizedAt: &at, Kind: scheduler.JobKindNotify, MaxAttempts: 2, Metadata: []byte(`{"note":"x"}`), Priority: 1,
		Queue: scheduler.QueueSend, ScheduledAt: &at, State: rivertype.JobStateDiscarded, Tags: []string{"a", "b"},
		UniqueStates: 0b10110101, // (riverdatabasesql's JobInsertFull sends a unique key as text; planned jobs have theirs)
	}); err != nil {
		t.Fatal(err)
	}
}

// installationView is what an operator reads of an installation: the
// exports, the digest, the people, the dead letters, and the rows of
// every table.
type installationView struct {
	outputs map[string]string
	counts  map[string]int64
}

func viewOf(c *cli) installationView {
	c.t.Helper()
	dir := c.t.TempDir()
	v := installationView{outputs: map[string]string{}, counts: map[string]int64{}}
	csvPath, xlsxPath := filepath.Join(dir, "l.csv"), filepath.Join(dir, "l.xlsx")
	c.mustRun("export", csvPath, "--as-of", "2021-11-01")
	c.mustRun("export", xlsxPath, "--as-of", "2021-11-01", "--by-department")
	b, err := os.ReadFile(csvPath)
	if err != nil {
		c.t.Fatal(err)
	}
	v.outputs["export csv"] = string(b)
	v.outputs["export xlsx"] = workbookCells(c.t, xlsxPath)
	v.outputs["digest"] = c.mustRun("digest", "--as-of", "2021-11-01")
	v.outputs["people"] = c.mustRun("people")
	v.outputs["plans"] = c.mustRun("plans")
	v.outputs["results"] = c.mustRun("results", "1")
	v.outputs["jobs"] = jobsView(c.mustRun("jobs"))
	c.withDB(func(ctx context.Context, store *models.Store, _ *scheduler.Service, _ dburl.Dialect) {
		for _, table := range backup.Tables {
			var n int64
			if err := store.DB().Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
				c.t.Fatal(err)
			}
			v.counts[table] = n
		}
	})
	return v
}

// jobsView is what rectibot jobs lists, each row's cells apart and the
// arguments with their keys in order: PostgreSQL's jsonb gives them back
// in an order of its own, and the columns are as wide as the arguments.
func jobsView(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		cells := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
		for i, cell := range cells {
			var j any
			if strings.HasPrefix(cell, "{") && json.Unmarshal([]byte(cell), &j) == nil {
				sorted, _ := json.Marshal(j)
				cells[i] = string(sorted)
			}
		}
		fmt.Fprintf(&b, "%q\n", cells)
	}
	return b.String()
}

// workbookCells is every sheet's cells, in order.
func workbookCells(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "== %s\n%q\n", sheet, rows)
	}
	return b.String()
}

func (v installationView) mustEqual(t *testing.T, after installationView) {
	t.Helper()
	for k, want := range v.outputs {
		if got := after.outputs[k]; got != want {
			t.Errorf("%s after the restore:\n%s\nbefore:\n%s", k, got, want)
		}
	}
	if !reflect.DeepEqual(after.counts, v.counts) {
		t.Errorf("rows per table after the restore %v, before %v", after.counts, v.counts)
	}
}
