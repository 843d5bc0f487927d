package scheduler

import (
	"encoding/json"
	"time"

	"github.com/riverqueue/river"

	"github.com/rectibot/rectibot/schedule"
)

// The job kinds as River stores them in river_job.kind. They are part of the
// database's contents: renaming one strands the jobs already queued.
const (
	JobKindTaskDue     = "task_due"
	JobKindNotify      = "notify"
	JobKindGroupDigest = "group_digest"
)

// NotifyMaxAttempts bounds the retries of a send (SPEC §4: "other errors
// retry with backoff and give up"). With River's default backoff (attempt⁴
// seconds) eight attempts span about 80 minutes; after the last, River
// discards the job, which is the dead-letter state Queue.JobsFailed lists.
const NotifyMaxAttempts = 8

// TaskDueArgs is one planned Due of a task: at its time the worker checks the
// task still warrants it and hands it to the person's NotifyArgs job.
//
// Unique by all its arguments, which are exactly Due.UniqueKey's parts, so
// planning the same Due again (a re-plan, an import run twice, two replicas)
// leaves one job. The send time is deliberately not an argument: an
// escalation caught up keeps its day, and so its identity, whatever its At.
// (Go forbids a field named Kind beside the Kind method, hence DueKind.)
type TaskDueArgs struct {
	TaskID  uint   `json:"task_id"`
	DueKind Kind   `json:"due_kind"`
	Day     string `json:"day"` // YYYY-MM-DD, Due.Day
}

// Kind is River's job kind.
func (TaskDueArgs) Kind() string { return JobKindTaskDue }

// InsertOpts makes the job unique by its arguments. River's default unique
// states include running and completed, so a Due already handled is
// refused again until River prunes its job (a day later) — which is why
// the planner never plans one (Planner.nextTx passes over the Dues whose
// jobs River holds and those told), and the notifications table guards
// after that.
func (TaskDueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// dueArgs is the job arguments of a planned Due of a task.
func dueArgs(d Due) TaskDueArgs {
	return TaskDueArgs{TaskID: d.TaskID, DueKind: d.Kind, Day: d.Day.String()}
}

// TaskDueJob turns a planned Due of a task into the job to insert, scheduled
// at the Due's send time.
func TaskDueJob(d Due) river.InsertManyParams {
	return river.InsertManyParams{
		Args:       dueArgs(d),
		InsertOpts: &river.InsertOpts{ScheduledAt: d.At},
	}
}

// NotifyArgs is one message to one person: everything of theirs due in one
// send window, listed together (SPEC §4: no flood).
//
// Unique by arguments: the TaskDue jobs of many tasks of one person due in
// the same window all insert the same NotifyArgs, and the duplicates
// collapse into one job. A completed one still counts (see TaskDueArgs), so
// an item arriving after its window's message went out must use a later
// window.
type NotifyArgs struct {
	PersonID uint `json:"person_id"`
	// TelegramID reaches an admin known only from RECTIBOT_ADMINS (PersonID 0).
	TelegramID int64     `json:"telegram_id,omitempty"`
	Window     time.Time `json:"window"` // start of the send window, UTC
}

// Kind is River's job kind.
func (NotifyArgs) Kind() string { return JobKindNotify }

// InsertOpts: unique by arguments, and NotifyMaxAttempts before the dead
// letter.
func (NotifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueSend,
		MaxAttempts: NotifyMaxAttempts,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	}
}

// MarshalJSON writes Window in UTC. Uniqueness compares the encoded
// arguments byte for byte, so the same instant in two zones (or with a
// monotonic reading) must encode the same.
func (a NotifyArgs) MarshalJSON() ([]byte, error) {
	type plain NotifyArgs // no MarshalJSON: no recursion
	a.Window = a.Window.UTC()
	return json.Marshal(plain(a))
}

// GroupDigestArgs is the half-monthly digest to every subscribed group. It
// is enqueued by a river.PeriodicJob (DigestPeriodicJob), which only the
// elected leader among the replicas runs, and by DigestCatchUp at start for
// a run no process was up for.
type GroupDigestArgs struct {
	// Run names the run (DigestRunKey of its send time) in the idempotency
	// keys of its messages and in periodic_runs. The periodic job's
	// constructor cannot know its fire time, so the digestRun hook fills
	// Run from the ScheduledAt River gives the job; a job queued before
	// runs were named has none and is named by its ScheduledAt when worked.
	Run string `json:"run,omitempty"`
}

// Kind is River's job kind.
func (GroupDigestArgs) Kind() string { return JobKindGroupDigest }

// InsertOpts: a digest is a send, so it has a send's attempts. It is not
// unique in River: one run may well have two jobs (the periodic job's and
// the catch-up's, or a failed-over leader's and its successor's), and
// River's uniqueness could not tell runs apart anyway — a period bucket of
// ScheduledAt is the insert time for a periodic job, and a catch-up runs
// late. The run is the unit: the worker claims it in periodic_runs, and the
// job that holds it is the only one that sends.
func (GroupDigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSend, MaxAttempts: NotifyMaxAttempts}
}

// DigestRunKey names the digest run sent at `send`: its hour in UTC, as the
// digests' idempotency keys have always named it, so a run sent before
// runs were recorded is still recognised by its deliveries.
func DigestRunKey(send time.Time) string { return send.UTC().Format("2006-01-02T15") }

// DigestPeriodicJob is the periodic job enqueuing GroupDigestArgs on the
// digest schedule of s (RECTIBOT_DIGEST_SCHEDULE) in loc. River keeps a
// periodic job's next run in the leader's memory only: a run whose time
// passes while no process is up is skipped by River, and DigestCatchUp
// enqueues it at the next start.
func DigestPeriodicJob(s schedule.Settings, loc *time.Location) (*river.PeriodicJob, error) {
	sched, err := s.DigestTimes(loc)
	if err != nil {
		return nil, err
	}
	return river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) {
		return GroupDigestArgs{}, nil
	}, &river.PeriodicJobOpts{ID: JobKindGroupDigest}), nil
}
