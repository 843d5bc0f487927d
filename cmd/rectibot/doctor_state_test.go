package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// The doctor's checks of what the installation holds: migrations, the
// webhook Telegram has, the holiday calendar, failures waiting.

func TestDoctorReportsPendingMigrationsWithoutMigrating(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{})
	loc := e.location()
	if loc.Dialect == dburl.SQLite {
		// No file yet: said so, and none is created.
		r := e.doctor()
		wantLine(t, r.out, "FAIL", checkDatabase, "no database there yet", " — rectibot migrate creates it")
		if _, err := os.Stat(loc.Path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("doctor created the database file: %v", err)
		}
	}
	// An empty database (an empty file, a new schema).
	db, err := models.Open(context.Background(), loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	r := e.doctor()
	if r.code != exitFailure {
		t.Fatalf("exit %d:\n%s", r.code, r.out)
	}
	ledgerSt, _ := models.PendingMigrations(context.Background(), db, loc.Dialect)
	jobSt, _ := scheduler.PendingMigrations(context.Background(), db, loc.Dialect)
	wantLine(t, r.out, "FAIL", checkDatabase,
		fmt.Sprintf("reachable; migrations pending: ledger 1-%d, job queue 1-%d — rectibot migrate", last(ledgerSt.Known), last(jobSt.Known)))
	wantLine(t, r.out, "skip", checkInbox, "the database is not ready")
	wantLine(t, r.out, "skip", checkJobs, "the database is not ready")
	for _, table := range []string{"goose_db_version", "river_migration", "tasks", "river_job"} {
		if db.Migrator().HasTable(table) {
			t.Errorf("doctor created %s", table)
		}
	}

	// A newer rectibot's migration not yet applied: only it is pending.
	e.mustRun("migrate")
	newest := last(ledgerSt.Known)
	if err := db.Exec("DELETE FROM goose_db_version WHERE version_id = ?", newest).Error; err != nil {
		t.Fatal(err)
	}
	r = e.doctor()
	wantLine(t, r.out, "FAIL", checkDatabase, fmt.Sprintf("migrations pending: ledger %d — rectibot migrate", newest))
	if st, _ := models.PendingMigrations(context.Background(), db, loc.Dialect); len(st.Pending) != 1 {
		t.Errorf("after doctor, pending %v: it migrated", st.Pending)
	}
}

// location is the env's database.
func (c *cli) location() dburl.Location {
	c.t.Helper()
	loc, err := dburl.Parse(c.env["DATABASE_URL"])
	if err != nil {
		c.t.Fatal(err)
	}
	return loc
}

func TestDoctorWebhook(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{})
	e.mustRun("migrate")
	const hook = "https://bot.example.cn/telegram/webhook"
	e.env["RECTIBOT_WEBHOOK_URL"], e.env["RECTIBOT_WEBHOOK_SECRET"] = hook, "s3cret-token"
	now := e.clock.Now()
	refused := "Wrong response from the webhook: 502 Bad Gateway"

	r := e.doctor()
	wantLine(t, r.out, "warn", checkWebhook, "not registered with Telegram yet", " — serve registers RECTIBOT_WEBHOOK_URL at start")

	e.fake.SetWebhook(tgfake.Webhook{URL: hook, MaxConnections: 100})
	r = e.doctor()
	wantLine(t, r.out, "ok", checkWebhook, "Telegram posts to "+hook+"; 0 updates waiting")
	if r.code != 0 {
		t.Errorf("registered webhook: exit %d:\n%s", r.code, r.out)
	}

	// Telegram failed to deliver and holds an update: broken now.
	e.fake.SetWebhook(tgfake.Webhook{URL: hook, LastErrorAt: now.Add(-12 * time.Minute), LastError: refused})
	e.fake.AddUser(tgmodels.User{ID: 4201, FirstName: "周杰"})
	e.fake.Text(4201, "/tasks")
	r = e.doctor()
	if r.code != exitFailure {
		t.Errorf("undeliverable webhook: exit %d", r.code)
	}
	wantLine(t, r.out, "FAIL", checkWebhook, "Telegram cannot deliver to "+hook+": 1 update waiting; last error ",
		"(12 min ago): "+refused, " — check that serve runs and the TLS proxy passes /telegram/webhook to RECTIBOT_HTTP_ADDR")

	// Another webhook registered with this token.
	e.fake.SetWebhook(tgfake.Webhook{URL: "https://elsewhere.example.cn/hook"})
	r = e.doctor()
	wantLine(t, r.out, "FAIL", checkWebhook, "Telegram posts to https://elsewhere.example.cn/hook, not RECTIBOT_WEBHOOK_URL="+hook)

	// Long polling while a webhook is registered.
	delete(e.env, "RECTIBOT_WEBHOOK_URL")
	r = e.doctor()
	wantLine(t, r.out, "warn", checkWebhook, "https://elsewhere.example.cn/hook is registered, but RECTIBOT_WEBHOOK_URL is not set", " — serve deletes it at start")
}

