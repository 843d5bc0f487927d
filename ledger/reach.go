package ledger

import "slices"

// Reach is the part of the ledger a person's digests, overdue lists and
// exports cover (SPEC §1): everything for admins, viewers and leaders
// marked as seeing the whole; for another leader, the departments they
// lead and the tasks they lead by name.
type Reach struct {
	All           bool
	DepartmentIDs []uint
	LeaderID      uint
}

// ReadReach is a's reach for reading the ledger as a whole. Officers have
// none here: their lists are their tasks (Authorize, ActViewTask).
func ReadReach(a Actor) Reach {
	switch {
	case a.Has(RoleAdmin), a.Has(RoleViewer), a.Has(RoleLeader) && a.SeesAll:
		return Reach{All: true}
	case a.Has(RoleLeader):
		return Reach{DepartmentIDs: slices.Clone(a.LedDepartmentIDs), LeaderID: a.PersonID}
	}
	return Reach{}
}

// Covers reports whether the reach includes a task of the department, led
// by the leader.
func (r Reach) Covers(departmentID, leaderID uint) bool {
	return r.CoversDepartment(departmentID) || (r.LeaderID != 0 && r.LeaderID == leaderID)
}

// CoversDepartment reports whether the reach includes a whole department:
// a department filter outside it is refused.
func (r Reach) CoversDepartment(id uint) bool {
	return r.All || slices.Contains(r.DepartmentIDs, id)
}
