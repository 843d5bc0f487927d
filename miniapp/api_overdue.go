package miniapp

import (
	"net/http"
)

type overdueJSON struct {
	Total int               `json:"total"` // overdue in reach; tasks lists the first maxOverdue
	Tasks []overdueTaskJSON `json:"tasks"`
}

// maxOverdue bounds the list a phone draws: the longest overdue first,
// the rest counted. A province's admin has thousands.
const maxOverdue = 200

type overdueTaskJSON struct {
	ID         uint   `json:"id"`
	Code       string `json:"code"`
	Title      string `json:"title"`
	Department string `json:"department"`
	Officer    string `json:"officer"`
	Leader     string `json:"leader"`
	Deadline   string `json:"deadline"`
	DaysLate   int    `json:"days_late"`
	Status     string `json:"status"`
	StatusName string `json:"status_name"`
}

// overdue is GET /app/api/overdue: the open tasks in reach past their
// deadline, most days late first (calendar days, as the digest counts
// them). One query. A viewer gets it too: the bot has no /overdue for
// viewers, but their /digest lists the same tasks.
func (s *Server) overdue(w http.ResponseWriter, r *http.Request, c *caller) {
	reach, ok := reachOrRefuse(w, c)
	if !ok {
		return
	}
	lines, total, err := s.d.Store.DashboardOverdue(r.Context(), reach, c.today, maxOverdue)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := overdueJSON{Total: total, Tasks: make([]overdueTaskJSON, 0, len(lines))}
	for _, l := range lines {
		out.Tasks = append(out.Tasks, overdueTaskJSON{ID: l.TaskID, Code: l.Code, Title: typeset(l.Title), Department: l.Department,
			Officer: l.Officer, Leader: l.Leader, Deadline: l.Deadline.String(), DaysLate: l.Days,
			Status: string(l.Status), StatusName: c.statusName(l.Status)})
	}
	writeJSON(w, http.StatusOK, out)
}
