// Package scheduler decides which reminders, escalations, check-ins,
// follow-up reviews and digests are due, and when they may go out (SPEC §4,
// issue 4). This part is pure: Plan maps the settings, a task's state and
// a time range to a list of Dues, each with an idempotency key, and the job queue
// that enqueues them in the ledger change's transaction is built on it.
//
// The rules, and why:
//
//   - An open task with a dated deadline gets reminders ReminderOffsets days
//     before it (7, 3, 1, 0). A reminder whose day is not a working day moves
//     to the working day before: a reminder about a deadline must never
//     arrive after it, and arriving after it would also meet the first
//     overdue notice. Reminders that land on one day are one reminder; Dues
//     of different kinds stay separate, and the sender groups them into one
//     message per person.
//   - From the day after the deadline, an overdue notice goes to the officer
//     on each working day, and on the N-th (3) and M-th (7) working day late
//     an escalation to the leader and to the admins, each exactly once.
//   - Nothing is planned before `from`: a reminder or overdue notice whose
//     time has passed is dropped, not sent late (it would tell the wrong
//     number of days, and the next one is coming). Escalations are the
//     exception: one that should have gone out before `from` (an import of a
//     late ledger, a reopened task) goes out at the first window from
//     `from`, keeping its day and so its key, so it is never lost and never
//     doubled.
//   - pending_verification: the officer has said it is done and waits for
//     the leader, so no reminders or overdue notices go to the officer; the
//     escalations still go out, because the leader (and then the admins) are
//     the ones who must act on a late task.
//   - Long-term (长期坚持) tasks have no deadline: a check-in on each
//     Recurrence.Next day, moved to the working day before like reminders
//     (a month's check-in belongs to that month); none while pending.
//   - A closed task gets nothing but one follow-up review (回头看)
//     FollowUpAfter days after ClosedOn, at the next working window.
//   - Every At is inside working hours on a working day of s.Calendar, in the
//     task's Location.
//
// Re-planning: Plan is a function of its arguments only. Planning again from
// a later instant gives the same keys for everything still ahead, so the
// caller replaces a task's pending jobs by the new plan's and lets the keys
// (River's unique jobs, and the deliveries table once River has pruned a
// completed job) keep each thing to one send.
package scheduler

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/schedule"
)

// Kind is what a Due is.
type Kind string

const (
	KindReminder       Kind = "reminder"        // before or on the deadline, to the officer
	KindOverdue        Kind = "overdue"         // each working day late, to the officer
	KindEscalateLeader Kind = "escalate_leader" // N working days late, to the task's leader
	KindEscalateAdmins Kind = "escalate_admins" // M working days late, to the admins
	KindCheckIn        Kind = "check_in"        // a long-term task's recurrence day
	KindFollowUp       Kind = "follow_up"       // 回头看, N days after closure
	KindDigest         Kind = "digest"          // the half-monthly digest, per plan zone
)

// kindOrder breaks ties between Dues going out at the same instant, so a
// plan's order never depends on map or slice accidents.
var kindOrder = map[Kind]int{
	KindReminder: 0, KindOverdue: 1, KindEscalateLeader: 2, KindEscalateAdmins: 3,
	KindCheckIn: 4, KindFollowUp: 5, KindDigest: 6,
}

// TaskState is what planning needs to know about a task.
type TaskState struct {
	TaskID     uint
	Status     ledger.Status
	Deadline   ledger.Date // zero for long-term tasks
	LongTerm   bool
	Recurrence ledger.Recurrence // long-term only; zero = no check-ins
	ClosedOn   ledger.Date       // closed only; zero = no follow-up
	Location   *time.Location    // the plan's zone; nil = UTC
}

// Due is one thing a task (or a plan's digest) should produce.
type Due struct {
	TaskID uint // 0 for a digest
	Kind   Kind
	// Day is the calendar day it concerns: the (moved) day of a reminder or
	// check-in, the working day of an overdue notice or escalation, the
	// review day of a follow-up, the send day of a digest.
	Day ledger.Date
	// At is when it may go out: NextSendTime of Day's opening (of the cron
	// fire for a digest), or the first window from `from` for an escalation
	// caught up.
	At time.Time
	// Offset is the days from Day to the deadline (reminder), the working
	// days late (overdue, escalations), the days from Day to the recurrence
	// day (check-in, 0 unless moved), or the days after closure (follow-up).
	Offset int
}

