package miniapp

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

type summaryJSON struct {
	Lang             string            `json:"lang"`
	Person           personJSON        `json:"person"`
	Scope            scopeJSON         `json:"scope"`
	AsOf             string            `json:"as_of"`
	Total            int               `json:"total"`
	ByStatus         map[string]int    `json:"by_status"`
	StatusNames      map[string]string `json:"status_names"`
	Lights           lightsJSON        `json:"lights"`
	OnTimeRate       *float64          `json:"on_time_rate"`
	Overdue          int               `json:"overdue"`
	AwaitingClosure  int               `json:"awaiting_closure"`
	AwaitingDeadline int               `json:"awaiting_deadline"`
	Done             int               `json:"done"`
	CanDecide        bool              `json:"can_decide"`
}

type personJSON struct {
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

type scopeJSON struct {
	Label string `json:"label"`
	Units int    `json:"units"`
}

type lightsJSON struct {
	Red    int `json:"red"`
	Yellow int `json:"yellow"`
	Green  int `json:"green"`
}

// summary is GET /app/api/summary: the overview's figures of the tasks in
// reach. Five queries at most: the units, the counts, the deadline
// requests, whether the caller decides any, and the departments the
// scope's label names.
func (s *Server) summary(w http.ResponseWriter, r *http.Request, c *caller) {
	reach, scope, ok := s.reachAndScope(w, r, c)
	if !ok {
		return
	}
	ctx := r.Context()
	all, err := s.d.Store.DashboardTotals(ctx, reach, scope, c.today, s.d.Light)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	requests, err := s.d.Store.DashboardDeadlineRequests(ctx, reach)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canDecide, err := s.canDecide(ctx, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	label, err := s.scopeLabel(ctx, c, reach, scope)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := summaryJSON{
		Lang: string(c.loc.Lang()), Person: c.person(), Scope: scopeJSON{Label: label, Units: len(scope.Units)},
		AsOf: c.today.String(), Total: all.Tasks, ByStatus: map[string]int{}, StatusNames: map[string]string{},
		Lights:     lightsJSON{Red: all.Red, Yellow: all.Yellow, Green: all.Green()},
		OnTimeRate: rate(all.OnTimeRate()), Overdue: all.Red, AwaitingClosure: all.Status(ledger.StatusPendingVerification),
		AwaitingDeadline: requests, Done: all.Done(), CanDecide: canDecide,
	}
	for _, st := range ledger.Statuses {
		out.ByStatus[string(st)] = all.Status(st)
		out.StatusNames[string(st)] = c.statusName(st)
	}
	writeJSON(w, http.StatusOK, out)
}

// canDecide reports whether the caller may approve a closure or a new
// deadline of some task: ledger.Authorize's rule for ActVerify and
// ActDecideDeadline, asked of every task at once. Those actions are an
// admin's for any task of their units and a leader's for the tasks they
// lead — the reach ledger.ReadReach gives those two roles alone —, never
// for a task whose officer they are.
func (s *Server) canDecide(ctx context.Context, c *caller) (bool, error) {
	a := c.actor
	a.Roles = nil
	for _, role := range []ledger.Role{ledger.RoleAdmin, ledger.RoleLeader} {
		if c.actor.Has(role) {
			a.Roles = append(a.Roles, role)
		}
	}
	if len(a.Roles) == 0 {
		return false, nil
	}
	reach := ledger.ReadReach(a)
	return s.d.Store.DashboardAnyTask(ctx, models.TaskReach{Reads: &reach}, a.PersonID)
}

// person is who the caller is, as the bar shows them: their name (a
// configured admin without a person is named by the role) and roles, most
// powerful first.
func (c *caller) person() personJSON {
	p := personJSON{Roles: []string{}}
	if c.member != nil {
		p.Name = c.member.Person.Name
	} else {
		p.Name = c.loc.T("role_admin", nil)
	}
	for _, role := range ledger.Roles {
		if c.actor.Has(role) {
			p.Roles = append(p.Roles, string(role))
		}
	}
	return p
}

// scopeLabel names what the dashboard covers: the unit (or how many
// units), then — for a leader or an officer, who read part of it — the
// departments led and their own.
func (s *Server) scopeLabel(ctx context.Context, c *caller, reach models.TaskReach, scope models.DashboardScope) (string, error) {
	var parts []string
	switch n := len(scope.Units); {
	case n == 1:
		parts = append(parts, scope.Units[0].Label())
	case n > 1:
		parts = append(parts, c.loc.T("dashboard_scope_units", map[string]any{"Count": n}))
	}
	if readsWhole(reach) {
		return strings.Join(parts, " · "), nil
	}
	var ids []uint
	if reach.Reads != nil {
		ids = append(ids, reach.Reads.DepartmentIDs...)
	}
	if reach.Officer != nil && reach.Officer.DepartmentID != 0 {
		ids = append(ids, reach.Officer.DepartmentID)
	}
	depts, err := s.d.Store.DepartmentsByID(ctx, ids)
	if err != nil {
		return "", err
	}
	var names []string
	for _, d := range depts {
		if !slices.Contains(names, d.Name) {
			names = append(names, d.Name)
		}
	}
	if len(names) > 0 {
		parts = append(parts, strings.Join(names, c.loc.T("list_sep", nil)))
	}
	return strings.Join(parts, " · "), nil
}
