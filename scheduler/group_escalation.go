package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/schedule"
)

// JobKindGroupEscalation is the kind of GroupEscalationArgs.
const JobKindGroupEscalation = "group_escalation"

// GroupEscalationArgs tells the groups that want escalations (SPEC §4:
// "after 3 days overdue an escalation to the task's leader, and to
// registered groups that want escalations") that a task is late: once per
// task and escalation day, like the leader's own.
type GroupEscalationArgs struct {
	TaskID uint   `json:"task_id"`
	Day    string `json:"day"`
}

// Kind is River's job kind.
func (GroupEscalationArgs) Kind() string { return JobKindGroupEscalation }

// InsertOpts: unique by arguments (one announcement per escalation), a
// send's attempts.
func (GroupEscalationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSend, MaxAttempts: NotifyMaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// GroupEscalationWorker posts the escalation to the subscribed groups that
// cover the task's department — of its unit, or above the units (GroupsFor)
// — inside the send window.
type GroupEscalationWorker struct {
	river.WorkerDefaults[GroupEscalationArgs]
	Store    *models.Store
	Out      outbound.Sender
	Settings schedule.Settings
	Clock    clock.Clock
	Zone     *time.Location
}

// Work implements river.Worker.
func (w *GroupEscalationWorker) Work(ctx context.Context, job *river.Job[GroupEscalationArgs]) error {
	now := w.Clock.Now()
	if !w.Settings.InWindow(now, w.Zone) {
		return river.JobSnooze(w.Settings.NextSendTime(now, w.Zone).Sub(now))
	}
	return snoozeOn429(w.Send(ctx, job.Args.TaskID, job.Args.Day, now))
}

// Send posts one task's escalation to its groups (each once: the key).
func (w *GroupEscalationWorker) Send(ctx context.Context, taskID uint, day string, now time.Time) error {
	tasks, err := w.Store.DueTasks(ctx, models.DueFilter{TaskIDs: []uint{taskID}})
	if err != nil || len(tasks) == 0 {
		return err
	}
	t := tasks[0]
	if t.Status == ledger.StatusClosed {
		return nil // closed meanwhile: nothing to escalate
	}
	groups, err := w.Store.GroupsFor(ctx, models.SubscribeEscalations, t.DepartmentID)
	if err != nil {
		return err
	}
	today := ledger.DateOf(now.In(zone(stateOf(t).Location)))
	late := ledger.LatenessOn(w.Settings.WorkCalendar(), t.Deadline, today)
	text := render.GroupEscalation(render.NewLocalizer(render.DefaultLang), render.ReminderItem{
		Kind: render.RemindEscalateLeader, Code: t.Code, Title: t.Title, Deadline: t.Deadline, Late: late,
		Department: t.Department, Officer: t.Officer,
	}, t.Leader)
	for _, g := range groups {
		key := fmt.Sprintf("group_escalation:%d:%d:%s", g.ChatID, taskID, day)
		sent, err := w.Store.Delivered(ctx, key)
		if err != nil {
			return err
		}
		if sent {
			continue
		}
		if _, err := w.Out.Send(ctx, outbound.Message{ChatID: g.ChatID, Text: text, Kind: outbound.KindEscalationGroup,
			TaskIDs: []uint{taskID}, Key: key, Deferrable: true}); err != nil {
			return err
		}
	}
	return nil
}
