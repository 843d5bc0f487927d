package ledgergen

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// TestUnitsCollideByName: every unit has the same departments, officers and
// leaders by name, unit names never repeat, and each unit's rows have the
// shape the benchmarks promise.
func TestUnitsCollideByName(t *testing.T) {
	spec := UnitsSpec{Units: ProvinceUnits, TasksPerUnit: UnitTasks, AsOf: Spec10k.AsOf}
	names := map[string]bool{}
	for _, i := range []int{0, 1, 24, 25, 399, 9999, 10000, 29999} {
		u := spec.Unit(i)
		if names[u.Name] || names[u.PlanTitle] {
			t.Fatalf("unit %d: %q or %q repeats", i, u.Name, u.PlanTitle)
		}
		names[u.Name], names[u.PlanTitle] = true, true
		if !reflect.DeepEqual(u, spec.Unit(i)) {
			t.Fatalf("unit %d is not deterministic", i)
		}
		if len(u.Rows) != UnitTasks {
			t.Fatalf("unit %d: %d rows, want %d", i, len(u.Rows), UnitTasks)
		}
		depts, officers, leaders := map[string]bool{}, map[string]bool{}, map[string]bool{}
		codes := map[string]bool{}
		for _, r := range u.Rows {
			depts[r.Department], officers[r.Officer], leaders[r.Leader] = true, true, true
			if codes[r.ProblemCode] {
				t.Fatalf("unit %d: code %s twice", i, r.ProblemCode)
			}
			codes[r.ProblemCode] = true
		}
		if len(depts) != len(UnitDepartments) || len(officers) != UnitOfficers || len(leaders) != UnitLeaders {
			t.Fatalf("unit %d: %d departments, %d officers, %d leaders", i, len(depts), len(officers), len(leaders))
		}
		if !officers["张伟"] || !depts["办公室"] {
			t.Fatalf("unit %d has no 张伟 or no 办公室", i)
		}
	}
}

// TestLoadIsImport: Load writes what ImportPlan of each unit's rows with
// PlanSpec.Unit writes — the same ledger rows back, the same people and
// roles per unit, nothing shared between units — on both databases.
func TestLoadIsImport(t *testing.T) {
	ctx := context.Background()
	spec := UnitsSpec{Units: 3, TasksPerUnit: UnitTasks, AsOf: Spec10k.AsOf}
	now := time.Date(2021, 9, 14, 1, 0, 0, 0, time.UTC)

	loadedDB, _ := testdb.Open(t)
	got, err := Load(ctx, loadedDB, spec, now)
	if err != nil {
		t.Fatal(err)
	}
	want := Loaded{Units: 3, Plans: 3, Tasks: 75, Departments: 15, Officers: 15, Leaders: 6}
	got.Measures, got.Progress, got.DeadlineRequests, got.Took = 0, 0, 0, 0
	if got != want {
		t.Fatalf("loaded %+v, want %+v", got, want)
	}
	importedDB, _ := testdb.Open(t)
	imported := models.NewStore(importedDB, clock.NewManual(now))
	for i := range spec.Units {
		u := spec.Unit(i)
		if _, err := imported.ImportPlan(ctx, models.PlanSpec{Title: u.PlanTitle, Team: "县委第一巡察组", Unit: u.Name,
			UnitShort: u.ShortName, UnitSelf: u.SelfName, FeedbackDate: spec.AsOf.AddDays(-120), Year: spec.AsOf.Year},
			u.Rows, models.CLIActor, false); err != nil {
			t.Fatalf("import unit %d: %v", i, err)
		}
	}
	loaded := models.NewStore(loadedDB, clock.NewManual(now))
	for i := range spec.Units {
		l, m := ledgerOf(t, loaded, uint(i+1)), ledgerOf(t, imported, uint(i+1))
		if !reflect.DeepEqual(l, m) {
			t.Fatalf("unit %d: loaded ledger differs from the imported one:\n%+v\n%+v", i, l, m)
		}
	}
	lp, ip := peopleOf(t, loaded), peopleOf(t, imported)
	if !reflect.DeepEqual(lp, ip) {
		t.Fatalf("people differ:\nloaded   %+v\nimported %+v", lp, ip)
	}
	if len(lp) != 21 {
		t.Fatalf("%d people, want 21 (7 per unit, none shared)", len(lp))
	}
}

func ledgerOf(t *testing.T, s *models.Store, planID uint) []ledger.Row {
	t.Helper()
	rows, err := s.LedgerRows(context.Background(), planID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]ledger.Row, len(rows))
	for i, r := range rows {
		out[i] = r.Row
	}
	return out
}

// peopleOf is everyone with what identifies them, ids left out.
func peopleOf(t *testing.T, s *models.Store) []models.PersonInfo {
	t.Helper()
	ps, err := s.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		ps[i].ID, ps[i].LinkedAt = 0, nil
	}
	return ps
}
