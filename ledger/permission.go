package ledger

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Role is what a person may do in the ledger (SPEC §1). A person may hold
// several roles; they add up.
type Role string

const (
	RoleAdmin      Role = "admin"      // 督办管理员: the installation's, or a unit's 整改办
	RoleSupervisor Role = "supervisor" // 巡察办/巡察组: reads the units it supervises, changes nothing
	RoleLeader     Role = "leader"     // 责任领导
	RoleOfficer    Role = "officer"    // 责任人
	RoleViewer     Role = "viewer"     // 观察员
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleSupervisor, RoleLeader, RoleOfficer, RoleViewer}

var roleChinese = map[Role]string{
	RoleAdmin:      "督办管理员",
	RoleSupervisor: "巡察办",
	RoleLeader:     "责任领导",
	RoleOfficer:    "责任人",
	RoleViewer:     "观察员",
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { _, ok := roleChinese[r]; return ok }

// Chinese is the role's Chinese name.
func (r Role) Chinese() string { return roleChinese[r] }

// ParseRole reads a role name in English or Chinese, ignoring case and
// surrounding spaces.
func ParseRole(s string) (Role, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, r := range Roles {
		if t == string(r) || t == roleChinese[r] {
			return r, nil
		}
	}
	switch t {
	case "管理员":
		return RoleAdmin, nil
	case "领导":
		return RoleLeader, nil
	case "巡察组", "督查":
		return RoleSupervisor, nil
	}
	return "", fmt.Errorf("role %q: expected admin, leader, officer or viewer", s)
}

// Action is something a person asks the bot to do.
type Action string

// Task actions act on one task and need its TaskScope.
const (
	ActViewTask       Action = "view_task"
	ActReportProgress Action = "report_progress"
	ActRequestClosure Action = "request_closure"
	ActChangeDeadline Action = "change_deadline" // ask for a new deadline; the caller requires a reason
	ActVerify         Action = "verify"          // approve or reject a closure
	ActDecideDeadline Action = "decide_deadline" // approve or reject a new deadline asked for
	ActReopen         Action = "reopen"
)

// Ledger actions act on no single task.
const (
	ActViewDigest    Action = "view_digest"
	ActViewOverdue   Action = "view_overdue"
	ActExport        Action = "export"
	ActImport        Action = "import"
	ActInvite        Action = "invite"
	ActManageGroups  Action = "manage_groups"
	ActNotice        Action = "notice"
	ActRecordResults Action = "record_results" // 整改成效: rules made, funds recovered, accountability, clues
	ActManagePeople  Action = "manage_people"
	ActViewOverview  Action = "view_overview" // the supervisors' ranking of the units (巡察办)
)

// grant is how a role holds an action.
type grant int

const (
	never   grant = iota
	always        // whatever the task
	inReach       // only for tasks the actor is responsible for in that role
)

// grants is SPEC §1 as a table. Admins hold every action, so they are not
// listed; an action missing for a role is never granted.
var grants = map[Role]map[Action]grant{
	RoleLeader: {
		ActViewTask: inReach, ActVerify: inReach, ActDecideDeadline: inReach, ActChangeDeadline: inReach, ActReopen: inReach,
		ActViewDigest: always, ActViewOverdue: always, ActExport: always,
	},
	RoleOfficer: {
		ActViewTask: inReach, ActReportProgress: inReach, ActRequestClosure: inReach, ActChangeDeadline: inReach,
	},
	RoleViewer: {
		ActViewDigest: always,
	},
	// A supervisor reads (its units: InUnit) and changes nothing.
	RoleSupervisor: {
		ActViewTask: always, ActViewDigest: always, ActViewOverdue: always, ActExport: always,
		ActViewOverview: always,
	},
}

var taskActions = map[Action]bool{
	ActViewTask: true, ActReportProgress: true, ActRequestClosure: true,
	ActChangeDeadline: true, ActVerify: true, ActDecideDeadline: true, ActReopen: true,
}

var ledgerActions = map[Action]bool{
	ActViewDigest: true, ActViewOverdue: true, ActExport: true, ActImport: true,
	ActInvite: true, ActManageGroups: true, ActNotice: true, ActManagePeople: true,
	ActViewOverview: true, ActRecordResults: true,
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return taskActions[a] || ledgerActions[a] }

// NeedsTask reports whether a acts on one task, so Authorize needs its scope.
func (a Action) NeedsTask() bool { return taskActions[a] }

func (r Role) grant(a Action) grant {
	if r == RoleAdmin && a.Valid() {
		return always
	}
	return grants[r][a]
}

// Actor is the person asking, as the server knows them at the moment of the
// action (never as a callback or message claims).
type Actor struct {
	PersonID uint
	// UnitID is the unit the person belongs to (SPEC §1): they act within
	// it only. 0 is above the units: the installation's admins
	// (RECTIBOT_ADMINS) and the supervisors.
	UnitID uint
	// SupervisedUnitIDs limits a supervisor to these units; empty: all.
	SupervisedUnitIDs []uint
	Roles             []Role
	DepartmentID      uint   // the officer's department, 0 if none
	LedDepartmentIDs  []uint // departments the leader leads
	SeesAll           bool   // leader of everything
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// TaskScope is what Authorize needs to know about a task: whose it is, in
// which unit.
type TaskScope struct {
	TaskID, DepartmentID, OfficerID, LeaderID, UnitID uint
}

// reaches reports whether the task is the actor's in role r. Zero ids never
// match: an actor or task without a person or department must not match
// every other one without.
func (a Actor) reaches(r Role, t *TaskScope) bool {
	switch r {
	case RoleLeader:
		return a.SeesAll ||
			(a.PersonID != 0 && t.LeaderID == a.PersonID) ||
			(t.DepartmentID != 0 && slices.Contains(a.LedDepartmentIDs, t.DepartmentID))
	case RoleOfficer:
		return (a.PersonID != 0 && t.OfficerID == a.PersonID) ||
			(a.DepartmentID != 0 && t.DepartmentID == a.DepartmentID)
	default:
		return false
	}
}

// ErrDenied matches every *DeniedError with errors.Is.
var ErrDenied = errors.New("permission denied")

// DeniedError says why an action was refused.
type DeniedError struct {
	Action Action
	Reason string
}

func (e *DeniedError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrDenied, e.Action, e.Reason)
}

// Is makes errors.Is(err, ErrDenied) true.
func (e *DeniedError) Is(target error) bool { return target == ErrDenied }

// Authorize decides whether the actor may take the action, on the task for a
// task action (task is ignored otherwise). It returns nil or a *DeniedError.
// The bot calls it for every action, including button presses, with the
// task as stored now.
func Authorize(a Actor, act Action, task *TaskScope) error {
	deny := func(reason string) error { return &DeniedError{Action: act, Reason: reason} }
	switch {
	case !act.Valid():
		return deny(fmt.Sprintf("unknown action %q", string(act)))
	case !slices.ContainsFunc(a.Roles, Role.Valid):
		return deny("you have no role in this ledger")
	case act.NeedsTask() && task == nil:
		return deny("no task given")
	}
	if task != nil && act.NeedsTask() && !a.InUnit(task.UnitID) {
		// Said as for any task that is not theirs: a refusal tells nothing
		// of the other unit.
		return deny(fmt.Sprintf("task %d is not in your unit", task.TaskID))
	}
	if err := byRole(a, act, task, deny); err != nil {
		return err
	}
	if (act == ActVerify || act == ActDecideDeadline) && a.PersonID != 0 && a.PersonID == task.OfficerID {
		// Separation of duties: the 责任人 never approves their own
		// closure or new deadline, whatever else they are (its leader too,
		// or an admin); the office (another admin) does.
		return deny(fmt.Sprintf("you are the officer responsible for task %d: another approver (the office) verifies it", task.TaskID))
	}
	return nil
}

// byRole is Authorize's rule by role: nil when one of the actor's roles
// allows act on task.
func byRole(a Actor, act Action, task *TaskScope, deny func(string) error) error {
	var outOfReach []Role
	for _, r := range a.Roles {
		switch r.grant(act) {
		case always:
			return nil
		case inReach:
			if a.reaches(r, task) {
				return nil
			}
			outOfReach = append(outOfReach, r)
		}
	}
	switch {
	case slices.Contains(outOfReach, RoleLeader) && slices.Contains(outOfReach, RoleOfficer):
		return deny(fmt.Sprintf("task %d is not yours, not your department's and not in a department you lead", task.TaskID))
	case slices.Contains(outOfReach, RoleLeader):
		return deny(fmt.Sprintf("task %d is not in a department you lead", task.TaskID))
	case slices.Contains(outOfReach, RoleOfficer):
		return deny(fmt.Sprintf("task %d is neither yours nor your department's", task.TaskID))
	}
	return deny("only " + whoMay(act) + " may do this")
}

// whoMay names the roles holding act, for the refusal: "admins and leaders".
func whoMay(act Action) string {
	var names []string
	for _, r := range Roles {
		if r.grant(act) != never {
			names = append(names, string(r)+"s")
		}
	}
	switch len(names) {
	case 0:
		return "nobody"
	case 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}

// InUnit reports whether the actor may act in (or, a supervisor, read) the
// unit: their own unit; for someone above the units, any unit (a
// supervisor, those supervised).
func (a Actor) InUnit(unitID uint) bool {
	switch {
	case a.UnitID != 0:
		return a.UnitID == unitID
	case a.Has(RoleSupervisor) && len(a.SupervisedUnitIDs) > 0 && !a.Has(RoleAdmin):
		return slices.Contains(a.SupervisedUnitIDs, unitID)
	}
	return true
}
