package miniapp

import (
	"net/http"
)

// awaitingJSON is GET /app/api/awaiting: what waits for the caller's own
// decision now — /verify's list: the closures they may sign off and the
// new deadlines they may decide (never their own request).
type awaitingJSON struct {
	Closures  []awaitingClosureJSON  `json:"closures"`
	Deadlines []awaitingDeadlineJSON `json:"deadlines"`
}

type awaitingClosureJSON struct {
	ID         uint    `json:"id"`
	Code       string  `json:"code"`
	Title      string  `json:"title"`
	Department string  `json:"department"`
	Officer    string  `json:"officer"`
	Deadline   *string `json:"deadline"`
}

type awaitingDeadlineJSON struct {
	ID          uint    `json:"id"` // the request
	TaskID      uint    `json:"task_id"`
	Code        string  `json:"code"`
	Title       string  `json:"title"`
	Department  string  `json:"department"`
	Officer     string  `json:"officer"`
	From        *string `json:"from"`
	To          *string `json:"to"`
	Reason      string  `json:"reason"`
	RequestedBy string  `json:"requested_by"`
}

func (s *Server) awaiting(w http.ResponseWriter, r *http.Request, c *caller) {
	closures, err := s.d.Store.DecidableClosures(r.Context(), c.actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	deadlines, err := s.d.Store.DecidableDeadlines(r.Context(), c.actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := awaitingJSON{Closures: make([]awaitingClosureJSON, 0, len(closures)),
		Deadlines: make([]awaitingDeadlineJSON, 0, len(deadlines))}
	for _, it := range closures {
		out.Closures = append(out.Closures, awaitingClosureJSON{ID: it.ID, Code: it.Code, Title: typeset(it.Title),
			Department: it.Department, Officer: it.Officer, Deadline: day(it.Deadline)})
	}
	for _, rq := range deadlines {
		out.Deadlines = append(out.Deadlines, awaitingDeadlineJSON{ID: rq.ID, TaskID: rq.Task.ID, Code: rq.Task.Code,
			Title: typeset(rq.Task.Title), Department: rq.Task.Department, Officer: rq.Task.Officer,
			From: day(rq.OldDeadline), To: day(rq.NewDeadline), Reason: rq.Reason, RequestedBy: rq.RequestedBy})
	}
	writeJSON(w, http.StatusOK, out)
}