func TestDoctorHolidayCalendar(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{})
	e.mustRun("migrate")
	y := lastKnownHolidayYear()
	zone := e.clock.Now().Location()

	e.clock.Set(time.Date(y, time.December, 1, 9, 0, 0, 0, zone))
	r := e.doctor()
	wantLine(t, r.out, "warn", checkHolidays, fmt.Sprintf("knows %d (built in), not %d", y, y+1),
		" — China publishes next year's arrangement each November: add it to RECTIBOT_HOLIDAYS=", "(format in README)")
	if r.code != 0 {
		t.Errorf("a warning: exit %d", r.code)
	}

	e.env["RECTIBOT_HOLIDAYS"] = fmt.Sprintf("%d-01-01:off,%d-02-05:work", y+1, y+1)
	r = e.doctor()
	wantLine(t, r.out, "ok", checkHolidays, fmt.Sprintf("knows %d (built in) and %d (RECTIBOT_HOLIDAYS)", y, y+1))

	delete(e.env, "RECTIBOT_HOLIDAYS")
	e.clock.Set(time.Date(y+1, time.January, 4, 9, 0, 0, 0, zone))
	r = e.doctor()
	wantLine(t, r.out, "FAIL", checkHolidays, fmt.Sprintf("does not know %d's holidays", y+1), " — add "+fmt.Sprint(y+1)+"'s arrangement to RECTIBOT_HOLIDAYS=")
	if r.code != exitFailure {
		t.Errorf("this year unknown: exit %d", r.code)
	}

	e.env["RECTIBOT_WORKDAYS"] = "mon-fri"
	r = e.doctor()
	wantLine(t, r.out, "ok", checkHolidays, "RECTIBOT_WORKDAYS is not cn: no holiday data needed")
}

func TestDoctorCountsFailedUpdatesAndDeadJobs(t *testing.T) {
	e := newDoctorEnv(t, tgfake.Options{})
	store := e.store()
	ctx := context.Background()
	at := time.Date(2021, 11, 1, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
	if _, err := store.StoreUpdates(ctx, []models.InboxUpdate{{UpdateID: 501, ChatID: 1003, Kind: models.UpdateCommand,
		Payload: `{"update_id":501}`, ReceivedAt: at, NextAttemptAt: at}}); err != nil {
		t.Fatal(err)
	}
	if err := store.FailUpdate(ctx, 501, 10, "sendMessage: Bad Request: can't parse entities", at); err != nil {
		t.Fatal(err)
	}
	insertDeadJob(t, store.DB(), e.location().Dialect, at)
	if out := e.mustRun("jobs"); !strings.Contains(out, "telegram: 500") {
		t.Fatalf("rectibot jobs does not list the dead job:\n%s", out)
	}

	r := e.doctor()
	if r.code != 0 {
		t.Errorf("warnings only: exit %d:\n%s", r.code, r.out)
	}
	wantLine(t, r.out, "warn", checkInbox, "1 failed update (", "the latest 2021-11-01 10:00",
		" — rectibot inbox lists them with their errors; rectibot inbox --retry UPDATE_ID puts one back in line")
	wantLine(t, r.out, "warn", checkJobs, "1 dead job (reminders or digests that failed for good)", " — rectibot jobs lists them")
	if !strings.Contains(r.out, "10 checks: 8 ok, 2 warnings, 0 failed\n") {
		t.Errorf("summary:\n%s", r.out)
	}
}

// insertDeadJob writes a notify job River discarded after its last
// attempt, through River's own driver.
func insertDeadJob(t *testing.T, db interface{ DB() (*sql.DB, error) }, d dburl.Dialect, at time.Time) {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	var drv riverdriver.Driver[*sql.Tx] = riversqlite.New(sqlDB)
	if d == dburl.Postgres {
		drv = riverdatabasesql.New(sqlDB)
	}
	attemptErr, _ := json.Marshal(rivertype.AttemptError{At: at, Attempt: 8, Error: "telegram: 500 Internal Server Error"})
	if _, err := drv.GetExecutor().JobInsertFull(context.Background(), &riverdriver.JobInsertFullParams{
		Attempt: 8, AttemptedAt: &at, CreatedAt: &at, EncodedArgs: []byte(`{"person_id":9}`), Errors: [][]byte{attemptErr},
		FinalizedAt: &at, Kind: scheduler.JobKindNotify, MaxAttempts: 8, Metadata: []byte(`{}`), Priority: 1,
		Queue: "default", ScheduledAt: &at, State: rivertype.JobStateDiscarded, Tags: []string{},
	}); err != nil {
		t.Fatal(err)
	}
}
