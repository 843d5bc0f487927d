package scheduler

import (
	"context"
	"fmt"
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

// TasksChangedTx implements models.Planner: the tasks' waiting jobs are
// cancelled and each task's next due item planned afresh.
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
	if err := p.Queue.cancelPendingTx(ctx, tx, taskIDs, keep); err != nil {
		return err
	}
	if len(jobs) == 0 {
		return nil
	}
	if err := p.Queue.InsertManyTx(ctx, tx, jobs); err != nil {
		return fmt.Errorf("plan %d tasks: %w", len(taskIDs), err)
	}
	return nil
}

// next is the task's first due item from `from` on.
func (p *Planner) next(st TaskState, from time.Time) (Due, bool) {
	plan := p.Settings.Plan(st, from, from.Add(planHorizon))
	if len(plan) == 0 {
		return Due{}, false
	}
	return plan[0], true
}

// PersonLinkedTx implements models.Planner: whatever waited for the person
// goes out at once (inside the next send window).
func (p *Planner) PersonLinkedTx(ctx context.Context, tx *gorm.DB, personID uint) error {
	window := p.Settings.NextSendTime(p.Clock.Now(), p.Zone).UTC().Truncate(time.Minute)
	return p.Queue.InsertTx(ctx, tx, NotifyArgs{PersonID: personID, Window: window}, &river.InsertOpts{ScheduledAt: window})
}
