package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

// TestDigestMissedWhileDownGoesOutOnce: every process was down over
// Tuesday 2021-11-16 09:00, the half-monthly digest's time. Two replicas
// start at once at 14:00: one of them enqueues the run, the digest goes
// out once, and nothing sends it again — not a restart, not a third
// process, not the job run twice, not the periodic job's own job for the
// run, not a start days later when River has long pruned the jobs.
func TestDigestMissedWhileDownGoesOutOnce(t *testing.T) {
	ctx := context.Background()
	e := newDigestEnv(t, sh(2021, 11, 15, 10, 0))
	now := sh(2021, 11, 16, 14, 0)
	e.clock.Set(now)
	a, b := e.process(t), e.process(t)

	type result struct {
		c   CatchUp
		err error
	}
	results := make(chan result, 2)
	for _, svc := range []*Service{a, b} {
		go func() {
			c, err := svc.DigestCatchUp(ctx, now)
			results <- result{c, err}
		}()
	}
	enqueued := 0
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.c.Run != "2021-11-16T01" || !r.c.Fire.Equal(sh(2021, 11, 16, 9, 0)) {
			t.Errorf("catch-up found %+v, want the run of 2021-11-16 09:00", r.c)
		}
		if r.c.Enqueued {
			enqueued++
			if !r.c.At.Equal(now) {
				t.Errorf("enqueued for %v, want now (%v): it is inside working hours", r.c.At, now)
			}
		}
	}
	if enqueued != 1 {
		t.Fatalf("two replicas starting at once enqueued %d digests, want 1", enqueued)
	}
	for i, svc := range []*Service{a, b, e.process(t)} {
		if c := catchUp(t, svc, now); c.Enqueued {
			t.Errorf("start %d after the first enqueued the run again: %+v", i+1, c)
		}
	}
	jobs := digestJobs(t, a)
	if len(jobs) != 1 || jobs[0].Args.Run != "2021-11-16T01" {
		t.Fatalf("digest jobs: %+v, want one for run 2021-11-16T01", jobs)
	}

	if n := work(t, a); n != 0 {
		t.Fatalf("%d jobs snoozed at 14:00 on a working day", n)
	}
	e.wantDigests(t, 1, "after the restart")

	// The same job again (a retry, or a rescue by the other replica), and
	// the job River's periodic job inserts for the run when its leader saw
	// the fire: each finds the run taken or done.
	periodicEnqueue(t, b, sh(2021, 11, 16, 9, 0))
	work(t, b)
	e.wantDigests(t, 1, "after the job ran again and the periodic job's own ran")

	// Days later: River has pruned the jobs; the record still tells.
	if err := e.db.Exec("DELETE FROM river_job WHERE kind = ?", JobKindGroupDigest).Error; err != nil {
		t.Fatal(err)
	}
	e.clock.Set(sh(2021, 11, 20, 10, 0))
	if c := catchUp(t, e.process(t), e.clock.Now()); c.Enqueued {
		t.Errorf("a start four days later enqueued the run again: %+v", c)
	}
	rec, ok, err := models.FindPeriodicRun(ctx, e.db, JobKindGroupDigest, "2021-11-16T01")
	if err != nil || !ok || rec.DoneAt == nil || rec.JobID != jobs[0].ID {
		t.Errorf("the run's record: %+v, %v, %v; want done by job %d", rec, ok, err, jobs[0].ID)
	}
	e.wantDigests(t, 1, "in the end")
}

