package ledger

import "testing"

func TestReadReach(t *testing.T) {
	leader := Actor{PersonID: 7, Roles: []Role{RoleLeader}, LedDepartmentIDs: []uint{10, 11}}
	for _, c := range []struct {
		name string
		a    Actor
		all  bool
		dept uint
		want bool
	}{
		{"admin", Actor{Roles: []Role{RoleAdmin}}, true, 30, true},
		{"viewer", Actor{PersonID: 2, Roles: []Role{RoleViewer}}, true, 30, true},
		{"leader of everything", Actor{PersonID: 3, Roles: []Role{RoleLeader}, SeesAll: true}, true, 30, true},
		{"leader, a led department", leader, false, 10, true},
		{"leader, another department", leader, false, 30, false},
		{"officer", Actor{PersonID: 4, Roles: []Role{RoleOfficer}, DepartmentID: 10}, false, 10, false},
	} {
		r := ReadReach(c.a)
		if r.All != c.all || r.CoversDepartment(c.dept) != c.want {
			t.Errorf("%s: reach %+v covers %d = %v, want all=%v covers=%v", c.name, r, c.dept, r.CoversDepartment(c.dept), c.all, c.want)
		}
	}
	if r := ReadReach(leader); r.LeaderID != 7 {
		t.Errorf("a leader's reach misses the tasks led by name: %+v", r)
	}
	// Units: a person reads their own; a supervisor those supervised.
	unitAdmin := ReadReach(Actor{PersonID: 8, UnitID: 2, Roles: []Role{RoleAdmin}})
	if !unitAdmin.Covers(2, 30, 0) || unitAdmin.Covers(1, 30, 0) {
		t.Errorf("a unit's admin reads outside the unit, or not inside: %+v", unitAdmin)
	}
	sup := ReadReach(Actor{PersonID: 9, Roles: []Role{RoleSupervisor}, SupervisedUnitIDs: []uint{1, 3}})
	if !sup.Covers(3, 30, 0) || sup.Covers(2, 30, 0) {
		t.Errorf("a supervisor's reach: %+v", sup)
	}
	if all := ReadReach(Actor{Roles: []Role{RoleAdmin}}); all.Units != nil || !all.Covers(5, 1, 0) {
		t.Errorf("the installation's admin does not read every unit: %+v", all)
	}
}
