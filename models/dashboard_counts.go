package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// Tally counts tasks as the dashboard shows them. Due and OnTime are
// ledger.UnitSummary's on-time rate's (closed by the deadline ÷ due so
// far); Red and Yellow the digest's lights.
type Tally struct {
	Tasks      int
	ByStatus   [5]int // in ledger.Statuses order
	StageDone  int    // long-term tasks whose stage goals are met
	Due        int
	OnTime     int
	Red        int
	Yellow     int
	LastReport ledger.Date // the latest report's day in its plan's zone; zero: never
}

// Status is the count of one status.
func (t Tally) Status(s ledger.Status) int {
	for i, st := range ledger.Statuses {
		if st == s {
			return t.ByStatus[i]
		}
	}
	return 0
}

// Done is closed, or long-term with the stage goals met (ledger.Digest.Done).
func (t Tally) Done() int { return t.Status(ledger.StatusClosed) + t.StageDone }

// Green is every task neither red nor yellow.
func (t Tally) Green() int { return t.Tasks - t.Red - t.Yellow }

// OnTimeRate is OnTime ÷ Due; ok is false when nothing is due yet.
func (t Tally) OnTimeRate() (float64, bool) {
	if t.Due == 0 {
		return 0, false
	}
	return float64(t.OnTime) / float64(t.Due), true
}

// Add adds o's counts to t.
func (t *Tally) Add(o Tally) {
	t.Tasks += o.Tasks
	for i := range t.ByStatus {
		t.ByStatus[i] += o.ByStatus[i]
	}
	t.StageDone += o.StageDone
	t.Due += o.Due
	t.OnTime += o.OnTime
	t.Red += o.Red
	t.Yellow += o.Yellow
	if o.LastReport.After(t.LastReport) {
		t.LastReport = o.LastReport
	}
}

// tallySQL are a Tally's aggregates over tasks t, in the order of
// (*Tally).dest, with the latest report last. The on-time rule and the
// lights are the overview's (Overview), kept in step by
// TestDashboardMatchesOverview.
func (s *Store) tallySQL(offset string) string {
	cols := []string{"COUNT(*)"}
	for _, st := range ledger.Statuses {
		cols = append(cols, "COUNT(*) FILTER (WHERE t.status = '"+string(st)+"')")
	}
	cols = append(cols,
		"COUNT(*) FILTER (WHERE t.status = 'ongoing' AND t.stage_done_at IS NOT NULL)",
		"COUNT(*) FILTER (WHERE t.deadline IS NOT NULL AND (t.status = 'closed' OR t.deadline < @today))",
		`COUNT(*) FILTER (WHERE t.deadline IS NOT NULL AND t.status = 'closed'
			AND (t.closed_at IS NULL OR `+daySQL(DialectOf(s.db), "t.closed_at", offset)+` <= t.deadline))`,
		"COUNT(*) FILTER (WHERE t.status <> 'closed' AND t.deadline < @today)",
		"COUNT(*) FILTER (WHERE t.status <> 'closed' AND t.deadline >= @today AND t.deadline <= @soon)",
		"MAX(t.last_report_at)")
	for i := range cols {
		cols[i] += " AS c" + strconv.Itoa(i) // the departments' query selects them by name
	}
	return strings.Join(cols, ",\n\t\t\t")
}

// dest is where a row of tallySQL is scanned; last is the latest report.
func (t *Tally) dest(last *dbTime) []any {
	out := []any{&t.Tasks}
	for i := range t.ByStatus {
		out = append(out, &t.ByStatus[i])
	}
	return append(out, &t.StageDone, &t.Due, &t.OnTime, &t.Red, &t.Yellow, last)
}

func tallyParams(asOf ledger.Date, th ledger.LightThresholds) map[string]any {
	return map[string]any{"today": DateOf(asOf), "soon": DateOf(asOf.AddDays(th.YellowWithinDays))}
}

// DashboardTotals counts the tasks in reach on day asOf: one query, one
// row (the latest report is left out: the summary does not show it).
// scope gives the plans' zones.
func (s *Store) DashboardTotals(ctx context.Context, r TaskReach, scope DashboardScope, asOf ledger.Date, th ledger.LightThresholds) (Tally, error) {
	var t Tally
	params := tallyParams(asOf, th)
	where := r.sql(params)
	offset, join := s.zoneOffset(scope, asOf, params)
	q := `SELECT ` + s.tallySQL(offset) + ` FROM tasks t` + join + ` WHERE ` + where
	var last dbTime
	err := eachRow(s.db.WithContext(ctx).Raw(q, params), func(scan func(...any) error) error {
		return scan(t.dest(&last)...)
	})
	if err != nil {
		return t, fmt.Errorf("dashboard: totals: %w", err)
	}
	return t, nil
}

// DepartmentTally is the tasks in reach of one department (in one plan).
type DepartmentTally struct {
	DepartmentID, UnitID, PlanID uint
	Name                         string
	First                        int // the least 序号: where it comes in the ledger
	Tally
}

// DashboardDepartments counts the tasks in reach on day asOf by plan and
// department: one query, a row per department (500 for the benchmark's
// 10,000 tasks). Counted over the tasks alone, then named: joining the
// departments to every task cost a third of the call.
func (s *Store) DashboardDepartments(ctx context.Context, r TaskReach, scope DashboardScope, asOf ledger.Date, th ledger.LightThresholds) ([]DepartmentTally, error) {
	params := tallyParams(asOf, th)
	where := r.sql(params)
	offset, join := s.zoneOffset(scope, asOf, params)
	q := `SELECT g.*, d.name FROM (SELECT t.plan_id, t.department_id, MIN(t.seq) AS first_seq, ` + s.tallySQL(offset) + `
		FROM tasks t` + join + ` WHERE ` + where + `
		GROUP BY t.plan_id, t.department_id) g
		JOIN departments d ON d.id = g.department_id`
	var out []DepartmentTally
	err := eachRow(s.db.WithContext(ctx).Raw(q, params), func(scan func(...any) error) error {
		var (
			d    DepartmentTally
			last dbTime
		)
		if err := scan(append(append([]any{&d.PlanID, &d.DepartmentID, &d.First}, d.dest(&last)...), &d.Name)...); err != nil {
			return err
		}
		p, ok := scope.Plans[d.PlanID]
		if !ok {
			return nil // a plan made since the units were read
		}
		d.UnitID = p.UnitID
		if last.Valid {
			d.LastReport = ledger.DateOf(last.Time.In(p.Zone))
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: departments: %w", err)
	}
	return out, nil
}

// DashboardAnyTask reports whether some task in reach has another officer
// than the person (0: any officer): one query, which stops at the first.
func (s *Store) DashboardAnyTask(ctx context.Context, r TaskReach, notOfficer uint) (bool, error) {
	params := map[string]any{"me": notOfficer}
	q := `SELECT t.id FROM tasks t WHERE ` + r.sql(params) + ` AND t.officer_id <> @me LIMIT 1`
	var ids []uint
	if err := s.db.WithContext(ctx).Raw(q, params).Scan(&ids).Error; err != nil {
		return false, fmt.Errorf("dashboard: any task: %w", err)
	}
	return len(ids) > 0, nil
}
