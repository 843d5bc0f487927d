package ledgergen

import (
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// unitWriter writes a chunk's categories, problems, tasks, measures and
// progress, mapping each row as ImportPlan's planWriter does.
type unitWriter struct {
	tx      *gorm.DB
	now     time.Time
	units   []UnitLedger
	plans   []models.Plan
	depts   []models.Department // len(UnitDepartments) per unit, in order
	people  []models.Person     // officers then leaders, perUnit per unit
	perUnit int
}

func (w unitWriter) write(sum *Loaded) error {
	var cats []models.Category
	type catKey struct {
		unit int
		name string
	}
	catIdx := map[catKey]int{}
	for i, u := range w.units {
		for _, r := range u.Rows {
			k := catKey{i, r.Category}
			if _, ok := catIdx[k]; !ok {
				catIdx[k] = len(cats)
				cats = append(cats, models.Category{PlanID: w.plans[i].ID, Seq: countPlan(cats, w.plans[i].ID) + 1, Name: r.Category})
			}
		}
	}
	if err := insert(w.tx, "categories", cats); err != nil {
		return err
	}
	var probs []models.Problem
	probIdx := map[catKey]int{} // unit and problem number
	for i, u := range w.units {
		seq := 0
		for _, r := range u.Rows {
			k := catKey{i, ledger.ProblemNumber(r.ProblemCode)}
			if _, ok := probIdx[k]; !ok {
				seq++
				probIdx[k] = len(probs)
				probs = append(probs, models.Problem{PlanID: w.plans[i].ID, CategoryID: cats[catIdx[catKey{i, r.Category}]].ID,
					Seq: seq, Number: k.name, Title: r.ProblemTitle})
			}
		}
	}
	if err := insert(w.tx, "problems", probs); err != nil {
		return err
	}
	var tasks []models.Task
	var rows []ledger.Row
	for i, u := range w.units {
		for _, r := range u.Rows {
			d := slices.Index(UnitDepartments, r.Department)
			t := models.Task{PlanID: w.plans[i].ID, ProblemID: probs[probIdx[catKey{i, ledger.ProblemNumber(r.ProblemCode)}]].ID,
				Seq: r.Seq, Code: r.ProblemCode, Title: ledger.TaskTitle(r.ProblemCode, r.ProblemTitle, r.Detail), Detail: r.Detail,
				DepartmentID: w.depts[i*len(UnitDepartments)+d].ID,
				OfficerID:    w.people[i*w.perUnit+slices.Index(UnitOfficerNames, r.Officer)].ID,
				LeaderID:     w.people[i*w.perUnit+len(UnitOfficerNames)+slices.Index(UnitLeaderNames, r.Leader)].ID,
				Status:       string(r.Status), Deadline: models.DateOf(r.Deadline.Date), OriginalDeadline: models.DateOf(r.Deadline.Date),
				LongTerm: r.Deadline.LongTerm, CreatedAt: w.now, UpdatedAt: w.now}
			if r.Deadline.LongTerm {
				t.Recurrence = r.Deadline.Recurrence.String()
			}
			if r.StageDone {
				t.StageDoneAt = &w.now
			}
			tasks = append(tasks, t)
			rows = append(rows, r)
		}
	}
	if err := insert(w.tx, "tasks", tasks); err != nil {
		return err
	}
	var measures []models.Measure
	var progress []models.ProgressEntry
	var requests []models.DeadlineChange
	asked := map[uint]bool{} // plans with a request already
	for i, r := range rows {
		// Each unit's first open, dated task in progress has asked for 30
		// more days (the digests count requests awaiting a decision).
		if t := tasks[i]; !asked[t.PlanID] && r.Status == ledger.StatusInProgress && !r.Deadline.LongTerm {
			asked[t.PlanID] = true
			requests = append(requests, models.DeadlineChange{TaskID: t.ID, OldDeadline: t.Deadline,
				NewDeadline: models.DateOf(r.Deadline.Date.AddDays(30)), Reason: "涉及多个部门，需协调推进", ChangedByID: &tasks[i].OfficerID,
				CreatedAt: w.now, State: string(models.DeadlinePending)})
		}
		done := r.Status == ledger.StatusClosed || r.StageDone
		for j, m := range r.Measures {
			measures = append(measures, models.Measure{TaskID: tasks[i].ID, Seq: j + 1, Text: m, Done: done})
		}
		if r.Progress != "" {
			progress = append(progress, models.ProgressEntry{TaskID: tasks[i].ID, Text: r.Progress, Source: models.SourceImport, CreatedAt: w.now})
		}
	}
	if err := insert(w.tx, "measures", measures); err != nil {
		return err
	}
	if err := insert(w.tx, "progress", progress); err != nil {
		return err
	}
	if err := insert(w.tx, "deadline requests", requests); err != nil {
		return err
	}
	sum.Tasks += len(tasks)
	sum.Measures += len(measures)
	sum.Progress += len(progress)
	sum.DeadlineRequests += len(requests)
	return nil
}

// countPlan counts the categories of a plan so far (a unit has three).
func countPlan(cats []models.Category, plan uint) int {
	n := 0
	for i := len(cats) - 1; i >= 0 && cats[i].PlanID == plan; i-- {
		n++
	}
	return n
}
