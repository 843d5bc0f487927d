package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rectibot/rectibot/ledger"
)

// batchSize keeps every multi-row INSERT well under PostgreSQL's 65,535
// bind parameters (tasks have under 20 columns).
const batchSize = 500

// planWriter writes one imported plan inside a transaction.
type planWriter struct {
	tx       *gorm.DB
	now      time.Time
	rows     []ledger.Row
	statuses []importStatus
	sum      *ImportSummary

	unit        Unit
	plan        Plan
	taskIDs     []uint
	departments map[string]*Department
	people      map[string]*Person
}

func (w *planWriter) write(spec PlanSpec) error {
	if err := w.resolveUnit(spec); err != nil {
		return err
	}
	w.plan = Plan{Title: spec.Title, Team: spec.Team, Unit: spec.Unit, UnitID: w.unit.ID, FeedbackDate: DateOf(spec.FeedbackDate),
		TimeZone: spec.TimeZone, Year: spec.Year, CreatedAt: w.now}
	if err := w.tx.Create(&w.plan).Error; err != nil {
		return fmt.Errorf("import: create plan: %w", err)
	}
	if err := w.resolveDepartments(); err != nil {
		return err
	}
	if err := w.resolvePeople(); err != nil {
		return err
	}
	problems, err := w.writeStructure()
	if err != nil {
		return err
	}
	return w.writeTasks(problems)
}

// resolveUnit finds the plan's unit by name, or creates it: departments
// and people are looked up within it, so two units' 办公室 and 张伟 never
// meet. A short name or self-reference given fills one the unit lacks.
func (w *planWriter) resolveUnit(spec PlanSpec) error {
	name := strings.TrimSpace(spec.Unit)
	if name == "" {
		// No unit named: the installation's only unit, as before units
		// (an unnamed one in a new installation); with several, refused.
		var units []Unit
		if err := w.tx.Order("id").Limit(2).Find(&units).Error; err != nil {
			return fmt.Errorf("import: look up units: %w", err)
		}
		if len(units) == 1 {
			w.unit = units[0]
			return nil
		}
		if len(units) > 1 {
			return ErrUnitRequired
		}
	}
	unit, err := findUnit(w.tx, name) // its full name, or its short name
	if err == nil {
		w.unit = unit
	}
	switch {
	case errors.Is(err, ErrNotFound):
		w.unit = Unit{Name: name, ShortName: strings.TrimSpace(spec.UnitShort), SelfName: strings.TrimSpace(spec.UnitSelf), CreatedAt: w.now}
		if err := w.tx.Create(&w.unit).Error; err != nil {
			return fmt.Errorf("import: create unit: %w", err)
		}
		w.sum.NewUnit = true
		return nil
	case err != nil:
		return fmt.Errorf("import: look up unit: %w", err)
	}
	fill := map[string]any{}
	if s := strings.TrimSpace(spec.UnitShort); s != "" && w.unit.ShortName == "" {
		fill["short_name"] = s
	}
	if s := strings.TrimSpace(spec.UnitSelf); s != "" && w.unit.SelfName == "" {
		fill["self_name"] = s
	}
	if len(fill) > 0 {
		if err := w.tx.Model(&w.unit).Updates(fill).Error; err != nil {
			return fmt.Errorf("import: name unit: %w", err)
		}
	}
	return nil
}

func (w *planWriter) resolveDepartments() error {
	var names []string
	seen := map[string]bool{}
	for _, r := range w.rows {
		if !seen[r.Department] {
			seen[r.Department] = true
			names = append(names, r.Department)
		}
	}
	var found []Department
	if err := w.tx.Where("unit_id = ? AND name IN ?", w.unit.ID, names).Find(&found).Error; err != nil {
		return fmt.Errorf("import: look up departments: %w", err)
	}
	w.departments = make(map[string]*Department, len(names))
	for i := range found {
		w.departments[found[i].Name] = &found[i]
	}
	var missing []Department
	for _, n := range names {
		if w.departments[n] == nil {
			missing = append(missing, Department{Name: n, UnitID: w.unit.ID})
		}
	}
	if len(missing) > 0 {
		if err := createAll(w.tx, missing).Error; err != nil {
			return fmt.Errorf("import: create departments: %w", err)
		}
		for i := range missing {
			w.departments[missing[i].Name] = &missing[i]
		}
	}
	w.sum.Departments, w.sum.NewDepartments = len(names), len(missing)
	return nil
}

