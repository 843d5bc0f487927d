package scheduler

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
)

// Planner implements models.Planner: in the transaction of a ledger change
// it inserts each changed task's next due item as a task_due job. Only the
// next one: when it runs, its worker plans the one after (a chain), so a
// task has one pending job whatever its ladder, and a re-dated task's old
// job finds itself out of plan and does nothing.
type Planner struct {
	Queue    *Queue
	Settings schedule.Settings
	Clock    clock.Clock
	Zone     *time.Location // the installation's zone, for a person's send window
}

var _ models.Planner = (*Planner)(nil)

// planHorizon bounds how far ahead the next due item is looked for; a
// yearly check-in is the furthest.
const planHorizon = 400 * 24 * time.Hour

// nextHorizons are the look-aheads nextTx tries in turn, up to planHorizon.
// Plan lists everything due in its range — an overdue task has a notice on
// every working day, some 270 in 400 days — while only the first (not yet
// done) is wanted; nearly every task has one within a week or two, so
// looking that far first spares computing and sorting hundreds of Dues per
// task (most of the CPU Reconcile spent in Go).
var nextHorizons = []time.Duration{8 * 24 * time.Hour, 64 * 24 * time.Hour, planHorizon}

// TasksChangedTx implements models.Planner: the tasks' waiting jobs are
// cancelled and each task's next due item planned afresh; a task whose
// waiting job already is that item keeps it untouched. Whatever the number
// of tasks, it reads their task_due jobs in one lookup and the
// notifications in one query per 1,000 keys (see nextTx), so Reconcile,
// batch after batch, stays linear in the ledger.
func (p *Planner) TasksChangedTx(ctx context.Context, tx *gorm.DB, taskIDs []uint) error {
	if len(taskIDs) == 0 {
		return nil
	}
	now := p.Clock.Now()
	states := make([]TaskState, 0, len(taskIDs))
	for start := 0; start < len(taskIDs); start += 1000 {
		tasks, err := models.LoadDueTasks(ctx, tx, models.DueFilter{TaskIDs: taskIDs[start:min(len(taskIDs), start+1000)]})
		if err != nil {
			return err
		}
		for _, t := range tasks {
			states = append(states, stateOf(t))
		}
	}
	held, err := p.Queue.taskDueJobsTx(ctx, tx, taskIDs)
	if err != nil {
		return err
	}
	nexts, err := p.nextTx(ctx, tx, states, now, ran(held))
	if err != nil {
		return err
	}
	jobs := make([]river.InsertManyParams, 0, len(nexts))
	keep := make(map[uint]TaskDueArgs, len(nexts))
	for _, d := range nexts {
		keep[d.TaskID] = dueArgs(d)
		jobs = append(jobs, TaskDueJob(d))
	}
	planned, err := p.Queue.cancelPendingTx(ctx, tx, held, keep)
	if err != nil {
		return err
	}
	jobs = slices.DeleteFunc(jobs, func(j river.InsertManyParams) bool { return planned[j.Args.(TaskDueArgs).TaskID] })
	if len(jobs) == 0 {
		return nil
	}
	if err := p.Queue.InsertManyTx(ctx, tx, jobs); err != nil {
		return fmt.Errorf("plan %d tasks: %w", len(taskIDs), err)
	}
	return nil
}

// nextTx is each task's next due item from `from` on, within planHorizon,
// that is not done: neither in done (the caller's: the Dues whose jobs
// River holds as run, and the one being run) nor told (notifications).
//
// Why it must pass over what was done: an escalation whose time has passed
// is caught up, not dropped (see Plan), so it stays in every plan made
// after its day — at the head, going out at the first window from `from`.
// Planned again after it ran, River would refuse its job as a duplicate
// (while it keeps the job that ran) and the task's chain would end there:
// no more overdue notices, no admins' escalation. After River has pruned
// that job it would run again for nothing, in place of the next notice.
// Told is the durable record; River's is what covers an escalation run but
// told to no one (a leader who has not linked Telegram gets it on linking,
// from the Notifier).
//
// Only the dues of from's day or before can have been told (a due goes out
// on its day or later), so only their keys are looked up: per task the
// escalations caught up and what is left of today, a handful; one query
// per 1,000 keys for all the tasks.
func (p *Planner) nextTx(ctx context.Context, tx *gorm.DB, states []TaskState, from time.Time, done map[TaskDueArgs]bool) ([]Due, error) {
	ladders := make([]ladder, len(states))
	var keys []string
	for i, st := range states {
		ladders[i] = p.ladderOf(st, from)
		for _, d := range ladders[i].plan {
			if !d.Day.After(ladders[i].today) && !done[dueArgs(d)] {
				keys = append(keys, d.UniqueKey())
			}
		}
	}
	told, err := models.LoadNotified(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	out := make([]Due, 0, len(states))
	for _, l := range ladders {
		if d, ok := p.first(l, func(d Due) bool { return done[dueArgs(d)] || told[d.UniqueKey()] }); ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// ladder is the head of a task's plan from `from`: Plan over the first of
// nextHorizons whose range reaches past from's day (all of planHorizon if
// none does). So it holds every due of from's day or before that the plan
// has: they come first in Plan's order, as an escalation caught up goes out
// at the first window from `from`, and what is left of today in today's
// window, no later than anything of a later day.
type ladder struct {
	st    TaskState
	from  time.Time
	today ledger.Date // from's day in the task's zone
	h     int         // the index in nextHorizons of plan's range
	plan  []Due
}

func (p *Planner) ladderOf(st TaskState, from time.Time) ladder {
	l := ladder{st: st, from: from, today: ledger.DateOf(from.In(zone(st.Location)))}
	for l.h = range nextHorizons {
		l.plan = Plan(p.Settings, st, from, from.Add(nextHorizons[l.h]))
		if slices.ContainsFunc(l.plan, func(d Due) bool { return d.Day.After(l.today) }) {
			break
		}
	}
	return l
}

// first is the ladder's first due item that skip does not pass over,
// within planHorizon. Plan over a shorter range is the longer range's plan
// cut at its end (Plan is a function of its arguments, and each Due's time
// does not depend on the horizon), so the first item found in the shortest
// range that has one is the first of the whole range. Looking no further
// than needed spares computing and sorting hundreds of Dues per task (an
// overdue task has a notice on every working day, some 270 in 400 days):
// most of the CPU Reconcile spent in Go.
func (p *Planner) first(l ladder, skip func(Due) bool) (Due, bool) {
	for h := l.h; h < len(nextHorizons); h++ {
		plan := l.plan
		if h > l.h {
			plan = Plan(p.Settings, l.st, l.from, l.from.Add(nextHorizons[h]))
		}
		for _, d := range plan {
			if !skip(d) {
				return d, true
			}
		}
	}
	return Due{}, false
}

// PersonLinkedTx implements models.Planner: whatever waited for the person
// goes out at once (inside the next send window).
func (p *Planner) PersonLinkedTx(ctx context.Context, tx *gorm.DB, personID uint) error {
	window := p.Settings.NextSendTime(p.Clock.Now(), p.Zone).UTC().Truncate(time.Minute)
	return p.Queue.InsertTx(ctx, tx, NotifyArgs{PersonID: personID, Window: window}, &river.InsertOpts{ScheduledAt: window})
}
