package ledgergen

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// loadChunk is the units written per transaction (6,250 tasks): big
// enough that batches are full, small enough that a chunk's rows stay a
// few MB while the next chunk is generated.
const loadChunk = 250

// loadBatch is the rows per INSERT on PostgreSQL: a task has 19 columns,
// so 1,000 rows stay under its 65,535 bind parameters. The SQLite driver
// binds each parameter by a scan of all of them (quadratic in the
// statement's size), so there a smaller batch is much faster.
const (
	loadBatch       = 1000
	loadBatchSQLite = 100
)

// Loaded says what Load wrote.
type Loaded struct {
	Units, Plans, Tasks, Departments, Officers, Leaders, Measures, Progress int
	DeadlineRequests                                                        int // pending, one in most units
	Took                                                                    time.Duration
}

// Load writes spec's units into a migrated database straight into the
// tables, as ImportPlan of each unit's 台账 with PlanSpec.Unit would — the
// same rows, units, departments and people per unit, roles and
// leaderships, statuses (a 阶段性完成 long-term task stage-done as of now),
// measures and imported progress, plus in most units one deadline request
// awaiting a decision — but many units per multi-row INSERT,
// without the audit event and without planning reminders (like the
// command line's import: Reconcile plans them). At province scale on
// PostgreSQL an import per unit takes some 9 ms, 90 s in all; this takes
// about 30 s (in transactions of 250 units). The benchmarks of
// one import time ImportPlan itself.
func Load(ctx context.Context, db *gorm.DB, spec UnitsSpec, now time.Time) (Loaded, error) {
	began := time.Now()
	var sum Loaded
	chunks := make(chan []UnitLedger, 1)
	go func() { // generate the next chunk while the last is written
		defer close(chunks)
		for start := 0; start < spec.Units; start += loadChunk {
			units := make([]UnitLedger, 0, loadChunk)
			for i := start; i < min(spec.Units, start+loadChunk); i++ {
				units = append(units, spec.Unit(i))
			}
			select {
			case chunks <- units:
			case <-ctx.Done():
				return
			}
		}
	}()
	for units := range chunks {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return loadUnits(tx, spec, units, now.UTC(), &sum)
		})
		if err != nil {
			for range chunks { // let the generator end
			}
			return sum, fmt.Errorf("ledgergen: load units: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	sum.Took = time.Since(began)
	return sum, nil
}

func insert[T any](tx *gorm.DB, what string, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	batch := loadBatch
	if tx.Dialector.Name() == "sqlite" {
		batch = loadBatchSQLite
	}
	if err := tx.CreateInBatches(&rows, batch).Error; err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// loadUnits writes one chunk of units, table by table.
func loadUnits(tx *gorm.DB, spec UnitsSpec, units []UnitLedger, now time.Time, sum *Loaded) error {
	zone := spec.TimeZone
	if zone == "" {
		zone = models.DefaultTimeZone
	}
	us := make([]models.Unit, len(units))
	for i, u := range units {
		us[i] = models.Unit{Name: u.Name, ShortName: u.ShortName, SelfName: u.SelfName, CreatedAt: now}
	}
	if err := insert(tx, "units", us); err != nil {
		return err
	}
	plans := make([]models.Plan, len(units))
	for i, u := range units {
		plans[i] = models.Plan{Title: u.PlanTitle, Team: "县委第一巡察组", Unit: u.Name, UnitID: us[i].ID,
			FeedbackDate: models.DateOf(spec.AsOf.AddDays(-120)), TimeZone: zone, Year: spec.AsOf.Year, CreatedAt: now}
	}
	if err := insert(tx, "plans", plans); err != nil {
		return err
	}
	depts := make([]models.Department, 0, len(units)*len(UnitDepartments))
	for i := range units {
		for _, n := range UnitDepartments {
			depts = append(depts, models.Department{Name: n, UnitID: us[i].ID})
		}
	}
	if err := insert(tx, "departments", depts); err != nil {
		return err
	}
	perUnit := len(UnitOfficerNames) + len(UnitLeaderNames)
	people := make([]models.Person, 0, len(units)*perUnit)
	for i := range units {
		uid := us[i].ID
		for k, n := range UnitOfficerNames {
			people = append(people, models.Person{Name: n, UnitID: &uid, DepartmentID: &depts[i*len(UnitDepartments)+k].ID, CreatedAt: now})
		}
		for _, n := range UnitLeaderNames {
			people = append(people, models.Person{Name: n, UnitID: &uid, CreatedAt: now})
		}
	}
	if err := insert(tx, "people", people); err != nil {
		return err
	}
	var roles []models.PersonRole
	var leads []models.DepartmentLeader
	for i := range units {
		for k := range perUnit {
			role := ledger.RoleOfficer
			if k >= len(UnitOfficerNames) {
				role = ledger.RoleLeader
			}
			roles = append(roles, models.PersonRole{PersonID: people[i*perUnit+k].ID, Role: string(role)})
		}
		for d := range UnitDepartments {
			leads = append(leads, models.DepartmentLeader{DepartmentID: depts[i*len(UnitDepartments)+d].ID,
				PersonID: people[i*perUnit+len(UnitOfficerNames)+min(d/3, 1)].ID})
		}
	}
	if err := insert(tx, "roles", roles); err != nil {
		return err
	}
	if err := insert(tx, "department leaders", leads); err != nil {
		return err
	}
	w := unitWriter{tx: tx, now: now, units: units, plans: plans, depts: depts, people: people, perUnit: perUnit}
	if err := w.write(sum); err != nil {
		return err
	}
	sum.Units += len(units)
	sum.Plans += len(plans)
	sum.Departments += len(depts)
	sum.Officers += len(units) * len(UnitOfficerNames)
	sum.Leaders += len(units) * len(UnitLeaderNames)
	return nil
}
