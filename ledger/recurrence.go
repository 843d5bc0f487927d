package ledger

import "time"

// RecurrenceKind is how often a long-term (长期坚持) task is checked in.
type RecurrenceKind string

const (
	RecurMonthly    RecurrenceKind = "monthly"     // last day of each month
	RecurQuarterly  RecurrenceKind = "quarterly"   // Mar 31, Jun 30, Sep 30, Dec 31
	RecurHalfYearly RecurrenceKind = "half-yearly" // Jun 30, Dec 31
	RecurYearly     RecurrenceKind = "yearly"      // each year by Month/Day (e.g. by April 30)
)

// Recurrence is the check-in rhythm of a long-term task. The zero value means
// none; DefaultRecurrence is what an import gives a 长期坚持 row that says no
// more.
type Recurrence struct {
	Kind  RecurrenceKind
	Month time.Month // yearly only
	Day   int        // yearly only
}

// DefaultRecurrence is monthly: the rhythm of most 长期坚持 measures
// (按月填列, 每月定期研判).
var DefaultRecurrence = Recurrence{Kind: RecurMonthly}
