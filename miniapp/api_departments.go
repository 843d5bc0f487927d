package miniapp

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

type departmentsJSON struct {
	Departments []departmentJSON `json:"departments"`
	Units       []unitJSON       `json:"units"`
}

type departmentJSON struct {
	ID              uint     `json:"id"`
	Name            string   `json:"name"`
	Unit            string   `json:"unit,omitempty"` // when the reach spans several units: two 办公室 told apart
	Total           int      `json:"total"`
	Done            int      `json:"done"`
	Overdue         int      `json:"overdue"`
	Red             int      `json:"red"`
	Yellow          int      `json:"yellow"`
	Green           int      `json:"green"`
	OnTimeRate      *float64 `json:"on_time_rate"`
	DaysSinceReport *int     `json:"days_since_report"`
	Light           string   `json:"light"`
}

type unitJSON struct {
	ID               uint     `json:"id"`
	Name             string   `json:"name"`
	Total            int      `json:"total"`
	Done             int      `json:"done"`
	Overdue          int      `json:"overdue"`
	Red              int      `json:"red"`
	Yellow           int      `json:"yellow"`
	Green            int      `json:"green"`
	OnTimeRate       *float64 `json:"on_time_rate"`
	DaysSinceReport  *int     `json:"days_since_report"`
	AwaitingClosure  int      `json:"awaiting_closure"`
	AwaitingDeadline int      `json:"awaiting_deadline"`
}

// department is one department's line as it is ranked.
type department struct {
	id, unitID uint
	name       string
	first      int
	models.Tally
}

// departments is GET /app/api/departments: the departments of the tasks in
// reach ranked worst first (红黄榜), each counting only those tasks; and,
// for a caller above several units, the units as /overview ranks them.
// Two queries (five with the units).
func (s *Server) departments(w http.ResponseWriter, r *http.Request, c *caller) {
	reach, scope, ok := s.reachAndScope(w, r, c)
	if !ok {
		return
	}
	ctx := r.Context()
	depts, err := s.d.Store.DashboardDepartments(ctx, reach, scope, c.today, s.d.Light)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := departmentsJSON{Departments: []departmentJSON{}, Units: []unitJSON{}}
	unitLabels := map[uint]string{}
	if len(scope.Units) > 1 {
		for _, u := range scope.Units {
			unitLabels[u.ID] = u.Label()
		}
	}
	for _, d := range rankDepartments(depts) {
		light := ledger.LightGreen
		switch {
		case d.Red > 0:
			light = ledger.LightRed
		case d.Yellow > 0:
			light = ledger.LightYellow
		}
		out.Departments = append(out.Departments, departmentJSON{ID: d.id, Name: d.name, Unit: unitLabels[d.unitID], Total: d.Tasks, Done: d.Done(),
			Overdue: d.Red, Red: d.Red, Yellow: d.Yellow, Green: d.Green(), OnTimeRate: rate(d.OnTimeRate()),
			DaysSinceReport: sinceReport(d.LastReport, c.today), Light: string(light)})
	}
	// The units: for one above the units (a supervisor, an installation's
	// admin) who reads whole units, several of them — what /overview shows.
	if c.actor.UnitID == 0 && readsWhole(reach) && len(scope.Units) > 1 {
		ov, err := s.d.Store.Overview(ctx, c.today, reach.Reads.Units, s.d.Light)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, u := range ov.Units {
			out.Units = append(out.Units, unitJSON{ID: u.UnitID, Name: u.Label(), Total: u.Tasks, Done: u.Done,
				Overdue: u.Overdue, Red: u.Overdue, Yellow: u.Yellow, Green: u.Tasks - u.Overdue - u.Yellow,
				OnTimeRate: rate(u.OnTimeRate()), DaysSinceReport: sinceReport(u.LastReport, c.today),
				AwaitingClosure: u.AwaitingClosure, AwaitingDeadline: u.DeadlineRequests})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// rankDepartments sums the plans' lines by department and ranks them worst
// first: the lower on-time rate (those with nothing due yet after every
// one with a rate: neither good nor bad yet), then more overdue, more due
// soon, the longer without a report (never reported first), then the
// ledger's order. It is the reverse of the units' ranking
// (ledger.RankUnits) for the rate and the overdue.
func rankDepartments(tallies []models.DepartmentTally) []department {
	byID := map[uint]*department{}
	var order []uint
	for _, g := range tallies {
		d := byID[g.DepartmentID]
		if d == nil {
			d = &department{id: g.DepartmentID, unitID: g.UnitID, name: g.Name, first: g.First}
			byID[d.id] = d
			order = append(order, d.id)
		}
		d.first = min(d.first, g.First)
		d.Add(g.Tally)
	}
	out := make([]department, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	slices.SortFunc(out, func(a, b department) int {
		if c := ledger.CompareRates(a.OnTime, a.Due, b.OnTime, b.Due, false); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Red, a.Red); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Yellow, a.Yellow); c != 0 {
			return c
		}
		if c := compareReports(a.LastReport, b.LastReport); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.first, b.first), cmp.Compare(a.id, b.id))
	})
	return out
}

// compareReports orders the older last report first, never reported
// before any.
func compareReports(a, b ledger.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return -1
	case b.IsZero():
		return 1
	}
	return a.Compare(b)
}
