package scheduler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
)

// Task 4 of the Dongguan plan is due 2021-09-30 (a Thursday); then comes
// the National Day holiday (Oct 1–7) and a make-up Saturday (Oct 9). Its
// ladder once late: an overdue notice to the officer (刘洋) each working
// day — Oct 8, 9, 11, 12, 13, 14, 15, 18, … —, the leader's escalation
// (政治部主任) on the 3rd working day late (Oct 11) and the admins' on the
// 7th (Oct 15).
const (
	chainOfficer = int64(1003) // 刘洋
	chainLeader  = int64(2002) // 政治部主任
	chainAdmin   = int64(9001) // configured admin
)

// chainEnv is the scheduler on River's tables with an injected clock, its
// jobs worked by the test (see drain), not by a running River: each job is
// moved through the states River's fetch and completer give it, so River's
// uniqueness (which counts running and completed jobs) applies as in
// production.
type chainEnv struct {
	db      *gorm.DB
	store   *models.Store
	clock   *clock.Manual
	svc     *Service
	out     *recordingSender
	taskDue *TaskDueWorker
	notify  *NotifyWorker
	group   *GroupEscalationWorker
	task4   uint
	ran     map[TaskDueArgs]int // task_due jobs worked, by args
}

// newChainEnv imports the Dongguan plan at `at` (planning every task's
// first job, through the installed planner) and links the people given.
func newChainEnv(t *testing.T, at time.Time, people map[string]int64) *chainEnv {
	t.Helper()
	ctx := context.Background()
	db, loc := riverDB(t)
	clk := clock.NewManual(at)
	store := models.NewStore(db, clk)
	out := &recordingSender{store: store}
	settings := schedule.DefaultSettings(ledger.NewChinaCalendar(nil))
	admins := []int64{chainAdmin}
	svc, err := New(Config{Store: store, Location: loc, Out: out, Settings: settings, Clock: clk, Zone: shanghai,
		Light: ledger.DefaultLightThresholds, Admins: admins, Log: riverLog()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "plan.csv")), "plan.csv", importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportPlan(ctx, models.PlanSpec{Title: "东莞", Year: 2021}, res.Rows, models.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	for name, id := range people {
		code, _, err := store.CreateInvite(ctx, models.PersonRef{Name: name}, ledger.RoleOfficer, time.Hour, models.CLIActor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.RedeemInvite(ctx, code, id); err != nil {
			t.Fatal(err)
		}
	}
	items, err := store.TaskItemsByCode(ctx, "4")
	if err != nil || len(items) != 1 {
		t.Fatalf("task 4: %v, %v", items, err)
	}
	notifier := &Notifier{Store: store, Out: out, Settings: settings, Admins: admins}
	return &chainEnv{db: db, store: store, clock: clk, svc: svc, out: out, task4: items[0].ID, ran: map[TaskDueArgs]int{},
		taskDue: &TaskDueWorker{Planner: svc.Planner, Store: store, Admins: admins},
		notify:  &NotifyWorker{Notifier: notifier, Clock: clk, Zone: shanghai},
		group:   &GroupEscalationWorker{Store: store, Out: out, Settings: settings, Clock: clk, Zone: shanghai}}
}

// riverTime is t as River's driver stores a timestamp: riversqlite keeps
// text in one exact format, PostgreSQL a timestamptz.
func (e *chainEnv) riverTime(t time.Time) any {
	if models.DialectOf(e.db) == dburl.SQLite {
		return t.UTC().Round(time.Millisecond).Format("2006-01-02 15:04:05.000")
	}
	return t
}

// setState moves a job as River would: to running when fetched, to
// completed or cancelled (finalized now, by the clock) when worked.
func (e *chainEnv) setState(t *testing.T, tx *gorm.DB, id int64, state rivertype.JobState) error {
	t.Helper()
	if state == rivertype.JobStateRunning {
		return tx.Exec("UPDATE river_job SET state = 'running', attempt = attempt + 1 WHERE id = ?", id).Error
	}
	return tx.Exec("UPDATE river_job SET state = '"+string(state)+"', finalized_at = ? WHERE id = ?",
		e.riverTime(e.clock.Now()), id).Error
}

// drain works, in time order, every job due by `until` — of the task_due
// jobs, task 4's only: the other tasks' ladders are not under test, and
// working them would only slow the test — the clock set to each job's time
// as it is worked (River works a job at its time), and leaves the clock at
// `until`.
func (e *chainEnv) drain(t *testing.T, until time.Time) {
	t.Helper()
	ctx := context.Background()
	taskArg, _ := taskArgExpr(models.DialectOf(e.db))
	for range 10000 {
		var ids []int64
		if err := e.db.Table("river_job").Where("state = 'available' AND scheduled_at <= ?", e.riverTime(until)).
			Where("kind <> ? OR "+taskArg+" = ?", JobKindTaskDue, e.task4).
			Order("scheduled_at, id").Limit(1).Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			e.clock.Set(until)
			return
		}
		row, err := e.svc.Queue.Client().JobGet(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if row.ScheduledAt.After(e.clock.Now()) {
			e.clock.Set(row.ScheduledAt)
		}
		e.work(t, row)
	}
	t.Fatal("drain: the jobs never ran out")
}

// prune deletes what River's cleaner deletes by the clock's now: the jobs
// completed or cancelled more than a day before.
func (e *chainEnv) prune(t *testing.T) {
	t.Helper()
	if err := e.db.Exec("DELETE FROM river_job WHERE state IN ('completed', 'cancelled') AND finalized_at < ?",
		e.riverTime(e.clock.Now().Add(-24*time.Hour))).Error; err != nil {
		t.Fatal(err)
	}
}

// work runs one job through its worker: a task_due job as its Work does
// (run, then complete, in one transaction), a send through its Work.
func (e *chainEnv) work(t *testing.T, row *rivertype.JobRow) {
	t.Helper()
	ctx := context.Background()
	if err := e.setState(t, e.db, row.ID, rivertype.JobStateRunning); err != nil {
		t.Fatal(err)
	}
	var err error
	switch row.Kind {
	case JobKindTaskDue:
		var a TaskDueArgs
		if err := json.Unmarshal(row.EncodedArgs, &a); err != nil {
			t.Fatal(err)
		}
		e.ran[a]++
		day, perr := ledger.ParseISODate(a.Day)
		if perr != nil {
			t.Fatal(perr)
		}
		err = e.db.Transaction(func(tx *gorm.DB) error {
			tasks, err := models.LoadDueTasks(ctx, tx, models.DueFilter{TaskIDs: []uint{a.TaskID}})
			if err != nil {
				return err
			}
			if len(tasks) == 1 {
				if err := e.taskDue.run(ctx, tx, tasks[0], a.DueKind, day); err != nil {
					return err
				}
			}
			return e.setState(t, tx, row.ID, rivertype.JobStateCompleted)
		})
		if err == nil {
			return
		}
	case JobKindNotify:
		var a NotifyArgs
		if err := json.Unmarshal(row.EncodedArgs, &a); err != nil {
			t.Fatal(err)
		}
		err = e.notify.Work(ctx, &river.Job[NotifyArgs]{JobRow: row, Args: a})
	case JobKindGroupEscalation:
		var a GroupEscalationArgs
		if err := json.Unmarshal(row.EncodedArgs, &a); err != nil {
			t.Fatal(err)
		}
		err = e.group.Work(ctx, &river.Job[GroupEscalationArgs]{JobRow: row, Args: a})
	default:
		t.Fatalf("job %d of kind %s", row.ID, row.Kind)
	}
	state := rivertype.JobStateCompleted
	var cancel *river.JobCancelError
	switch {
	case errors.As(err, &cancel):
		state = rivertype.JobStateCancelled // e.g. a recipient not linked
	case err != nil:
		t.Fatalf("%s job %d (%s) at %v: %v", row.Kind, row.ID, row.EncodedArgs, e.clock.Now(), err)
	}
	if err := e.setState(t, e.db, row.ID, state); err != nil {
		t.Fatal(err)
	}
}

// mentions4 counts into got[day] the messages chat got since its
// before-th that list task 4.
func (e *chainEnv) mentions4(chat int64, got map[ledger.Date]int, day ledger.Date, before int) {
	for _, m := range e.out.to(chat)[before:] {
		if strings.Contains(m.Text, "<b>4</b>") {
			got[day]++
		}
	}
}

// waiting4 are task 4's task_due jobs waiting to run.
func (e *chainEnv) waiting4(t *testing.T) []TaskDueArgs {
	t.Helper()
	rows := listJobs(t, e.svc.Queue, JobKindTaskDue, rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable)
	var out []TaskDueArgs
	for _, r := range rows {
		var a TaskDueArgs
		if err := json.Unmarshal(r.EncodedArgs, &a); err != nil {
			t.Fatal(err)
		}
		if a.TaskID == e.task4 {
			out = append(out, a)
		}
	}
	return out
}

func daysOf(m map[ledger.Date]int) []string {
	var out []string
	for d, n := range m {
		out = append(out, fmt.Sprintf("%s×%d", d, n))
	}
	slices.Sort(out)
	return out
}

// TestTheLadderGoesOnAfterTheLeadersEscalation works task 4's chain of
// task_due jobs day by day from its first working day late: after the
// leader's escalation (Oct 11) has run, the next working days still plan
// and send the officer's overdue notices, and the 7th working day late
// (Oct 15) the admins' escalation. The escalation whose day has passed is
// in every plan made after it (an escalation is caught up, never dropped),
// so the job planned after it must pass over it: River refuses it again
// while it keeps the job that ran (unique by args; running and completed
// jobs count), and the chain would end there. Without the leader linked
// the escalation is never told, and the chain must go on all the same.
//
// With prune, River's cleaner runs every morning (it deletes the jobs
// finalized more than a day before): what ran is then known from the
// notifications only, as in production a day after.
func TestTheLadderGoesOnAfterTheLeadersEscalation(t *testing.T) {
	for _, c := range []struct{ leaderLinked, prune bool }{{true, false}, {false, false}, {true, true}, {false, true}} {
		leaderLinked := c.leaderLinked
		t.Run(fmt.Sprintf("leader linked %v, pruned %v", c.leaderLinked, c.prune), func(t *testing.T) {
			people := map[string]int64{"刘洋": chainOfficer}
			if leaderLinked {
				people["政治部主任"] = chainLeader
			}
			e := newChainEnv(t, time.Date(2021, 10, 8, 8, 0, 0, 0, shanghai), people)
			officer, leader, admin := map[ledger.Date]int{}, map[ledger.Date]int{}, map[ledger.Date]int{}
			for day := ledger.MustDate(2021, 10, 8); !day.After(ledger.MustDate(2021, 10, 20)); day = day.AddDays(1) {
				if c.prune {
					e.clock.Set(time.Date(day.Year, day.Month, day.Day, 8, 0, 0, 0, shanghai))
					e.prune(t)
				}
				before := [3]int{len(e.out.to(chainOfficer)), len(e.out.to(chainLeader)), len(e.out.to(chainAdmin))}
				e.drain(t, time.Date(day.Year, day.Month, day.Day, 18, 0, 0, 0, shanghai))
				e.mentions4(chainOfficer, officer, day, before[0])
				e.mentions4(chainLeader, leader, day, before[1])
				e.mentions4(chainAdmin, admin, day, before[2])
			}
			wantOfficer := []string{"2021-10-08×1", "2021-10-09×1", "2021-10-11×1", "2021-10-12×1", "2021-10-13×1",
				"2021-10-14×1", "2021-10-15×1", "2021-10-18×1", "2021-10-19×1", "2021-10-20×1"}
			if got := daysOf(officer); !slices.Equal(got, wantOfficer) {
				t.Errorf("the officer was told of task 4 on %v,\nwant each working day late: %v", got, wantOfficer)
			}
			wantLeader := []string{"2021-10-11×1"}
			if !leaderLinked {
				wantLeader = nil
			}
			if got := daysOf(leader); !slices.Equal(got, wantLeader) {
				t.Errorf("the leader was told of task 4 on %v, want %v", got, wantLeader)
			}
			if got, want := daysOf(admin), []string{"2021-10-15×1"}; !slices.Equal(got, want) {
				t.Errorf("the admin was told of task 4 on %v, want %v (the 7th working day late)", got, want)
			}
			// Each escalation ran once — not again once River pruned its
			// job: it was told. (One told to no one, the leader's when not
			// linked, may run again after the pruning, harmlessly: its
			// notify job is cancelled, and the leader gets it on linking.)
			escalations := []TaskDueArgs{{TaskID: e.task4, DueKind: KindEscalateAdmins, Day: "2021-10-15"}}
			if leaderLinked || !c.prune {
				escalations = append(escalations, TaskDueArgs{TaskID: e.task4, DueKind: KindEscalateLeader, Day: "2021-10-11"})
			}
			for _, a := range escalations {
				if n := e.ran[a]; n != 1 {
					t.Errorf("%s of %s ran %d times, want once", a.DueKind, a.Day, n)
				}
			}
			// The chain is alive: Oct 21's notice waits.
			if w := e.waiting4(t); len(w) != 1 || w[0] != (TaskDueArgs{TaskID: e.task4, DueKind: KindOverdue, Day: "2021-10-21"}) {
				t.Errorf("task 4's waiting jobs at the end: %+v, want the overdue notice of 2021-10-21", w)
			}
		})
	}
}

// TestPlanningALateTaskPassesOverWhatWasDone: planning a late task afresh
// (TasksChangedTx, as any ledger change and Reconcile at every start do)
// must not make an escalation already told, or already run by a job River
// still keeps, its next item: told, it would be planned again for nothing
// (and in place of the next notice); kept by River, the insert would be
// refused as a duplicate and the task left with no job at all.
func TestPlanningALateTaskPassesOverWhatWasDone(t *testing.T) {
	leader := Recipient{TelegramID: chainLeader}
	admin := Recipient{TelegramID: chainAdmin}
	for _, c := range []struct {
		name   string
		at     time.Time
		linked map[string]int64
		tell   []Recipient // told at `at`, recorded in notifications
		run    bool        // task 4's waiting job run at `at` (River keeps it)
		prune  bool        // then planned a day later, River having pruned the jobs that ran
		want   TaskDueArgs
	}{
		{name: "leader told", at: sh(2021, 10, 12, 10, 0), linked: map[string]int64{"政治部主任": chainLeader},
			tell: []Recipient{leader}, want: TaskDueArgs{DueKind: KindOverdue, Day: "2021-10-13"}},
		{name: "leader told, the job pruned", at: sh(2021, 10, 12, 10, 0), linked: map[string]int64{"政治部主任": chainLeader},
			run: true, prune: true, want: TaskDueArgs{DueKind: KindOverdue, Day: "2021-10-14"}},
		{name: "leader's job ran, the leader not linked", at: sh(2021, 10, 12, 10, 0),
			run: true, want: TaskDueArgs{DueKind: KindOverdue, Day: "2021-10-13"}},
		{name: "leader told, admins not yet", at: sh(2021, 10, 18, 10, 0), linked: map[string]int64{"政治部主任": chainLeader},
			tell: []Recipient{leader}, want: TaskDueArgs{DueKind: KindEscalateAdmins, Day: "2021-10-15"}},
		{name: "leader and admins told", at: sh(2021, 10, 18, 10, 0), linked: map[string]int64{"政治部主任": chainLeader},
			tell: []Recipient{leader, admin}, want: TaskDueArgs{DueKind: KindOverdue, Day: "2021-10-19"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			e := newChainEnv(t, c.at, c.linked)
			c.want.TaskID = e.task4
			// Imported late: the first item is the leader's escalation,
			// caught up at once.
			if w := e.waiting4(t); len(w) != 1 || w[0].DueKind != KindEscalateLeader || w[0].Day != "2021-10-11" {
				t.Fatalf("task 4's job after the import: %+v, want the leader's escalation of 2021-10-11", w)
			}
			for _, rc := range c.tell {
				if rc.TelegramID == chainLeader {
					rc.PersonID = personNamed(t, e.store, "政治部主任")
				}
				if _, err := e.notify.Notifier.Notify(ctx, rc, c.at); err != nil {
					t.Fatal(err)
				}
			}
			if c.run {
				e.drain(t, c.at)
			}
			if _, linked := c.linked["政治部主任"]; linked {
				told := map[ledger.Date]int{}
				e.mentions4(chainLeader, told, ledger.DateOf(c.at), 0)
				if len(told) != 1 {
					t.Fatalf("the leader was not told of task 4 before the planning: %v", told)
				}
			}
			e.clock.Set(c.at.Add(5 * time.Minute))
			if c.prune {
				e.clock.Set(c.at.Add(24*time.Hour + 5*time.Minute))
				e.prune(t)
			}
			// A ledger change of the task, then a restart's Reconcile.
			if err := e.db.Transaction(func(tx *gorm.DB) error {
				return e.svc.Planner.TasksChangedTx(ctx, tx, []uint{e.task4})
			}); err != nil {
				t.Fatal(err)
			}
			if w := e.waiting4(t); len(w) != 1 || w[0] != c.want {
				t.Errorf("after TasksChangedTx task 4 waits with %+v, want %+v", w, c.want)
			}
			if err := e.svc.Reconcile(ctx); err != nil {
				t.Fatal(err)
			}
			if w := e.waiting4(t); len(w) != 1 || w[0] != c.want {
				t.Errorf("after Reconcile task 4 waits with %+v, want %+v", w, c.want)
			}
		})
	}
}
