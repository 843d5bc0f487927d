package ledger

import "slices"

// Reach is the part of the ledger a person's digests, overdue lists and
// exports cover (SPEC §1): their unit (or, above the units, every unit or
// those supervised), and in it everything for admins, viewers and leaders
// marked as seeing the whole; for another leader, the departments they
// lead and the tasks they lead by name.
type Reach struct {
	Units         []uint // only these units; nil: every unit
	All           bool   // everything in those units
	DepartmentIDs []uint
	LeaderID      uint
}

// ReadReach is a's reach for reading the ledger as a whole. Officers have
// none here: their lists are their tasks (Authorize, ActViewTask).
func ReadReach(a Actor) Reach {
	var r Reach
	switch {
	case a.UnitID != 0:
		r.Units = []uint{a.UnitID}
	case a.Has(RoleSupervisor) && !a.Has(RoleAdmin) && len(a.SupervisedUnitIDs) > 0:
		r.Units = slices.Clone(a.SupervisedUnitIDs)
	}
	switch {
	case a.Has(RoleAdmin), a.Has(RoleSupervisor), a.Has(RoleViewer), a.Has(RoleLeader) && a.SeesAll:
		r.All = true
	case a.Has(RoleLeader):
		r.DepartmentIDs, r.LeaderID = slices.Clone(a.LedDepartmentIDs), a.PersonID
	}
	return r
}

// Covers reports whether the reach includes a task of the unit and the
// department, led by the leader.
func (r Reach) Covers(unitID, departmentID, leaderID uint) bool {
	if r.Units != nil && !slices.Contains(r.Units, unitID) {
		return false
	}
	return r.CoversDepartment(departmentID) || (r.LeaderID != 0 && r.LeaderID == leaderID)
}

// CoversDepartment reports whether the reach includes a whole department
// (of a unit it covers): a department filter outside it is refused.
func (r Reach) CoversDepartment(id uint) bool {
	return r.All || slices.Contains(r.DepartmentIDs, id)
}
