package miniapp_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// Above the units: a supervisor of every unit and the installation's admin
// see both units (and the units' ranking); a supervisor of one unit, and
// everybody in a unit, see that unit only.
func TestUnitsAboveTheUnits(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	rows, plan := h.addUnit("青禾县教育局", 30)
	today := ledger.DateOf(asOf)
	late := 0
	for _, r := range rows {
		if ledger.IsOverdue(r.Status, r.Deadline.Date, today) {
			late++
		}
	}
	if late == 0 {
		t.Fatal("the generated unit has nothing overdue: the test would prove little")
	}

	for _, c := range []struct {
		who            string
		id             int64
		total, units   int
		label          string
		rankedUnits    int
		overdueListLen int
	}{
		{"巡察办", supervisorID, 55, 2, "2个单位", 2, late + 1},
		{"督办管理员 (configured)", installAdminID, 55, 2, "2个单位", 2, late + 1},
		{"第六巡察组", limitedSupID, 25, 1, "市委政法委", 0, 1},
		{"督办办", unitAdminID, 25, 1, "市委政法委", 0, 1},
		{"观察员", viewerID, 25, 1, "市委政法委", 0, 1},
	} {
		s := getJSON[summary](h, c.id, "summary")
		if s.Total != c.total || s.Scope.Units != c.units || s.Scope.Label != c.label {
			t.Errorf("%s: %d tasks, scope %+v; want %d in %d units, %q", c.who, s.Total, s.Scope, c.total, c.units, c.label)
		}
		d := getJSON[departments](h, c.id, "departments")
		if len(d.Units) != c.rankedUnits {
			t.Errorf("%s: %d units ranked, want %d", c.who, len(d.Units), c.rankedUnits)
		}
		// Across units each department says whose it is (two units may
		// each have a 办公室); within one unit it need not.
		for _, dep := range d.Departments {
			if (dep.Unit != "") != (c.units > 1) {
				t.Errorf("%s: department %q of unit %q", c.who, dep.Name, dep.Unit)
			}
		}
		if o := getJSON[overdue](h, c.id, "overdue"); len(o.Tasks) != c.overdueListLen {
			t.Errorf("%s: %d overdue, want %d", c.who, len(o.Tasks), c.overdueListLen)
		}
	}
	d := getJSON[departments](h, supervisorID, "departments")
	byName := map[string]int{}
	for i, u := range d.Units {
		byName[u.Name] = i
	}
	dg, qh := d.Units[byName["市委政法委"]], d.Units[byName["青禾县教育局"]]
	if len(byName) != 2 || dg.Total != 25 || dg.Done != 22 || dg.Overdue != 1 || !rateIs(dg.OnTimeRate, 0.9444) ||
		qh.Total != 30 || qh.Overdue != late {
		t.Errorf("units: %+v", d.Units)
	}
	// 9 departments of 市委政法委 and the generated unit's 4.
	if len(d.Departments) != 13 {
		t.Errorf("supervisor: %d departments", len(d.Departments))
	}
	perUnit := map[string]int{}
	for _, dep := range d.Departments {
		perUnit[dep.Unit]++
	}
	if perUnit["市委政法委"] != 9 || perUnit["青禾县教育局"] != 4 {
		t.Errorf("supervisor: departments by unit %v, want 9 of 市委政法委 and 4 of 青禾县教育局", perUnit)
	}

	// A task of the second unit: the supervisor of every unit opens it,
	// the supervisor of 市委政法委 and the unit's admin may not.
	items, err := h.store.TaskItemsByCode(h.ctx, rows[0].ProblemCode)
	if err != nil {
		t.Fatal(err)
	}
	var other uint
	for _, it := range items {
		if it.PlanID == plan {
			other = it.ID
		}
	}
	path := "tasks/" + strconv.Itoa(int(other))
	for _, c := range []struct {
		id     int64
		status int
	}{{supervisorID, http.StatusOK}, {installAdminID, http.StatusOK}, {limitedSupID, http.StatusForbidden}, {unitAdminID, http.StatusForbidden}} {
		if status, body := h.get(c.id, path); status != c.status {
			t.Errorf("%d on the other unit's task: %d %s, want %d", c.id, status, body, c.status)
		}
	}
}
