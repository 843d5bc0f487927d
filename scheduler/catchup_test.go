package scheduler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
)

// digestEnv is a ledger (the Dongguan plan, imported at `since`) with one
// group subscribed to digests and one configured admin, on a database with
// River's tables, and the processes ("replicas") run on it. The processes
// are built but River is not started: the tests call the catch-up and the
// worker themselves, at the times they set on the clock.
type digestEnv struct {
	db        *gorm.DB
	loc       dburl.Location
	clock     *clock.Manual
	out       *recordingSender
	processes int
}

const (
	digestGroup = -1
	digestAdmin = 9001
)

func newDigestEnv(t *testing.T, since time.Time) *digestEnv {
	t.Helper()
	ctx := context.Background()
	db, loc := riverDB(t)
	clk := clock.NewManual(since)
	store := models.NewStore(db, clk)
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "plan.csv")), "plan.csv", importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportPlan(ctx, models.PlanSpec{Title: "东莞", Year: 2021}, res.Rows, models.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveGroup(ctx, models.GroupSettings{ChatID: digestGroup, Title: "整改工作群", Digests: true}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	return &digestEnv{db: db, loc: loc, clock: clk, out: &recordingSender{store: store}}
}

// process is one process on the ledger: the first uses the environment's
// pool, each later one a pool of its own (another replica, or the same
// machine restarted).
func (e *digestEnv) process(t *testing.T, opts ...Option) *Service {
	t.Helper()
	db := e.db
	if e.processes++; e.processes > 1 {
		var err error
		if db, err = models.Open(context.Background(), e.loc, riverLog()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = models.Close(db) })
	}
	svc, err := New(Config{Store: models.NewStore(db, e.clock), Location: e.loc, Out: e.out,
		Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil)), Clock: e.clock, Zone: shanghai,
		Light: ledger.DefaultLightThresholds, Admins: []int64{digestAdmin}, Log: riverLog(), Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// digests counts the digest messages each recipient got.
func (e *digestEnv) digests() (group, admin int) {
	for _, m := range e.out.to(digestGroup) {
		if m.Kind == "digest" {
			group++
		}
	}
	for _, m := range e.out.to(digestAdmin) {
		if m.Kind == "digest" {
			admin++
		}
	}
	return group, admin
}

func (e *digestEnv) wantDigests(t *testing.T, want int, when string) {
	t.Helper()
	if g, a := e.digests(); g != want || a != want {
		t.Fatalf("%s: the group got %d digests and the admin %d, want %d each", when, g, a, want)
	}
}

// digestJobs lists the group_digest jobs still in the queue.
func digestJobs(t *testing.T, svc *Service) []*river.Job[GroupDigestArgs] {
	t.Helper()
	var out []*river.Job[GroupDigestArgs]
	for _, row := range listJobs(t, svc.Queue, JobKindGroupDigest) {
		j := &river.Job[GroupDigestArgs]{JobRow: row}
		if err := json.Unmarshal(row.EncodedArgs, &j.Args); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

// work runs every digest job in the queue as River would, at the clock's
// time, and returns how many asked to wait (snoozed).
func work(t *testing.T, svc *Service) (snoozed int) {
	t.Helper()
	for _, j := range digestJobs(t, svc) {
		err := svc.Digest.Work(context.Background(), j)
		var snooze *river.JobSnoozeError
		switch {
		case errors.As(err, &snooze):
			snoozed++
		case err != nil:
			t.Fatalf("job %d: %v", j.ID, err)
		}
	}
	return snoozed
}

// catchUp runs the catch-up of a process starting now.
func catchUp(t *testing.T, svc *Service, now time.Time) CatchUp {
	t.Helper()
	c, err := svc.DigestCatchUp(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// periodicEnqueue inserts the job River's periodic job inserts at a fire:
// no run named, ScheduledAt the send time.
func periodicEnqueue(t *testing.T, svc *Service, send time.Time) {
	t.Helper()
	if err := svc.store.DB().Transaction(func(tx *gorm.DB) error {
		return svc.Queue.InsertTx(context.Background(), tx, GroupDigestArgs{}, &river.InsertOpts{ScheduledAt: send})
	}); err != nil {
		t.Fatal(err)
	}
}

// TestLastFire: the latest fire at or before now, in the zone the fires
// are read in.
func TestLastFire(t *testing.T) {
	spec, err := schedule.ParseDigestSchedule(schedule.DefaultDigestCron)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		now, want time.Time
	}{
		{sh(2021, 11, 16, 9, 0), sh(2021, 11, 16, 9, 0)},
		{sh(2021, 11, 16, 8, 59), sh(2021, 11, 1, 9, 0)},
		{sh(2021, 11, 30, 23, 0), sh(2021, 11, 16, 9, 0)},
		{sh(2022, 1, 1, 8, 0), sh(2021, 12, 16, 9, 0)},
	} {
		if got, ok := lastFire(spec, c.now); !ok || !got.Equal(c.want) {
			t.Errorf("lastFire(%v) = %v, %v; want %v", c.now, got, ok, c.want)
		}
	}
	yearly, _ := schedule.ParseDigestSchedule("0 9 1 3 *")
	if got, ok := lastFire(yearly, sh(2023, 2, 1, 0, 0)); !ok || !got.Equal(sh(2022, 3, 1, 9, 0)) {
		t.Errorf("a yearly schedule: %v, %v", got, ok)
	}
}

// TestNoCatchUpOfARunBeforeTheLedger: a first start does not open with the
// digest of a time when there was no ledger to report on.
func TestNoCatchUpOfARunBeforeTheLedger(t *testing.T) {
	e := newDigestEnv(t, sh(2021, 11, 16, 10, 0)) // imported after 09:00's digest time
	e.clock.Set(sh(2021, 11, 16, 11, 0))
	svc := e.process(t)
	if c := catchUp(t, svc, e.clock.Now()); c.Enqueued || c.Run != "2021-11-16T01" {
		t.Fatalf("catch-up: %+v; want the run found and left alone", c)
	}
	if jobs := digestJobs(t, svc); len(jobs) != 0 {
		t.Fatalf("digest jobs: %+v", jobs)
	}
}