// resolvePeople finds or creates every leader and officer, grants their
// roles and records who leads which department. An officer already stored
// in another department is a conflict, reported by row.
func (w *planWriter) resolvePeople() error {
	officerDept := map[string]string{}
	leaderDepts := map[string]map[string]bool{}
	var names []string
	for _, r := range w.rows {
		names = append(names, r.Leader, r.Officer)
		if _, ok := officerDept[r.Officer]; !ok {
			officerDept[r.Officer] = r.Department
		}
		if leaderDepts[r.Leader] == nil {
			leaderDepts[r.Leader] = map[string]bool{}
		}
		leaderDepts[r.Leader][r.Department] = true
	}
	names = uniq(names)
	var found []Person
	if err := w.tx.Where("unit_id = ? AND name IN ?", w.unit.ID, names).Find(&found).Error; err != nil {
		return fmt.Errorf("import: look up people: %w", err)
	}
	w.people = make(map[string]*Person, len(names))
	for i := range found {
		w.people[found[i].Name] = &found[i]
	}
	if err := w.checkOfficerDepartments(officerDept); err != nil {
		return err
	}
	var missing []Person
	for _, n := range names {
		if w.people[n] == nil {
			p := Person{Name: n, UnitID: &w.unit.ID, CreatedAt: w.now}
			if d, ok := officerDept[n]; ok {
				p.DepartmentID = ptr(w.departments[d].ID)
			}
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		if err := createAll(w.tx, missing).Error; err != nil {
			return fmt.Errorf("import: create people: %w", err)
		}
		for i := range missing {
			w.people[missing[i].Name] = &missing[i]
		}
	}
	w.sum.NewPeople, w.sum.Leaders, w.sum.Officers = len(missing), len(leaderDepts), len(officerDept)
	if err := w.assignDepartments(officerDept); err != nil {
		return err
	}
	return w.grantRoles(officerDept, leaderDepts)
}

func (w *planWriter) checkOfficerDepartments(officerDept map[string]string) error {
	deptName, err := w.storedDepartmentNames()
	if err != nil {
		return err
	}
	var conflicts []ImportConflict
	reported := map[string]bool{} // one line per person is enough
	for _, r := range w.rows {
		if reported[r.Officer] {
			continue
		}
		// The file's first department for the officer, or the ledger's.
		want, where := officerDept[r.Officer], "in this file"
		if p := w.people[r.Officer]; p != nil && p.DepartmentID != nil {
			want, where = deptName[*p.DepartmentID], "in the ledger"
		}
		if r.Department != want {
			reported[r.Officer] = true
			conflicts = append(conflicts, ImportConflict{Row: r.SourceRow, Column: "责任人", Found: r.Officer,
				Reason: fmt.Sprintf("expected an officer of %s: this person is already an officer of %s %s", r.Department, want, where)})
		}
	}
	if len(conflicts) > 0 {
		return &ImportConflictError{Conflicts: conflicts}
	}
	return nil
}

// storedDepartmentNames maps the departments of the people already in the
// ledger to their names: those the file names are loaded already, the rest
// in one query.
func (w *planWriter) storedDepartmentNames() (map[uint]string, error) {
	names := make(map[uint]string, len(w.departments))
	for _, d := range w.departments {
		names[d.ID] = d.Name
	}
	var missing []uint
	for _, p := range w.people {
		if p.DepartmentID != nil && names[*p.DepartmentID] == "" {
			missing = append(missing, *p.DepartmentID)
		}
	}
	if len(missing) == 0 {
		return names, nil
	}
	var extra []Department
	if err := w.tx.Where("id IN ?", missing).Find(&extra).Error; err != nil {
		return nil, fmt.Errorf("import: look up departments: %w", err)
	}
	for _, d := range extra {
		names[d.ID] = d.Name
	}
	return names, nil
}

// assignDepartments gives people already in the ledger without a department
// (until now only leaders, or added by hand) the department they are an
// officer of in this file, so permissions scope them to it.
func (w *planWriter) assignDepartments(officerDept map[string]string) error {
	for name, dept := range officerDept {
		p := w.people[name]
		if p.DepartmentID != nil {
			continue
		}
		id := w.departments[dept].ID
		if err := w.tx.Model(&Person{}).Where("id = ?", p.ID).Update("department_id", id).Error; err != nil {
			return fmt.Errorf("import: assign department: %w", err)
		}
		p.DepartmentID = &id
	}
	return nil
}

func (w *planWriter) grantRoles(officerDept map[string]string, leaderDepts map[string]map[string]bool) error {
	var roles []PersonRole
	var leads []DepartmentLeader
	for n := range officerDept {
		roles = append(roles, PersonRole{PersonID: w.people[n].ID, Role: string(ledger.RoleOfficer)})
	}
	for n, depts := range leaderDepts {
		roles = append(roles, PersonRole{PersonID: w.people[n].ID, Role: string(ledger.RoleLeader)})
		for d := range depts {
			leads = append(leads, DepartmentLeader{DepartmentID: w.departments[d].ID, PersonID: w.people[n].ID})
		}
	}
	// Roles and leaderships may exist from an earlier plan: keep those.
	if err := createAll(w.tx.Clauses(clause.OnConflict{DoNothing: true}), roles).Error; err != nil {
		return fmt.Errorf("import: grant roles: %w", err)
	}
	if err := createAll(w.tx.Clauses(clause.OnConflict{DoNothing: true}), leads).Error; err != nil {
		return fmt.Errorf("import: record department leaders: %w", err)
	}
	return nil
}

// writeStructure creates the categories and problems in file order and
// returns the problems by number.
func (w *planWriter) writeStructure() (map[string]*Problem, error) {
	var cats []Category
	catIdx := map[string]int{}
	for _, r := range w.rows {
		if _, ok := catIdx[r.Category]; !ok {
			catIdx[r.Category] = len(cats)
			cats = append(cats, Category{PlanID: w.plan.ID, Seq: len(cats) + 1, Name: r.Category})
		}
	}
	if err := createAll(w.tx, cats).Error; err != nil {
		return nil, fmt.Errorf("import: create categories: %w", err)
	}
	var probs []Problem
	probIdx := map[string]int{}
	for _, r := range w.rows {
		n := ledger.ProblemNumber(r.ProblemCode)
		if _, ok := probIdx[n]; !ok {
			probIdx[n] = len(probs)
			probs = append(probs, Problem{PlanID: w.plan.ID, CategoryID: cats[catIdx[r.Category]].ID,
				Seq: len(probs) + 1, Number: n, Title: r.ProblemTitle})
		}
	}
	if err := createAll(w.tx, probs).Error; err != nil {
		return nil, fmt.Errorf("import: create problems: %w", err)
	}
	out := make(map[string]*Problem, len(probs))
	for n, i := range probIdx {
		out[n] = &probs[i]
	}
	w.sum.Categories, w.sum.Problems = len(cats), len(probs)
	return out, nil
}

func (w *planWriter) writeTasks(problems map[string]*Problem) error {
	tasks := make([]Task, len(w.rows))
	for i, r := range w.rows {
		st := w.statuses[i].Status
		t := Task{
			PlanID: w.plan.ID, ProblemID: problems[ledger.ProblemNumber(r.ProblemCode)].ID,
			Seq: r.Seq, Code: r.ProblemCode, Title: ledger.TaskTitle(r.ProblemCode, r.ProblemTitle, r.Detail),
			Detail: r.Detail, DepartmentID: w.departments[r.Department].ID,
			LeaderID: w.people[r.Leader].ID, OfficerID: w.people[r.Officer].ID,
			Status: string(st), Deadline: DateOf(r.Deadline.Date), OriginalDeadline: DateOf(r.Deadline.Date),
			LongTerm: r.Deadline.LongTerm, CreatedAt: w.now, UpdatedAt: w.now,
		}
		if r.Deadline.LongTerm {
			t.Recurrence = r.Deadline.Recurrence.String()
			w.sum.LongTerm++
		}
		// An imported closure has no closed_at: the ledger does not say
		// when it was closed, and the import's own time would make every
		// imported closure "new" in the next compilation (半月梳理汇总)
		// and ask its 回头看 90 days after the import.
		if w.statuses[i].StageDone {
			// The ledger says the stage is done as of its import.
			t.StageDoneAt = ptr(w.now)
			w.sum.StageDone++
		}
		tasks[i] = t
		w.sum.ByStatus[st]++
	}
	if err := createAll(w.tx, tasks).Error; err != nil {
		return fmt.Errorf("import: create tasks: %w", err)
	}
	for _, t := range tasks {
		w.taskIDs = append(w.taskIDs, t.ID)
	}
	var measures []Measure
	var progress []ProgressEntry
	for i, r := range w.rows {
		for j, m := range r.Measures {
			measures = append(measures, Measure{TaskID: tasks[i].ID, Seq: j + 1, Text: m, Done: w.statuses[i].Status == ledger.StatusClosed || w.statuses[i].StageDone})
		}
		if r.Progress != "" {
			progress = append(progress, ProgressEntry{TaskID: tasks[i].ID, Text: r.Progress, Source: SourceImport, CreatedAt: w.now})
		}
	}
	if err := createAll(w.tx, measures).Error; err != nil {
		return fmt.Errorf("import: create measures: %w", err)
	}
	if err := createAll(w.tx, progress).Error; err != nil {
		return fmt.Errorf("import: create progress entries: %w", err)
	}
	w.sum.PlanID, w.sum.Tasks, w.sum.Measures, w.sum.ProgressItems = w.plan.ID, len(tasks), len(measures), len(progress)
	return nil
}

func uniq(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// createAll inserts rows in batches; an empty slice is no work (GORM would
// call it an error).
func createAll[T any](tx *gorm.DB, rows []T) *gorm.DB {
	if len(rows) == 0 {
		return tx
	}
	return tx.CreateInBatches(&rows, batchSize)
}
