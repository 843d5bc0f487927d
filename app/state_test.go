package app

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// probeArgs is a job of the test's own kind, so the counts are the test's.
type probeArgs struct{ N int }

func (probeArgs) Kind() string { return "metrics_probe" }

type probeWorker struct {
	river.WorkerDefaults[probeArgs]
}

func (probeWorker) Work(context.Context, *river.Job[probeArgs]) error { return nil }

// The operator's gauges read the database at each scrape: what they show is
// what is stored, whichever replica answers, from its first scrape.
func TestStateGaugesShowWhatWaitsInTheDatabase(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, loc := testdb.Open(t)
	if err := scheduler.Migrate(ctx, db, loc, log); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2021, 11, 1, 9, 0, 0, 0, time.UTC)
	clk := clock.NewManual(now)
	store := models.NewStore(db, clk)

	// One update failed for good, one handled.
	if _, err := store.StoreUpdates(ctx, []models.InboxUpdate{
		{UpdateID: 1, ChatID: 7, Kind: models.UpdateMessage, Payload: "{}", ReceivedAt: now, NextAttemptAt: now},
		{UpdateID: 2, ChatID: 7, Kind: models.UpdateMessage, Payload: "{}", ReceivedAt: now, NextAttemptAt: now},
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.FailUpdate(ctx, 1, 5, "handler: boom", now); err != nil {
		t.Fatal(err)
	}
	if err := store.FinishUpdates(ctx, []int64{2}, models.OutcomeHandled, "", now); err != nil {
		t.Fatal(err)
	}
	// Two linked people; one blocked the bot.
	for i, name := range []string{"张伟", "李娜"} {
		tg := int64(1001 + i)
		if err := db.Create(&models.Person{Name: name, TelegramUserID: &tg, LinkedAt: &now}).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := store.MarkUnreachable(ctx, 1001); err != nil {
		t.Fatal(err)
	}
	// Jobs: one discarded, one 10 minutes late (send queue), one a minute
	// late, one due in an hour. The queue is not started: nothing works them.
	workers := scheduler.NewWorkers()
	river.AddWorker(workers, probeWorker{})
	q, err := scheduler.NewQueue(db, loc.Dialect, workers, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	insert := func(n int, at time.Time, queue string) {
		t.Helper()
		if err := db.Transaction(func(tx *gorm.DB) error {
			return q.InsertTx(ctx, tx, probeArgs{N: n}, &river.InsertOpts{ScheduledAt: at, Queue: queue})
		}); err != nil {
			t.Fatal(err)
		}
	}
	insert(1, now.Add(-time.Hour), river.QueueDefault)
	insert(2, now.Add(-10*time.Minute), scheduler.QueueSend)
	insert(3, now.Add(-time.Minute), scheduler.QueueSend)
	insert(4, now.Add(time.Hour), scheduler.QueueSend)
	// River discards a job after its last attempt; the state is what counts.
	if err := db.Exec(`UPDATE river_job SET state = 'discarded', finalized_at = CURRENT_TIMESTAMP, attempt = 1
WHERE kind = 'metrics_probe' AND queue = 'default'`).Error; err != nil {
		t.Fatal(err)
	}

	fake := tgfake.New(tgfake.Options{})
	t.Cleanup(fake.Close)
	b, err := bot.New(bot.Options{Token: fake.Token(), APIURL: fake.URL(), Log: log,
		State: stateSource(store, loc.Dialect, clk)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.HTTPHandler())
	t.Cleanup(srv.Close)
	scrape := func() string {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	expect := func(body string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(body, w+"\n") {
				t.Errorf("metrics lack %q", w)
			}
		}
	}
	body := scrape()
	expect(body,
		"rectibot_state_query_success 1",
		"rectibot_inbox_failed_updates 1",
		"rectibot_people_unreachable 1",
		`rectibot_jobs_discarded{kind="metrics_probe",queue="default"} 1`,
		`rectibot_jobs_behind_schedule{kind="metrics_probe",queue="send"} 1`)
	if strings.Contains(body, `rectibot_jobs_discarded{kind="metrics_probe",queue="send"}`) ||
		strings.Contains(body, `rectibot_jobs_behind_schedule{kind="metrics_probe",queue="default"}`) {
		t.Errorf("a waiting job counted as dead, or a dead one as late:\n%s", body)
	}

	// Five minutes on, the job a minute late is behind schedule too; the
	// failed update put back in line and the person writing again clear
	// theirs.
	clk.Advance(5 * time.Minute)
	if ok, err := store.RequeueUpdate(ctx, 1, clk.Now()); err != nil || !ok {
		t.Fatalf("requeue: %v %v", ok, err)
	}
	if err := store.MarkReachable(ctx, 1001); err != nil {
		t.Fatal(err)
	}
	expect(scrape(),
		"rectibot_inbox_failed_updates 0",
		"rectibot_people_unreachable 0",
		`rectibot_jobs_behind_schedule{kind="metrics_probe",queue="send"} 2`)
}
