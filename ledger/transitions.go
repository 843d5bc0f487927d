package ledger

import "fmt"

// transition is one status change.
type transition struct{ from, to Status }

// allowedTransitions is the whole status machine of SPEC §2. Anything not
// listed is refused by CheckTransition with a reason.
var allowedTransitions = map[transition]bool{
	{StatusNotStarted, StatusInProgress}:          true, // work started
	{StatusNotStarted, StatusPendingVerification}: true, // done at once: closure requested
	{StatusInProgress, StatusPendingVerification}: true, // closure requested
	{StatusPendingVerification, StatusClosed}:     true, // verified (销号)
	{StatusPendingVerification, StatusInProgress}: true, // closure rejected, with a reason
	{StatusClosed, StatusInProgress}:              true, // reopened, e.g. by a follow-up review (回头看)
}

// alreadyReasons describe a change to the status a task already has.
var alreadyReasons = map[Status]string{
	StatusNotStarted:          "still not started",
	StatusInProgress:          "already in progress",
	StatusPendingVerification: "already waiting for verification",
	StatusClosed:              "already closed",
	StatusOngoing:             "already ongoing (长期坚持)",
}

// CheckTransition reports whether a task may go from one status to another,
// and if not, returns a *TransitionError saying why in words a user can act
// on. Callers check it at the moment of the change, since the status they
// showed the user may be stale.
func CheckTransition(from, to Status) error {
	deny := func(reason string) error {
		return &TransitionError{From: from, To: to, Reason: reason}
	}
	switch {
	case !from.Valid():
		return deny(fmt.Sprintf("unknown status %q", string(from)))
	case !to.Valid():
		return deny(fmt.Sprintf("unknown status %q", string(to)))
	case from == to:
		return deny(alreadyReasons[from])
	}
	if allowedTransitions[transition{from, to}] {
		return nil
	}
	switch {
	case from == StatusOngoing && to == StatusClosed:
		return deny("a long-term (长期坚持) task is never closed: it gets periodic check-ins instead")
	case to == StatusClosed:
		return deny("needs verification: request closure first")
	case to == StatusOngoing:
		return deny("only a long-term (长期坚持) deadline makes a task ongoing; change the deadline instead")
	case from == StatusOngoing:
		return deny("a long-term (长期坚持) task stays ongoing; it gets periodic check-ins, not status changes")
	case to == StatusNotStarted:
		return deny("a task cannot go back to not started")
	case from == StatusClosed:
		return deny("the task is closed: reopen it first")
	default:
		// Unreachable with the statuses of today; kept so a new status is
		// refused rather than silently allowed.
		return deny("not a step of the rectification process")
	}
}

// AllowedTransitions lists the statuses a task may move to from the given
// one, in ledger order: the buttons a task card offers.
func AllowedTransitions(from Status) []Status {
	var out []Status
	for _, to := range Statuses {
		if allowedTransitions[transition{from, to}] {
			out = append(out, to)
		}
	}
	return out
}

// Open reports whether a task with this status still needs attention: every
// status but closed, including ongoing long-term tasks.
func (s Status) Open() bool { return s != StatusClosed }