// UniqueKey is the idempotency key of a Due: "task:<id>:<kind>:<day>", so the
// same due thing is never planned or sent twice. A digest has no task and
// several may share a day, so its key is its send time: "digest:<At in
// UTC>"; the caller adds the group it goes to.
func (d Due) UniqueKey() string {
	if d.Kind == KindDigest {
		return "digest:" + d.At.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("task:%d:%s:%s", d.TaskID, d.Kind, d.Day)
}

// Plan lists what the task should produce from `from` (inclusive) up to
// `horizon` (exclusive), in time order; see the package comment for the
// rules.
func Plan(s schedule.Settings, t TaskState, from, horizon time.Time) []Due {
	if !from.Before(horizon) {
		return nil
	}
	p := &planner{s: s, cal: s.WorkCalendar(), t: t, loc: zone(t.Location), from: from, horizon: horizon, seen: map[string]bool{}}
	pending := t.Status == ledger.StatusPendingVerification
	switch {
	case t.Status == ledger.StatusClosed:
		p.followUp()
	case t.LongTerm || t.Status == ledger.StatusOngoing:
		if !pending {
			p.checkIns()
		}
	case t.Deadline.IsZero():
		// No deadline given: nothing to count towards.
	default:
		if !pending {
			p.reminders()
			p.overdue()
		}
		p.escalate(KindEscalateLeader, s.EscalateLeaderAfter)
		p.escalate(KindEscalateAdmins, s.EscalateAdminsAfter)
	}
	sortDues(p.out)
	return p.out
}

// PlanDigests lists the digest sends in loc from `from` (inclusive) up to
// `horizon` (exclusive): DigestTimes' sends, with the Day each goes out.
func PlanDigests(s schedule.Settings, from, horizon time.Time, loc *time.Location) ([]Due, error) {
	loc = zone(loc)
	sched, err := s.DigestTimes(loc)
	if err != nil {
		return nil, err
	}
	var out []Due
	for at := sched.Next(from.Add(-time.Nanosecond)); !at.IsZero() && at.Before(horizon); at = sched.Next(at) {
		out = append(out, Due{Kind: KindDigest, Day: ledger.DateOf(at.In(loc)), At: at})
	}
	return out, nil
}

// zone treats a nil location as UTC, as the zero time.Time does; callers
// pass the plan's zone.
func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// prevWorkday returns d if it is a working day, else the working day before
// it: what concerns a deadline must arrive before the deadline, not after.
func prevWorkday(cal ledger.Calendar, d ledger.Date) ledger.Date {
	if cal.IsWorkday(d) {
		return d
	}
	return ledger.AddWorkdays(cal, d, -1)
}

type planner struct {
	s             schedule.Settings
	cal           ledger.Calendar
	t             TaskState
	loc           *time.Location
	from, horizon time.Time
	seen          map[string]bool
	out           []Due
}

// add keeps d if it goes out in [from, horizon) and is not planned yet. A
// zero At is computed from the Day.
func (p *planner) add(d Due) {
	d.TaskID = p.t.TaskID
	if d.At.IsZero() {
		d.At = p.s.NextSendTime(p.s.Opening(d.Day, p.loc), p.loc)
	}
	key := d.UniqueKey()
	if d.At.Before(p.from) || !d.At.Before(p.horizon) || p.seen[key] {
		return
	}
	p.seen[key] = true
	p.out = append(p.out, d)
}

// day is the calendar day of t in the task's zone.
func (p *planner) day(t time.Time) ledger.Date { return ledger.DateOf(t.In(p.loc)) }

func (p *planner) reminders() {
	for _, off := range p.s.ReminderOffsets {
		if off < 0 {
			continue
		}
		day := prevWorkday(p.cal, p.t.Deadline.AddDays(-off))
		p.add(Due{Kind: KindReminder, Day: day, Offset: day.DaysUntil(p.t.Deadline)})
	}
}

// overdue walks the working days after the deadline that fall in range,
// counting how late each is.
func (p *planner) overdue() {
	start := p.t.Deadline.AddDays(1)
	if d := p.day(p.from); d.After(start) {
		start = d
	}
	late := ledger.WorkdaysBetween(p.cal, p.t.Deadline, start.AddDays(-1))
	for d, last := start, p.day(p.horizon); !d.After(last); d = d.AddDays(1) {
		if p.cal.IsWorkday(d) {
			late++
			p.add(Due{Kind: KindOverdue, Day: d, Offset: late})
		}
	}
}

// escalate plans the escalation on the after-th working day late; one whose
// time has passed goes out at the first window from `from` (see the package
// comment). after <= 0 turns it off.
func (p *planner) escalate(kind Kind, after int) {
	if after <= 0 {
		return
	}
	day := ledger.AddWorkdays(p.cal, p.t.Deadline, after)
	at := p.s.NextSendTime(p.s.Opening(day, p.loc), p.loc)
	if at.Before(p.from) {
		at = p.s.NextSendTime(p.from, p.loc)
	}
	p.add(Due{Kind: kind, Day: day, At: at, Offset: after})
}

// checkIns walks the recurrence days from `from`'s day on. A day moved back
// before `from` is dropped by add; moving back is monotone, so the first
// day whose send time reaches the horizon ends the walk.
func (p *planner) checkIns() {
	rec := p.t.Recurrence
	for due := rec.Next(p.day(p.from).AddDays(-1)); !due.IsZero(); due = rec.Next(due) {
		day := prevWorkday(p.cal, due)
		d := Due{Kind: KindCheckIn, Day: day, At: p.s.NextSendTime(p.s.Opening(day, p.loc), p.loc), Offset: day.DaysUntil(due)}
		if !d.At.Before(p.horizon) {
			return
		}
		p.add(d)
	}
}

func (p *planner) followUp() {
	if p.t.ClosedOn.IsZero() || p.s.FollowUpAfter <= 0 {
		return
	}
	p.add(Due{Kind: KindFollowUp, Day: p.t.ClosedOn.AddDays(p.s.FollowUpAfter), Offset: p.s.FollowUpAfter})
}

// sortDues orders by send time, then kind, task and day.
func sortDues(ds []Due) {
	slices.SortFunc(ds, func(a, b Due) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]),
			cmp.Compare(a.TaskID, b.TaskID), a.Day.Compare(b.Day))
	})
}
