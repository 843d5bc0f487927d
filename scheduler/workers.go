package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// TaskDueWorker runs a task's planned due item: if the task (read now)
// still warrants it, the people concerned get a notify job for its window —
// many tasks' items in one window collapse into one message per person —
// and the task's next due item is planned. All in one transaction.
type TaskDueWorker struct {
	river.WorkerDefaults[TaskDueArgs]
	Planner *Planner
	Store   *models.Store
	Admins  []int64 // configured admin Telegram ids
}

// Work implements river.Worker.
func (w *TaskDueWorker) Work(ctx context.Context, job *river.Job[TaskDueArgs]) error {
	day, err := ledger.ParseISODate(job.Args.Day)
	if err != nil {
		return river.JobCancel(fmt.Errorf("task_due: %w", err))
	}
	return w.Store.DB().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tasks, err := models.LoadDueTasks(ctx, tx, models.DueFilter{TaskIDs: []uint{job.Args.TaskID}})
		if err != nil {
			return err
		}
		if len(tasks) == 1 {
			if err := w.run(ctx, tx, tasks[0], job.Args.DueKind, day); err != nil {
				return err
			}
		}
		return CompleteTx(ctx, tx, job)
	})
}

func (w *TaskDueWorker) run(ctx context.Context, tx *gorm.DB, t models.DueTask, kind Kind, day ledger.Date) error {
	st := stateOf(t)
	loc := zone(st.Location)
	now := w.Planner.Clock.Now()
	var due *Due
	for _, d := range Plan(w.Planner.Settings, st, day.StartIn(loc), now.Add(planHorizon)) {
		if d.Kind == kind && d.Day == day {
			due = &d
			break
		}
	}
	if due == nil {
		// Re-dated, closed or reopened since it was planned: the change
		// planned what is due now.
		return nil
	}
	if due.At.After(now) {
		// Not yet, by the injected clock (River ran it by the database's
		// clock): wait. In production both clocks agree.
		return river.JobSnooze(due.At.Sub(now))
	}
	window := due.At.UTC()
	var notify []river.InsertManyParams
	add := func(a NotifyArgs) {
		a.Window = window
		notify = append(notify, river.InsertManyParams{Args: a, InsertOpts: &river.InsertOpts{ScheduledAt: window}})
	}
	switch kind {
	case KindEscalateLeader:
		add(NotifyArgs{PersonID: t.LeaderID})
		notify = append(notify, river.InsertManyParams{Args: GroupEscalationArgs{TaskID: t.ID, Day: day.String()},
			InsertOpts: &river.InsertOpts{ScheduledAt: window}})
	case KindEscalateAdmins:
		admins, err := loadAdmins(ctx, tx, t.UnitID)
		if err != nil {
			return err
		}
		for _, p := range admins {
			add(NotifyArgs{PersonID: p})
		}
		for _, id := range w.Admins {
			add(NotifyArgs{TelegramID: id})
		}
	default:
		add(NotifyArgs{PersonID: t.OfficerID})
	}
	// The next item: not this one, nor anything else done (an escalation
	// caught up stays in every plan after its day; see nextTx).
	held, err := w.Planner.Queue.taskDueJobsTx(ctx, tx, []uint{t.ID})
	if err != nil {
		return err
	}
	next, err := w.Planner.nextTx(ctx, tx, []TaskState{st}, maxTime(now, due.At).Add(time.Second), ran(held, dueArgs(*due)))
	if err != nil {
		return err
	}
	for _, d := range next {
		notify = append(notify, TaskDueJob(d))
	}
	return w.Planner.Queue.InsertManyTx(ctx, tx, notify)
}

// loadAdmins lists the admins a task's escalation goes to: the office
// above the units and the task's own unit's admins, never another unit's.
func loadAdmins(ctx context.Context, tx *gorm.DB, unitID uint) ([]uint, error) {
	var ids []uint
	err := tx.WithContext(ctx).Table("person_roles pr").Joins("JOIN people pe ON pe.id = pr.person_id").
		Where("pr.role = ? AND (pe.unit_id IS NULL OR pe.unit_id = ?)", string(ledger.RoleAdmin), unitID).
		Order("pr.person_id").Pluck("pr.person_id", &ids).Error
	return ids, err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// NotifyWorker sends a person everything due for them, inside the send
// window. Claiming is River's (exactly once); sending is at least once —
// the delivery is recorded right after Telegram accepts it, and a job run
// again skips what its key shows was sent.
type NotifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	Notifier *Notifier
	Clock    clock.Clock
	Zone     *time.Location
}

// Work implements river.Worker.
func (w *NotifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	now := w.Clock.Now()
	if !w.Notifier.Settings.InWindow(now, w.Zone) {
		return river.JobSnooze(w.Notifier.Settings.NextSendTime(now, w.Zone).Sub(now))
	}
	_, err := w.Notifier.Notify(ctx, Recipient{PersonID: job.Args.PersonID, TelegramID: job.Args.TelegramID}, now)
	switch {
	case errors.Is(err, ErrNotLinked):
		// Linking plans a notify of its own: they get it then.
		return river.JobCancel(err)
	case errors.Is(err, outbound.ErrUnreachable):
		// Marked unreachable by the sender; the admins' digest lists them.
		return river.JobCancel(err)
	}
	return snoozeOn429(err)
}

// snoozeOn429 turns Telegram's "retry after" into a River snooze: the job
// comes back when Telegram allows, without holding a worker meanwhile, and
// without counting as a failed attempt. What was sent before the 429 is
// recorded, so the rerun sends only the rest.
func snoozeOn429(err error) error {
	var wait *outbound.RetryAfterError
	if errors.As(err, &wait) {
		return river.JobSnooze(wait.After)
	}
	return err
}
