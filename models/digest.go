package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
)

// DigestFilter narrows a digest. Zero values mean "everything".
type DigestFilter struct {
	PlanID     uint
	Department string
	// Reach limits the digest to what a person reads (ledger.ReadReach);
	// nil is everything (the command line, the scheduler's group digests).
	Reach *ledger.Reach
}

// sql is the filter as a condition on taskFrom's t and d, with its params
// (added to params): the plan, the department by name, the reach.
func (f DigestFilter) sql(params map[string]any) string {
	params["plan"], params["dept"] = f.PlanID, f.Department
	cond := "(@plan = 0 OR t.plan_id = @plan) AND (@dept = '' OR d.name = @dept)"
	r := f.Reach
	if r == nil {
		return cond
	}
	if r.Units != nil {
		params["reach_units"] = r.Units
		cond += " AND t.plan_id IN (SELECT id FROM plans WHERE unit_id IN @reach_units)"
	}
	if !r.All {
		params["reach_leader"] = r.LeaderID
		if len(r.DepartmentIDs) == 0 {
			return cond + " AND t.leader_id = @reach_leader"
		}
		params["reach_depts"] = r.DepartmentIDs
		cond += " AND (t.department_id IN @reach_depts OR t.leader_id = @reach_leader)"
	}
	return cond
}

// lightSQL is ledger.LightOf in SQL, so counts by light are one GROUP BY.
// TestDigestLightMatchesDomain keeps the two in step.
const lightSQL = `CASE
	WHEN t.status = 'closed' OR t.deadline IS NULL THEN 'green'
	WHEN t.deadline < @today THEN 'red'
	WHEN t.deadline <= @soon THEN 'yellow'
	ELSE 'green' END`

// Digest computes where the ledger stands on day asOf with two queries: one
// aggregate of counts by department, status, light and stage done (a
// long-term task's stage goals met, counted as done), and one list of the
// open tasks that are overdue or due within the yellow window. The plan's
// title is the caller's (it found the plan).
func (s *Store) Digest(ctx context.Context, f DigestFilter, asOf ledger.Date, th ledger.LightThresholds) (ledger.Digest, error) {
	d := ledger.Digest{AsOf: asOf, Department: f.Department,
		ByStatus: map[ledger.Status]int{}, ByLight: map[ledger.Light]int{}}
	soon := asOf.AddDays(th.YellowWithinDays)
	params := map[string]any{"today": DateOf(asOf), "soon": DateOf(soon)}
	filter := f.sql(params)

	var counts []struct {
		Department string
		Status     string
		Light      string
		Stage      int // 1: an ongoing task whose stage goals are met
		N          int
		First      int // the least 序号 of the group: the ledger's order
	}
	err := s.db.WithContext(ctx).Raw(`SELECT department, status, light, stage, COUNT(*) AS n, MIN(seq) AS first FROM (
		SELECT d.name AS department, t.status, t.seq, `+lightSQL+` AS light,
			CASE WHEN t.status = 'ongoing' AND t.stage_done_at IS NOT NULL THEN 1 ELSE 0 END AS stage
		FROM tasks t JOIN departments d ON d.id = t.department_id
		WHERE `+filter+`
	) x GROUP BY department, status, light, stage ORDER BY department`, params).Scan(&counts).Error
	if err != nil {
		return d, fmt.Errorf("digest counts: %w", err)
	}
	depts := map[string]*ledger.DepartmentSummary{}
	for _, c := range counts {
		st, li := ledger.Status(c.Status), ledger.Light(c.Light)
		ds := depts[c.Department]
		if ds == nil {
			ds = &ledger.DepartmentSummary{Name: c.Department, First: c.First, ByStatus: map[ledger.Status]int{}, ByLight: map[ledger.Light]int{}}
			depts[c.Department] = ds
		}
		ds.First = min(ds.First, c.First)
		ds.Total += c.N
		ds.ByStatus[st] += c.N
		ds.ByLight[li] += c.N
		d.Total += c.N
		d.ByStatus[st] += c.N
		d.ByLight[li] += c.N
		if c.Stage == 1 {
			ds.StageDone += c.N
			d.StageDone += c.N
		}
	}
	d.Overdue = d.ByLight[ledger.LightRed]
	var requests int64
	err = s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM deadline_changes dc JOIN tasks t ON t.id = dc.task_id
		JOIN departments d ON d.id = t.department_id
		WHERE dc.state = 'pending' AND t.status <> 'closed' AND `+filter,
		params).Scan(&requests).Error
	if err != nil {
		return d, fmt.Errorf("digest: deadline requests: %w", err)
	}
	d.DeadlineRequests = int(requests)
	for _, ds := range depts {
		d.Departments = append(d.Departments, *ds)
	}
	ledger.SortDepartments(d.Departments)

	lines, err := s.dueLines(s.db.WithContext(ctx), filter, params)
	if err != nil {
		return d, err
	}
	for _, l := range lines {
		if l.Deadline.Before(asOf) {
			l.Days = l.Deadline.DaysUntil(asOf)
			d.OverdueList = append(d.OverdueList, l)
		} else {
			l.Days = asOf.DaysUntil(l.Deadline)
			d.DueSoon = append(d.DueSoon, l)
		}
	}
	// Most days late first; the SQL ordered by deadline, which is that order.
	return d, nil
}

func (s *Store) dueLines(db *gorm.DB, filter string, params map[string]any) ([]ledger.TaskLine, error) {
	var rows []struct {
		ID         uint
		Code       string
		Title      string
		Department string
		Officer    string
		Leader     string
		Status     string
		Deadline   Date
	}
	err := db.Raw(`SELECT t.id, t.code, t.title, d.name AS department, o.name AS officer, l.name AS leader,
			t.status, t.deadline
		FROM `+taskFrom+`
		WHERE t.status <> 'closed' AND t.deadline IS NOT NULL AND t.deadline <= @soon
			AND `+filter+`
		ORDER BY t.deadline, t.seq, t.id`, params).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("digest lists: %w", err)
	}
	out := make([]ledger.TaskLine, len(rows))
	for i, r := range rows {
		out[i] = ledger.TaskLine{TaskID: r.ID, Code: r.Code, Title: r.Title, Department: r.Department,
			Officer: r.Officer, Leader: r.Leader, Status: ledger.Status(r.Status), Deadline: r.Deadline.Date}
	}
	return out, nil
}