// TestDigestCaughtUpOutsideWorkingHoursWaitsForTheWindow: a catch-up found
// at 07:00, or on a holiday, is sent when the next send window opens, once.
func TestDigestCaughtUpOutsideWorkingHoursWaitsForTheWindow(t *testing.T) {
	t.Run("at 07:00 the next morning", func(t *testing.T) {
		e := newDigestEnv(t, sh(2021, 11, 1, 10, 0))
		now := sh(2021, 11, 17, 7, 0)
		e.clock.Set(now)
		svc := e.process(t)
		c := catchUp(t, svc, now)
		if !c.Enqueued || c.Run != "2021-11-16T01" || !c.At.Equal(sh(2021, 11, 17, 9, 0)) {
			t.Fatalf("catch-up: %+v; want the run of 11-16 enqueued for 11-17 09:00", c)
		}
		if jobs := digestJobs(t, svc); len(jobs) != 1 || !jobs[0].ScheduledAt.Equal(c.At) {
			t.Fatalf("digest jobs: %+v, want one at %v", jobs, c.At)
		}
		if n := work(t, svc); n != 1 {
			t.Fatalf("at 07:00 the job did not wait (%d snoozed)", n)
		}
		e.wantDigests(t, 0, "at 07:00")
		e.clock.Set(c.At)
		work(t, svc)
		e.wantDigests(t, 1, "at 09:00")
	})

	t.Run("on a holiday", func(t *testing.T) {
		// 2021-10-01 09:00 fell in the National Day holiday (10-01 to
		// 10-07): its digest goes out on Friday 10-08, the first working
		// morning, whether River's periodic job or the catch-up sends it.
		e := newDigestEnv(t, sh(2021, 9, 15, 10, 0))
		now := sh(2021, 10, 3, 11, 0)
		e.clock.Set(now)
		svc := e.process(t)
		c := catchUp(t, svc, now)
		opening := sh(2021, 10, 8, 9, 0)
		if !c.Enqueued || !c.Fire.Equal(sh(2021, 10, 1, 9, 0)) || c.Run != DigestRunKey(opening) || !c.At.Equal(opening) {
			t.Fatalf("catch-up: %+v; want the fire of 10-01 enqueued for %v", c, opening)
		}
		if n := work(t, svc); n != 1 {
			t.Fatalf("on a holiday the job did not wait (%d snoozed)", n)
		}
		e.wantDigests(t, 0, "on the holiday")
		// The process stayed up: River's periodic job inserts its own job
		// for the same run at the opening.
		periodicEnqueue(t, svc, opening)
		e.clock.Set(opening)
		work(t, svc)
		e.wantDigests(t, 1, "on the first working morning")
	})
}

// TestDigestAlreadySentIsNotSentAgain: a run River's periodic job sent is
// not caught up at the next start, nor one the version before this record
// sent (its deliveries name the run).
func TestDigestAlreadySentIsNotSentAgain(t *testing.T) {
	t.Run("sent by the periodic job", func(t *testing.T) {
		e := newDigestEnv(t, sh(2021, 11, 1, 10, 0))
		e.clock.Set(sh(2021, 11, 16, 9, 0))
		a := e.process(t)
		periodicEnqueue(t, a, e.clock.Now())
		if jobs := digestJobs(t, a); len(jobs) != 1 || jobs[0].Args.Run != "2021-11-16T01" {
			t.Fatalf("the periodic job's job: %+v; want its run named from its send time", jobs)
		}
		work(t, a)
		e.wantDigests(t, 1, "at 09:00")
		// A day later River has pruned the completed job.
		if err := e.db.Exec("DELETE FROM river_job WHERE kind = ?", JobKindGroupDigest).Error; err != nil {
			t.Fatal(err)
		}
		e.clock.Set(sh(2021, 11, 17, 10, 0))
		b := e.process(t)
		if c := catchUp(t, b, e.clock.Now()); c.Enqueued || c.Run != "2021-11-16T01" {
			t.Fatalf("the next day's start: %+v; want the sent run recognised", c)
		}
		if jobs := digestJobs(t, b); len(jobs) != 0 {
			t.Fatalf("digest jobs after the restart: %+v", jobs)
		}
		e.wantDigests(t, 1, "after the restart")
	})

	t.Run("sent before runs were recorded", func(t *testing.T) {
		e := newDigestEnv(t, sh(2021, 11, 1, 10, 0))
		a := e.process(t)
		if err := a.Digest.Send(context.Background(), sh(2021, 11, 16, 9, 0), "2021-11-16T01"); err != nil {
			t.Fatal(err)
		}
		e.wantDigests(t, 1, "sent")
		e.clock.Set(sh(2021, 11, 16, 15, 0))
		b := e.process(t)
		if c := catchUp(t, b, e.clock.Now()); !c.Enqueued {
			t.Fatalf("catch-up: %+v; with no record the run is enqueued", c)
		}
		work(t, b)
		e.wantDigests(t, 1, "after the catch-up: the deliveries' keys name the run")
	})
}

