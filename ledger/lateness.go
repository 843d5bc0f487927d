package ledger

// Lateness is how late a task is on a day, counted both ways: in working
// days, which reminders and escalations go by (SPEC §4), and in calendar
// days, which is what a reader sees on a wall calendar. Every message that
// says how late a task is counts with LatenessOn, so a card and a reminder
// of the same day never disagree.
type Lateness struct {
	Workdays int // working days in (deadline, today]
	Days     int // calendar days from the deadline to today
}

// Late reports whether the deadline has passed.
func (l Lateness) Late() bool { return l.Days > 0 }

// LatenessOn is how late a task due on deadline is on day today, with the
// working days of c; nil is China's calendar, as in the scheduler. A day on
// or before the deadline is not late: both counts are zero.
func LatenessOn(c Calendar, deadline, today Date) Lateness {
	if deadline.IsZero() || !today.After(deadline) {
		return Lateness{}
	}
	if c == nil {
		c = (*ChinaCalendar)(nil)
	}
	return Lateness{Workdays: WorkdaysBetween(c, deadline, today), Days: deadline.DaysUntil(today)}
}

// AskedToReport reports whether a message about the task should invite
// the reader to report progress on it (reply to the message, or /report):
// they may report on it as its officer. Replying with progress is the
// officer's part (SPEC §3); an admin may report too, but is not the one
// asked to, and a leader never may.
func AskedToReport(a Actor, t *TaskScope) bool {
	if !a.Has(RoleOfficer) || t == nil {
		return false
	}
	officer := Actor{PersonID: a.PersonID, Roles: []Role{RoleOfficer}, DepartmentID: a.DepartmentID}
	return Authorize(officer, ActReportProgress, t) == nil
}
