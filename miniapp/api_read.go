package miniapp

// The read API (summary, departments, trends, overdue, a task), each
// within the caller's reach: what follows is what they share.

import (
	"errors"
	"log/slog"
	"math"
	"net/http"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/zhtypo"
)

// typeset is the ledger's text as the page shows it: in standard Chinese
// typography (，：（） beside Chinese), as the documents print it. The
// ledger keeps what was entered, half-width commas of a spreadsheet
// included; the chat shows that, the dashboard — read by leaders, shown
// in meetings — what a document would.
func typeset(s string) string { return zhtypo.Punctuate(s) }

// reachOf is which tasks the caller's dashboard covers, by the bot's rules:
//
//   - whoever may read a digest (admins, leaders, viewers, supervisors)
//     reads its reach, ledger.ReadReach, as /digest: a unit's admins and
//     viewers the unit, a supervisor the units supervised (or all), a
//     leader the departments led and the tasks led by name;
//   - an officer has no digest in the bot: their dashboard is their tasks,
//     those of /tasks that they may open (ActViewTask) — their own and
//     their department's. The summary counts those, the departments list
//     is their department's line (and that of any task of theirs filed in
//     another), the trends and the overdue list are of those tasks;
//   - one who is both sees both.
//
// ok is false for a person with no role at all: nothing to show.
func reachOf(a ledger.Actor) (models.TaskReach, bool) {
	var r models.TaskReach
	if ledger.Authorize(a, ledger.ActViewDigest, nil) == nil {
		reach := ledger.ReadReach(a)
		r.Reads = &reach
	}
	if a.Has(ledger.RoleOfficer) && (r.Reads == nil || !r.Reads.All) {
		r.Officer = &models.OfficerReach{PersonID: a.PersonID, DepartmentID: a.DepartmentID, UnitID: a.UnitID}
	}
	return r, r.Reads != nil || r.Officer != nil
}

// readsWhole reports whether the reach is whole units (no department limit).
func readsWhole(r models.TaskReach) bool { return r.Reads != nil && r.Reads.All }

// reachOrRefuse is the caller's reach, or false after answering 403.
func reachOrRefuse(w http.ResponseWriter, c *caller) (models.TaskReach, bool) {
	r, ok := reachOf(c.actor)
	if !ok {
		writeError(w, http.StatusForbidden, "forbidden")
	}
	return r, ok
}

// reachAndScope is the caller's reach and the units it spans, the
// opening of the overview's, the ranking's and the trends' answers; false
// after answering (403 for no role, else as fail).
func (s *Server) reachAndScope(w http.ResponseWriter, r *http.Request, c *caller) (models.TaskReach, models.DashboardScope, bool) {
	reach, ok := reachOrRefuse(w, c)
	if !ok {
		return reach, models.DashboardScope{}, false
	}
	scope, err := s.d.Store.DashboardScopeOf(r.Context(), reach.Units())
	if err != nil {
		s.fail(w, r, err)
		return reach, scope, false
	}
	return reach, scope, true
}

// fail answers a failure to read the ledger: 404 for what does not exist,
// else 503 (the page offers to try again), logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, models.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found")
		return
	}
	s.d.Log.WarnContext(r.Context(), "miniapp: read", slog.String("path", r.URL.Path), slog.Any("err", err))
	writeError(w, http.StatusServiceUnavailable, "try_later")
}

// day is a date as the API writes it, null when there is none.
func day(d ledger.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// rate is a rate as the API writes it (four decimals), null when nothing
// was due.
func rate(r float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	v := math.Round(r*1e4) / 1e4
	return &v
}

// sinceReport is the days from the last report to asOf, null when never.
func sinceReport(last, asOf ledger.Date) *int {
	if last.IsZero() {
		return nil
	}
	n := max(last.DaysUntil(asOf), 0)
	return &n
}

// statusName is a status in the caller's language.
func (c *caller) statusName(st ledger.Status) string { return render.StatusName(c.loc, st) }
