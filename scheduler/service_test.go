package scheduler

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
)

// TestRemindersFlowThroughTheQueue runs the whole scheduler on River with
// an injected clock (2021-09-23 10:00 in Dongguan): importing the plan plans
// one task_due job per task in the import's transaction; the officer who
// links gets, from the queue, the one reminder due today (task 4 is due
// 2021-09-30), once, and the chain stops at "now".
func TestRemindersFlowThroughTheQueue(t *testing.T) {
	db, loc := riverDB(t)
	clk := clock.NewManual(time.Date(2021, 9, 23, 10, 0, 0, 0, shanghai))
	store := models.NewStore(db, clk)
	out := &recordingSender{}
	svc, err := New(Config{Store: store, Location: loc, Out: out, Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil)),
		Clock: clk, Zone: shanghai, Light: ledger.DefaultLightThresholds, Options: []Option{fastPoll}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "plan.csv")), "plan.csv", importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportPlan(ctx, models.PlanSpec{Title: "东莞", Year: 2021}, res.Rows, models.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	jobs, err := svc.Queue.Jobs(ctx, JobKindTaskDue)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 25 {
		t.Errorf("%d task_due jobs after the import, want one per task (25)", len(jobs))
	}
	// Planning twice (a restart's reconcile) adds nothing.
	if err := svc.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := svc.Queue.Jobs(ctx, JobKindTaskDue); len(again) != 25 {
		t.Errorf("%d task_due jobs after reconcile, want still 25 (nothing cancelled, nothing added)", len(again))
	}

	code, _, err := store.CreateInvite(ctx, models.PersonRef{Name: "刘洋"}, ledger.RoleOfficer, time.Hour, models.CLIActor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.RedeemInvite(ctx, code, 1003); err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer svc.Stop(ctx)

	deadline := time.After(20 * time.Second)
	for {
		if msgs := out.to(1003); len(msgs) > 0 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("no reminder from the queue within 20 s")
		case <-out.wait():
		}
	}
	// Let the other jobs of this moment finish, then check nothing more came.
	waitIdle(t, svc)
	msgs := out.to(1003)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "<b>4</b>") || !strings.Contains(msgs[0].Text, "距整改时限 7 天") {
		t.Fatalf("刘洋 got %d messages: %+v", len(msgs), msgs)
	}
	// The chain stopped at "now": task 4's next item (2021-09-27) waits.
	pending, err := svc.Queue.Jobs(ctx, JobKindTaskDue, rivertype.JobStateAvailable, rivertype.JobStateScheduled)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) == 0 {
		t.Error("no task_due job left for the days ahead")
	}
}

// waitIdle waits until no job is available with a time at or before the
// injected now's real counterpart — i.e. until the queue has worked what it
// can, bounded by a deadline.
func waitIdle(t *testing.T, svc *Service) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		running, err := svc.Queue.Jobs(ctx, JobKindNotify, rivertype.JobStateRunning, rivertype.JobStateAvailable, rivertype.JobStateRetryable)
		if err != nil {
			t.Fatal(err)
		}
		if len(running) == 0 {
			return
		}
		<-time.After(20 * time.Millisecond) // watching another goroutine's progress, not waiting for time to pass
	}
	t.Fatal("notify jobs still pending after 20 s")
}

// TestClosureCancelsWhatIsPendingAndReDatingReplans: closing a task leaves
// only its follow-up waiting; a new deadline replaces the old ladder.
func TestClosureCancelsWhatIsPendingAndReDatingReplans(t *testing.T) {
	db, loc := riverDB(t)
	clk := clock.NewManual(time.Date(2021, 9, 23, 10, 0, 0, 0, shanghai))
	store := models.NewStore(db, clk)
	svc, err := New(Config{Store: store, Location: loc, Out: &recordingSender{}, Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil)),
		Clock: clk, Zone: shanghai, Options: []Option{fastPoll}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, _ := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "plan.csv")), "plan.csv", importer.Options{PlanYear: 2021})
	if _, err := store.ImportPlan(ctx, models.PlanSpec{Title: "东莞", Year: 2021}, res.Rows, models.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	items, _ := store.TaskItemsByCode(ctx, "4")
	id := items[0].ID
	pendingOf := func() []TaskDueArgs {
		rows, err := svc.Queue.Jobs(ctx, JobKindTaskDue, rivertype.JobStateAvailable, rivertype.JobStateScheduled)
		if err != nil {
			t.Fatal(err)
		}
		var out []TaskDueArgs
		for _, r := range rows {
			var a TaskDueArgs
			if err := json.Unmarshal(r.EncodedArgs, &a); err != nil {
				t.Fatal(err)
			}
			if a.TaskID == id {
				out = append(out, a)
			}
		}
		return out
	}
	// At 10:00 on 2021-09-23 its 7-day reminder (09:00 today) has passed:
	// next is the 3-day one.
	if p := pendingOf(); len(p) != 1 || p[0].DueKind != KindReminder || p[0].Day != "2021-09-27" {
		t.Fatalf("task 4's pending jobs after import: %+v", p)
	}
	if _, err := store.ChangeDeadline(ctx, id, ledger.MustDate(2021, 12, 31), "延期", models.CLIActor); err != nil {
		t.Fatal(err)
	}
	if p := pendingOf(); len(p) != 1 || p[0].Day != "2021-12-24" {
		t.Errorf("after re-dating to 2021-12-31: %+v, want the 7-day reminder of the new date only", p)
	}
	for _, to := range []ledger.Status{ledger.StatusPendingVerification, ledger.StatusClosed} {
		if _, err := store.ChangeStatus(ctx, models.StatusChange{TaskID: id, To: to}, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	if p := pendingOf(); len(p) != 1 || p[0].DueKind != KindFollowUp {
		t.Errorf("after closing: %+v, want only the follow-up", p)
	}
}