// TestStartCatchesUpAndPlansInTheBackground: a digest was missed; two
// replicas start River at once, and in the background one of them catches
// the digest up and both plan every task; River sends the digest once. On
// SQLite one process owns the file (a ledger transaction of a second one
// fails with SQLITE_BUSY whenever the first wrote since it read, see
// Queue), so there the second process starts after the first stopped: the
// restart.
func TestStartCatchesUpAndPlansInTheBackground(t *testing.T) {
	ctx := context.Background()
	e := newDigestEnv(t, sh(2021, 11, 15, 10, 0))
	e.clock.Set(sh(2021, 11, 16, 14, 0))
	rounds := [][]*Service{{e.process(t, fastPoll), e.process(t, fastPoll)}}
	if e.loc.Dialect == dburl.SQLite {
		rounds = [][]*Service{rounds[0][:1], rounds[0][1:]}
	}
	var digestDone []<-chan *river.Event
	for _, round := range rounds {
		for _, svc := range round {
			events, unsubscribe := svc.Queue.Client().Subscribe(river.EventKindJobCompleted)
			t.Cleanup(unsubscribe)
			digestDone = append(digestDone, nextEventOf(events, func(ev *river.Event) bool { return ev.Job.Kind == JobKindGroupDigest }))
			if err := svc.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { stopService(t, svc) })
		}
		for i, svc := range round {
			select {
			case <-svc.ReconcileDone():
				if err := svc.ReconcileErr(); err != nil {
					t.Fatalf("process %d: %v", i+1, err)
				}
			case <-time.After(eventWait):
				t.Fatalf("process %d: the startup work did not end within %v", i+1, eventWait)
			}
		}
		if n := len(listJobs(t, round[0].Queue, JobKindTaskDue)); n < 25 {
			t.Errorf("%d task_due jobs after the start, want one or more for each of the 25 tasks", n)
		}
		if len(rounds) > 1 && round[0] == rounds[0][0] {
			select {
			case <-digestDone[0]:
			case <-time.After(eventWait):
				t.Fatalf("the digest was not sent within %v", eventWait)
			}
			stopService(t, round[0])
		}
	}
	if len(rounds) == 1 {
		select {
		case <-digestDone[0]:
		case <-digestDone[1]:
		case <-time.After(eventWait):
			t.Fatalf("the digest was not sent within %v", eventWait)
		}
	}
	e.wantDigests(t, 1, "after both processes started")
	if jobs := listJobs(t, rounds[0][0].Queue, JobKindGroupDigest); len(jobs) != 1 || jobs[0].State != rivertype.JobStateCompleted {
		t.Errorf("digest jobs: %+v, want one, completed", jobs)
	}
}

func stopService(t *testing.T, svc *Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), eventWait)
	defer cancel()
	if err := svc.Stop(ctx); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// nextEventOf forwards the first event of events that keep accepts.
func nextEventOf(events <-chan *river.Event, keep func(*river.Event) bool) <-chan *river.Event {
	out := make(chan *river.Event, 1)
	go func() {
		for ev := range events {
			if keep(ev) {
				out <- ev
				return
			}
		}
	}()
	return out
}
