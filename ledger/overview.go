package ledger

import (
	"cmp"
	"slices"
)

// Overview is the supervisors' view across units (issue 11, item 4): each
// unit they supervise on one line, ranked by how many of its tasks it
// closed on time (红黄榜). It is computed by aggregate queries in models
// and rendered by the render package.
type Overview struct {
	AsOf  Date
	Units []UnitSummary // ranked: see RankUnits
}

// UnitSummary is one unit's line of the overview.
//
// The on-time rate is OnTime ÷ Due, over the tasks with a dated deadline:
//   - Due counts a closed task (whenever its deadline falls: closing early
//     is on time) and an open task past its deadline (overdue). An open
//     task due today or later is not due yet: it can still be closed on
//     time, so it counts neither way.
//   - OnTime counts the closed tasks whose closure day, in their plan's
//     zone, is on or before the deadline. A closure imported from a 台账
//     has no day (the ledger does not say when); the unit reported it
//     done and nothing says it was late, so it counts as on time.
//   - A task closed after its deadline is due and not on time; an open
//     task past its deadline is due and not on time.
//   - A long-term task (长期坚持) has no deadline and is left out of the
//     rate; it still counts in Tasks and, with its stage goals met, in Done.
type UnitSummary struct {
	UnitID    uint
	Name      string // 中共东莞市委政法委员会
	ShortName string // 市委政法委; "" when none was given

	Tasks int
	Done  int // closed, or long-term with the stage goals met (IsDone)

	Due    int // the rate's denominator (see above)
	OnTime int // the rate's numerator

	Overdue int // open and past the deadline: the red lights
	Yellow  int // open and due within the yellow window

	AwaitingClosure  int // 待销号: closures asked, not yet verified
	DeadlineRequests int // new deadlines asked, not yet decided

	// LastReport is the day (in the unit's zone) of the latest progress
	// report on any of its tasks; imported entries are not reports. Zero:
	// the unit never reported through the bot.
	LastReport Date
}

// Label is how a line names the unit: its short name, else its full name.
func (u UnitSummary) Label() string { return cmp.Or(u.ShortName, u.Name) }

// OnTimeRate is OnTime ÷ Due; ok is false when nothing is due yet, so
// there is no rate to give.
func (u UnitSummary) OnTimeRate() (rate float64, ok bool) {
	if u.Due == 0 {
		return 0, false
	}
	return float64(u.OnTime) / float64(u.Due), true
}

// DaysSinceReport is how many days before asOf the unit last reported;
// ok is false when it never did.
func (u UnitSummary) DaysSinceReport(asOf Date) (days int, ok bool) {
	if u.LastReport.IsZero() {
		return 0, false
	}
	return max(u.LastReport.DaysUntil(asOf), 0), true
}

// CompareRates orders two on-time rates (onTime ÷ due) for a ranking: one
// with nothing due yet (no rate: neither good nor bad) after every one
// that has a rate; between rates, the higher first when higherFirst, else
// the lower (a 红黄榜 puts the worst first). Rates are compared as
// fractions, so 2/3 and 4/6 tie exactly.
func CompareRates(aOnTime, aDue, bOnTime, bDue int, higherFirst bool) int {
	switch ra, rb := aDue > 0, bDue > 0; {
	case ra != rb:
		if ra {
			return -1
		}
		return 1
	case !ra:
		return 0
	}
	c := cmp.Compare(aOnTime*bDue, bOnTime*aDue) // a's rate vs b's
	if higherFirst {
		return -c
	}
	return c
}

// RankUnits orders units best first: the higher on-time rate, then fewer
// overdue tasks, then by name. A unit with nothing due yet has no rate and
// comes after those that have one (it is neither good nor bad yet). Rates
// are compared as fractions, so 2/3 and 4/6 tie exactly.
func RankUnits(units []UnitSummary) {
	// The last key (the id) makes the order total: no stable sort needed.
	slices.SortFunc(units, func(a, b UnitSummary) int {
		if c := CompareRates(a.OnTime, a.Due, b.OnTime, b.Due, true); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Overdue, b.Overdue); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Label(), b.Label()); c != 0 {
			return c
		}
		return cmp.Compare(a.UnitID, b.UnitID)
	})
}
