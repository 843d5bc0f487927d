package scheduler

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
)

// CatchUp is what DigestCatchUp found and did.
type CatchUp struct {
	Fire     time.Time // the latest fire of the digest schedule at or before now (zero: none)
	Run      string    // its run, GroupDigestArgs.Run
	Enqueued bool      // a job was inserted for it now
	At       time.Time // when that job may run: the run's send time, or the next window
	JobID    int64
}

// errRunTaken rolls a catch-up back when another process gave the run to a
// job between the look and the insert.
var errRunTaken = errors.New("digest run taken meanwhile")

// DigestCatchUp enqueues the digest run no process was up for. River's
// periodic job keeps its next run in the elected leader's memory, and a new
// leader schedules the first run after its start, so a fire that passed
// while every process was down is never sent by River. Start calls this
// with the clock's now; a sandbox that moves its clock may call it after a
// move.
//
// Only the latest fire at or before now is caught up, not every fire of a
// long outage: a digest reports the ledger as it is and what changed since
// the group's previous digest, so the latest covers the ones before it,
// and several digests at once would only repeat each other.
//
// The run is enqueued once however often and however many processes start:
// periodic_runs names the run's job, inserted in the same transaction as
// the job, and the worker sends only as the job that row names (so the
// periodic job's own job for the same run, should it exist, does nothing).
// A run already recorded — enqueued, sent, or given up after its last
// attempt — is left alone. A run due before the ledger's first plan is
// not caught up: there was nothing to report then, and a first start
// should not open with a digest.
func (s *Service) DigestCatchUp(ctx context.Context, now time.Time) (CatchUp, error) {
	set, loc := s.Digest.Settings, zone(s.Digest.Zone)
	spec, err := schedule.ParseDigestSchedule(cmp.Or(set.DigestSchedule, schedule.DefaultDigestCron))
	if err != nil {
		return CatchUp{}, fmt.Errorf("digest catch-up: %w", err)
	}
	// Fires are read in the zone, as DigestTimes reads them.
	fire, ok := lastFire(spec, now.In(loc))
	if !ok {
		return CatchUp{}, nil
	}
	send := set.NextSendTime(fire, loc)
	c := CatchUp{Fire: fire, Run: DigestRunKey(send), At: send}
	if send.Before(now) {
		c.At = set.NextSendTime(now, loc)
	}
	db := s.store.DB()
	since, ok, err := models.LedgerSince(ctx, db)
	if err != nil || !ok || send.Before(since) {
		return CatchUp{Fire: fire, Run: c.Run}, wrapCatchUp(err)
	}
	if _, ok, err := models.FindPeriodicRun(ctx, db, JobKindGroupDigest, c.Run); err != nil || ok {
		return CatchUp{Fire: fire, Run: c.Run}, wrapCatchUp(err)
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		job, err := s.Queue.insertOneTx(ctx, tx, GroupDigestArgs{Run: c.Run}, &river.InsertOpts{ScheduledAt: c.At})
		if err != nil {
			return err
		}
		mine, err := models.ClaimPeriodicRun(ctx, tx, JobKindGroupDigest, c.Run, job.ID, now)
		if err != nil {
			return err
		}
		if !mine {
			return errRunTaken
		}
		c.JobID = job.ID
		return nil
	})
	switch {
	case errors.Is(err, errRunTaken):
		return CatchUp{Fire: fire, Run: c.Run}, nil
	case err != nil:
		return CatchUp{Fire: fire, Run: c.Run}, fmt.Errorf("digest catch-up %s: %w", c.Run, err)
	}
	c.Enqueued = true
	s.log.InfoContext(ctx, "digest missed while down: enqueued", slog.String("run", c.Run),
		slog.Time("fire", fire), slog.Time("at", c.At), slog.Int64("job", c.JobID))
	return c, nil
}

func wrapCatchUp(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("digest catch-up: %w", err)
}

// lastFire is the latest fire of sched at or before now, looked for in
// growing spans back (cron only counts forward): a day or two for the
// usual schedules, up to five years for a yearly one.
func lastFire(sched cron.Schedule, now time.Time) (time.Time, bool) {
	for _, back := range []time.Duration{48 * time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour, 5 * 366 * 24 * time.Hour} {
		var last time.Time
		for f := sched.Next(now.Add(-back)); !f.IsZero() && !f.After(now); f = sched.Next(f) {
			last = f
		}
		if !last.IsZero() {
			return last, true
		}
	}
	return time.Time{}, false
}

// insertOneTx inserts one job in the GORM transaction tx and returns it.
func (q *Queue) insertOneTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error) {
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return nil, err
	}
	res, err := q.client.InsertTx(ctx, sqlTx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("job queue: insert: %w", err)
	}
	return res.Job, nil
}

// digestRun names the run of a digest job inserted without one — the
// periodic job's, whose constructor River calls without its fire time — by
// the ScheduledAt River gives it, which is the run's send time
// (DigestTimes). Named at insert, the run survives snoozes, which move
// ScheduledAt.
type digestRun struct{ river.HookDefaults }

func (*digestRun) InsertBegin(_ context.Context, p *rivertype.JobInsertParams) error {
	if p.Kind != JobKindGroupDigest || p.ScheduledAt == nil {
		return nil
	}
	var a GroupDigestArgs
	if err := json.Unmarshal(p.EncodedArgs, &a); err != nil {
		return fmt.Errorf("digest job: %w", err)
	}
	if a.Run != "" {
		return nil
	}
	a.Run = DigestRunKey(*p.ScheduledAt)
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("digest job: %w", err)
	}
	p.Args, p.EncodedArgs = a, b
	return nil
}
