package miniapp

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

type taskJSON struct {
	ID               uint                 `json:"id"`
	Code             string               `json:"code"`
	Title            string               `json:"title"`
	Problem          string               `json:"problem"`
	Category         string               `json:"category"`
	Department       string               `json:"department"`
	Leader           string               `json:"leader"`
	Officer          string               `json:"officer"`
	Status           string               `json:"status"`
	StatusName       string               `json:"status_name"`
	Light            string               `json:"light"`
	Deadline         *string              `json:"deadline"` // null: long-term (长期坚持)
	OriginalDeadline *string              `json:"original_deadline"`
	Measures         []measureJSON        `json:"measures"`
	Progress         []progressJSON       `json:"progress"`
	DeadlineChanges  []deadlineChangeJSON `json:"deadline_changes"`
	Closure          []closureJSON        `json:"closure"`
	Actions          actionsJSON          `json:"actions"`
}

type measureJSON struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

type progressJSON struct {
	At       string         `json:"at"`
	Author   string         `json:"author"` // "" for the ledger's imported 整改情况
	Text     string         `json:"text"`
	Evidence []evidenceJSON `json:"evidence"`
}

type evidenceJSON struct {
	ID   uint   `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type deadlineChangeJSON struct {
	ID          uint    `json:"id"`
	From        *string `json:"from"`
	To          *string `json:"to"`
	Reason      string  `json:"reason"`
	RequestedBy string  `json:"requested_by"` // "" when the office changed it from the command line
	RequestedAt string  `json:"requested_at"`
	State       string  `json:"state"`
	DecidedBy   *string `json:"decided_by"`
	DecidedAt   *string `json:"decided_at"`
}

type closureJSON struct {
	At        string  `json:"at"`
	Event     string  `json:"event"`
	EventName string  `json:"event_name"`
	By        string  `json:"by"`
	Reason    *string `json:"reason"`
}

type actionsJSON struct {
	DecideClosure  bool   `json:"decide_closure"`
	DecideDeadline []uint `json:"decide_deadline"`
}

// errForbidden: the task is outside the caller's reach.
var errForbidden = errors.New("outside the caller's reach")

// task is GET /app/api/tasks/{id}: one task's page, for whoever may open
// its card in the bot (ActViewTask; a viewer may not).
func (s *Server) task(w http.ResponseWriter, r *http.Request, c *caller) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	t, err := s.taskView(r.Context(), c, id)
	if errors.Is(err, errForbidden) {
		writeError(w, http.StatusForbidden, "forbidden")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// taskView is a task as the caller sees it now: errForbidden outside their
// reach, models.ErrNotFound for no such task. One query to decide, five
// more to load.
func (s *Server) taskView(ctx context.Context, c *caller, id uint) (taskJSON, error) {
	head, err := s.d.Store.TaskHeadOf(ctx, id)
	if err != nil {
		return taskJSON{}, err
	}
	scope := head.Scope()
	if ledger.Authorize(c.actor, ledger.ActViewTask, &scope) != nil {
		return taskJSON{}, errForbidden
	}
	h, err := s.d.Store.TaskHistoryOf(ctx, id)
	if err != nil {
		return taskJSON{}, err
	}
	zone := models.Plan{TimeZone: head.TimeZone}.Location()
	at := func(t time.Time) string { return t.In(zone).Format(time.RFC3339) }
	out := taskJSON{ID: head.ID, Code: head.Code, Title: typeset(head.Title), Problem: typeset(head.ProblemTitle), Category: typeset(head.Category),
		Department: head.Department, Leader: head.Leader, Officer: head.Officer,
		Status: string(head.Status), StatusName: c.statusName(head.Status),
		Light:    string(ledger.LightOf(head.Status, head.Deadline, c.today, s.d.Light)),
		Deadline: day(head.Deadline), OriginalDeadline: day(head.OriginalDeadline),
		Measures: []measureJSON{}, Progress: []progressJSON{}, DeadlineChanges: []deadlineChangeJSON{}, Closure: []closureJSON{},
		Actions: actionsJSON{DecideDeadline: []uint{},
			DecideClosure: head.Status == ledger.StatusPendingVerification && ledger.Authorize(c.actor, ledger.ActVerify, &scope) == nil},
	}
	for _, m := range h.Measures {
		out.Measures = append(out.Measures, measureJSON{Text: typeset(m.Text), Done: m.Done})
	}
	for _, e := range h.Progress {
		p := progressJSON{At: at(e.CreatedAt), Author: e.Author, Text: typeset(e.Text), Evidence: []evidenceJSON{}}
		for _, f := range e.Files {
			p.Evidence = append(p.Evidence, evidenceJSON{ID: f.ID, Kind: f.Kind, Name: f.FileName, URL: Path + "api/evidence/" + strconv.FormatUint(uint64(f.ID), 10)})
		}
		out.Progress = append(out.Progress, p)
	}
	mayDecideDeadline := head.Status != ledger.StatusClosed && ledger.Authorize(c.actor, ledger.ActDecideDeadline, &scope) == nil
	for _, d := range h.Deadlines {
		j := deadlineChangeJSON{ID: d.ID, From: day(d.Old), To: day(d.New), Reason: typeset(d.Reason), RequestedBy: d.RequestedBy,
			RequestedAt: at(d.RequestedAt), State: string(d.State)}
		if d.DecidedBy != "" {
			j.DecidedBy = &d.DecidedBy
		}
		if d.DecidedAt != nil {
			v := at(*d.DecidedAt)
			j.DecidedAt = &v
		}
		out.DeadlineChanges = append(out.DeadlineChanges, j)
		if d.State == models.DeadlinePending && mayDecideDeadline && !c.asked(d) {
			out.Actions.DecideDeadline = append(out.Actions.DecideDeadline, d.ID)
		}
	}
	for _, e := range h.Closure {
		j := closureJSON{At: at(e.At), Event: string(e.Step), EventName: c.loc.T("dashboard_closure_"+string(e.Step), nil), By: e.By}
		if e.Reason != "" {
			reason := typeset(e.Reason)
			j.Reason = &reason
		}
		out.Closure = append(out.Closure, j)
	}
	return out, nil
}

// asked reports whether the caller made the request: nobody decides their
// own (the bot's ownRequest).
func (c *caller) asked(d models.DeadlineRecord) bool {
	return c.member != nil && d.RequestedByID != nil && *d.RequestedByID == c.member.Person.ID
}
