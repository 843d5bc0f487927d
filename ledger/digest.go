package ledger

// Digest is where a plan (or all plans, or one department) stands on a day:
// what a leader asks for and what groups get twice a month. It is computed by
// aggregate queries in models and rendered by the render package.
type Digest struct {
	AsOf       Date
	PlanTitle  string // empty when the digest covers every plan
	Department string // empty when not filtered
	Total      int
	ByStatus   map[Status]int
	StageDone  int // of ByStatus[StatusOngoing]: stage goals met (阶段性完成), counted as done
	// DeadlineRequests are new deadlines asked and not yet decided: with
	// the closures (ByStatus[StatusPendingVerification]), what awaits a
	// leader's or the office's decision.
	DeadlineRequests int
	ByLight          map[Light]int
	Overdue          int
	Departments      []DepartmentSummary // ordered by SortDepartments
	OverdueList      []TaskLine          // most days late first
	DueSoon          []TaskLine          // soonest first, within the yellow window
	Changes          *DigestChanges      // set for a compilation since a day
	// Calendar counts the working days late in the overdue lists (see
	// LatenessOn); nil is China's calendar.
	Calendar Calendar
}

// Done is how many tasks count as done (已完成): closed, or long-term with
// their stage goals met. The rest are still being worked on.
func (d Digest) Done() int { return d.ByStatus[StatusClosed] + d.StageDone }

// DepartmentSummary is one department's line in a digest.
type DepartmentSummary struct {
	Name      string
	First     int // the department's least 序号: where it comes in the ledger
	Total     int
	ByStatus  map[Status]int
	StageDone int // of ByStatus[StatusOngoing], as in Digest
	ByLight   map[Light]int
}

// Lagging are the departments with overdue tasks, in the digest's order
// (most overdue first, then the ledger's): those the half-monthly
// compilation names as behind.
func (d Digest) Lagging() []DepartmentSummary {
	var out []DepartmentSummary
	for _, ds := range d.Departments {
		if ds.ByLight[LightRed] > 0 {
			out = append(out, ds)
		}
	}
	return out
}

// Done is how many of the department's tasks count as done, as Digest.Done.
func (d DepartmentSummary) Done() int { return d.ByStatus[StatusClosed] + d.StageDone }

// TaskLine is one task in a digest list.
type TaskLine struct {
	TaskID     uint
	Code       string
	Title      string // the problem title, or the sub-problem text when there is one
	Department string
	Officer    string
	Leader     string
	Status     Status
	Deadline   Date
	// Days is the number of calendar days late (OverdueList) or left (DueSoon).
	Days int
}

// DigestChanges is the half-monthly compilation (半月梳理汇总): what changed
// in the ledger since a day.
type DigestChanges struct {
	Since, AsOf     Date // the period, both days included
	NewlyClosed     []TaskLine
	NewProgress     []ProgressLine
	DeadlineChanges []DeadlineLine
	NewlyOverdue    []TaskLine // fell due since, still open
	// DoneAtSince is how many tasks counted as done when the period began
	// (closed before it, or an imported closure; long-term tasks whose
	// stage goals were met before it): the previous compilation's figure,
	// which the completion rate is compared with.
	DoneAtSince int
	// Open are the dated tasks still open at the end of the period, in
	// ledger order, with why they are not done and what comes next.
	Open []OpenLine
}

// OpenLine is an unfinished task in the compilation.
type OpenLine struct {
	TaskLine
	Latest string // the latest report's words, "" when never reported
	// LatestImported: Latest is the ledger's imported 整改情况, the whole
	// account written at once (documents quote its last item).
	LatestImported bool
	Reason         string // why not yet done: the reason of the latest approved deadline change
	NextStep       string // the first measure not yet ticked
}

// Empty reports whether nothing changed.
func (c DigestChanges) Empty() bool {
	return len(c.NewlyClosed)+len(c.NewProgress)+len(c.DeadlineChanges)+len(c.NewlyOverdue) == 0
}

// ProgressLine counts the progress reports on one task in a period.
type ProgressLine struct {
	TaskLine
	Reports int
	Latest  string // what the latest of them says
}

// DeadlineLine is one deadline moved in a period.
type DeadlineLine struct {
	TaskLine
	Old, New Date
	Reason   string
}
