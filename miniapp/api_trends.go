package miniapp

import (
	"maps"
	"math"
	"net/http"
	"slices"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

type trendsJSON struct {
	Weeks    []weekJSON `json:"weeks"`
	Burndown []burnJSON `json:"burndown"`
	PlanEnd  *string    `json:"plan_end"`
}

type weekJSON struct {
	Week   string `json:"week"`
	Due    int    `json:"due"`
	Closed int    `json:"closed"`
}

type burnJSON struct {
	Date  string  `json:"date"`
	Open  *int    `json:"open"` // null after today: not known yet
	Ideal float64 `json:"ideal"`
}

// maxWeeks bounds the weeks drawn (ten years): a deadline typed years
// ahead must not make the answer huge.
const maxWeeks = 520

// trends is GET /app/api/trends: closures against deadlines week by week,
// and the burn-down, of the tasks in reach. Two queries.
func (s *Server) trends(w http.ResponseWriter, r *http.Request, c *caller) {
	reach, scope, ok := s.reachAndScope(w, r, c)
	if !ok {
		return
	}
	ctx := r.Context()
	tr, err := s.d.Store.DashboardTrends(ctx, reach, scope, c.today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, buildTrends(tr, scope, c.today))
}

// buildTrends lays the days out in weeks (Mondays) from the earliest
// feedback date of the plans in reach (their import day when they have
// none) to the last deadline, or to today when that is later (late tasks
// and late closures stay on the chart). The burn-down's open tasks are
// those not done at each Monday, known up to today (null after); its
// ideal falls in a straight line from every task at the first Monday to
// none on the last deadline.
func buildTrends(tr models.DashboardTrend, scope models.DashboardScope, asOf ledger.Date) trendsJSON {
	out := trendsJSON{Weeks: []weekJSON{}, Burndown: []burnJSON{}}
	var start ledger.Date
	total := 0
	for plan, n := range tr.Tasks {
		total += n
		p, ok := scope.Plans[plan]
		if !ok {
			continue // a plan made since the units were read
		}
		begin := p.FeedbackDate
		if begin.IsZero() {
			begin = ledger.DateOf(p.CreatedAt.In(p.Zone))
		}
		if start.IsZero() || begin.Before(start) {
			start = begin
		}
	}
	if total == 0 || start.IsZero() {
		return out
	}
	var end ledger.Date
	for d := range tr.Due {
		if d.After(end) {
			end = d
		}
	}
	out.PlanEnd = day(end)
	first, last := monday(start), monday(maxDate(end, asOf))
	n := min(max(first.DaysUntil(last)/7+1, 1), maxWeeks)
	week := func(d ledger.Date) int {
		if d.Before(first) {
			return 0
		}
		return min(first.DaysUntil(d)/7, n-1)
	}
	out.Weeks = make([]weekJSON, n)
	for d, k := range tr.Due {
		out.Weeks[week(d)].Due += k
	}
	for d, k := range tr.Closed {
		out.Weeks[week(d)].Closed += k
	}
	doneDays := slices.SortedFunc(maps.Keys(tr.Done), ledger.Date.Compare)
	done, next := 0, 0
	for i := range out.Weeks {
		m := first.AddDays(7 * i)
		out.Weeks[i].Week = m.String()
		b := burnJSON{Date: m.String(), Ideal: ideal(total, first, end, m)}
		for next < len(doneDays) && !doneDays[next].After(m) {
			done += tr.Done[doneDays[next]]
			next++
		}
		if !m.After(asOf) {
			open := total - done
			b.Open = &open
		}
		out.Burndown = append(out.Burndown, b)
	}
	return out
}

// ideal is the straight line from total at first to 0 at end, on day m,
// to a tenth.
func ideal(total int, first, end, m ledger.Date) float64 {
	span := first.DaysUntil(end)
	if span <= 0 {
		return 0
	}
	left := max(span-first.DaysUntil(m), 0)
	return math.Round(float64(total)*float64(left)/float64(span)*10) / 10
}

// monday is the Monday of d's week.
func monday(d ledger.Date) ledger.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// maxDate is the later of two dates.
func maxDate(a, b ledger.Date) ledger.Date {
	if a.After(b) {
		return a
	}
	return b
}
