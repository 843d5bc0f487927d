package scheduler

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/models"
)

// Planner implements models.Planner: in the transaction of a ledger change
// it inserts each changed task's next due item as a task_due job. Only the
// next one: when it runs, its worker plans the one after (a chain), so a
// task has one pending job whatever its ladder, and a re-dated task's old
// job finds itself out of plan and does nothing.
type Planner struct {
	Queue    *Queue
	Settings Settings
	Clock    clock.Clock
	Zone     *time.Location // the installation's zone, for a person's send window
}

var _ models.Planner = (*Planner)(nil)

// planHorizon bounds how far ahead the next due item is looked for; a
// yearly check-in is the furthest.
const planHorizon = 400 * 24 * time.Hour

// nextHorizons are the look-aheads next tries in turn, up to planHorizon.
// Plan lists everything due in its range — an overdue task has a notice on
// every working day, some 270 in 400 days — while only the first is wanted;
// nearly every task has one within a week or two, so looking that far first
// spares computing and sorting hundreds of Dues per task (most of the
// CPU Reconcile spent in Go).
var nextHorizons = []time.Duration{8 * 24 * time.Hour, 64 * 24 * time.Hour, planHorizon}

// TasksChangedTx implements models.Planner: the tasks' waiting jobs are
// cancelled and each task's next due item planned afresh; a task whose
// waiting job already is that item keeps it untouched.
func (p *Planner) TasksChangedTx(ctx context.Context, tx *gorm.DB, taskIDs []uint) error {
	now := p.Clock.Now()
	var jobs []river.InsertManyParams
	keep := map[uint]TaskDueArgs{}
	for start := 0; start < len(taskIDs); start += 1000 {
		tasks, err := models.LoadDueTasks(ctx, tx, models.DueFilter{TaskIDs: taskIDs[start:min(len(taskIDs), start+1000)]})
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if d, ok := p.next(stateOf(t), now); ok {
				job := TaskDueJob(d)
				keep[d.TaskID] = job.Args.(TaskDueArgs)
				jobs = append(jobs, job)
			}
		}
	}
	planned, err := p.Queue.cancelPendingTx(ctx, tx, taskIDs, keep)
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

// next is the task's first due item from `from` on, within planHorizon.
// Plan over a shorter range is the longer range's plan cut at its end (Plan
// is a function of its arguments, and each Due's time does not depend on
// the horizon), so the first item found in the shortest range that has one
// is the first of the whole range.
func (p *Planner) next(st TaskState, from time.Time) (Due, bool) {
	for _, h := range nextHorizons {
		if plan := p.Settings.Plan(st, from, from.Add(h)); len(plan) > 0 {
			return plan[0], true
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
