package ledger

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{
		"admin": RoleAdmin, " Leader ": RoleLeader, "OFFICER": RoleOfficer, "viewer": RoleViewer,
		"督办管理员": RoleAdmin, "管理员": RoleAdmin, "责任领导": RoleLeader, "领导": RoleLeader,
		"责任人": RoleOfficer, "观察员": RoleViewer,
	} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "root", "admins"} {
		if got, err := ParseRole(in); err == nil {
			t.Errorf("ParseRole(%q) = %q, want an error", in, got)
		}
	}
}

func TestActorHas(t *testing.T) {
	a := Actor{Roles: []Role{RoleLeader, RoleOfficer}}
	if !a.Has(RoleLeader) || !a.Has(RoleOfficer) || a.Has(RoleAdmin) || (Actor{}).Has(RoleViewer) {
		t.Error("Has disagrees with Roles")
	}
}

func TestAuthorize(t *testing.T) {
	// Person 1 is an admin; 2 leads departments 10 and 11; 3 leads all; 4 is
	// the officer of department 10; 5 is an officer without a department; 6
	// is a viewer; 7 has no role.
	var (
		admin    = Actor{PersonID: 1, Roles: []Role{RoleAdmin}}
		leader   = Actor{PersonID: 2, Roles: []Role{RoleLeader}, LedDepartmentIDs: []uint{10, 11}}
		chief    = Actor{PersonID: 3, Roles: []Role{RoleLeader}, SeesAll: true}
		officer  = Actor{PersonID: 4, Roles: []Role{RoleOfficer}, DepartmentID: 10}
		loner    = Actor{PersonID: 5, Roles: []Role{RoleOfficer}}
		viewer   = Actor{PersonID: 6, Roles: []Role{RoleViewer}}
		stranger = Actor{PersonID: 7}
		both     = Actor{PersonID: 8, Roles: []Role{RoleOfficer, RoleLeader}, DepartmentID: 20, LedDepartmentIDs: []uint{10}}
	)
	var (
		inDept10   = &TaskScope{TaskID: 100, DepartmentID: 10, OfficerID: 4, LeaderID: 2}
		inDept30   = &TaskScope{TaskID: 300, DepartmentID: 30, OfficerID: 9, LeaderID: 9}
		led        = &TaskScope{TaskID: 301, DepartmentID: 30, OfficerID: 9, LeaderID: 2} // 2 leads it by name
		lonerOwn   = &TaskScope{TaskID: 302, DepartmentID: 30, OfficerID: 5, LeaderID: 9}
		noDept     = &TaskScope{TaskID: 400, OfficerID: 9, LeaderID: 9}
		unassigned = &TaskScope{TaskID: 500}
	)
	tests := []struct {
		name   string
		actor  Actor
		act    Action
		task   *TaskScope
		reason string // "" means allowed; otherwise a part of the refusal's reason
	}{
		// admin: everything.
		{"admin views any task", admin, ActViewTask, inDept30, ""},
		{"admin verifies", admin, ActVerify, inDept30, ""},
		{"admin reports progress", admin, ActReportProgress, unassigned, ""},
		{"admin reopens", admin, ActReopen, noDept, ""},
		{"admin imports", admin, ActImport, nil, ""},
		{"admin invites", admin, ActInvite, nil, ""},
		{"admin manages groups", admin, ActManageGroups, nil, ""},
		{"admin manages people", admin, ActManagePeople, nil, ""},
		{"admin writes the notice", admin, ActNotice, nil, ""},
		{"admin task action without a task", admin, ActVerify, nil, "no task given"},

		// leader: their departments' tasks, tasks led by name, or all.
		{"leader views a led department's task", leader, ActViewTask, inDept10, ""},
		{"leader verifies in a led department", leader, ActVerify, inDept10, ""},
		{"leader changes a deadline in a led department", leader, ActChangeDeadline, inDept10, ""},
		{"leader reopens in a led department", leader, ActReopen, inDept10, ""},
		{"leader verifies a task led by name", leader, ActVerify, led, ""},
		// Separation of duties: the 责任人 never verifies their own closure.
		{"leader who is the task's officer verifies", Actor{PersonID: 9, Roles: []Role{RoleLeader}, SeesAll: true}, ActVerify, inDept30, "officer responsible"},
		{"admin who is the task's officer verifies", Actor{PersonID: 9, Roles: []Role{RoleAdmin}}, ActVerify, inDept30, "officer responsible"},
		{"leader who is the task's officer decides its deadline", Actor{PersonID: 9, Roles: []Role{RoleLeader}, SeesAll: true}, ActDecideDeadline, inDept30, "officer responsible"},
		{"leader decides a deadline in a led department", leader, ActDecideDeadline, inDept10, ""},
		{"officer does not decide a deadline", officer, ActDecideDeadline, inDept10, "only admins and leaders"},
		{"a unit's admin outside the unit", Actor{PersonID: 20, UnitID: 2, Roles: []Role{RoleAdmin}}, ActVerify, &TaskScope{TaskID: 9, DepartmentID: 30, UnitID: 1}, "not in your unit"},
		{"a unit's admin in the unit", Actor{PersonID: 20, UnitID: 1, Roles: []Role{RoleAdmin}}, ActVerify, &TaskScope{TaskID: 9, DepartmentID: 30, UnitID: 1}, ""},
		{"a leader of everything in another unit", Actor{PersonID: 21, UnitID: 2, Roles: []Role{RoleLeader}, SeesAll: true}, ActViewTask, &TaskScope{TaskID: 9, UnitID: 1}, "not in your unit"},
		{"a supervisor reads a task", Actor{PersonID: 22, Roles: []Role{RoleSupervisor}}, ActViewTask, &TaskScope{TaskID: 9, UnitID: 1}, ""},
		{"a supervisor changes nothing", Actor{PersonID: 22, Roles: []Role{RoleSupervisor}}, ActVerify, &TaskScope{TaskID: 9, UnitID: 1}, "only admins and leaders"},
		{"a supervisor of other units", Actor{PersonID: 22, Roles: []Role{RoleSupervisor}, SupervisedUnitIDs: []uint{2}}, ActViewTask, &TaskScope{TaskID: 9, UnitID: 1}, "not in your unit"},
		{"leader and officer verifies another's task", Actor{PersonID: 9, Roles: []Role{RoleLeader}, SeesAll: true}, ActVerify, inDept10, ""},
		{"the task's officer reports on it", Actor{PersonID: 9, Roles: []Role{RoleOfficer}, DepartmentID: 30}, ActReportProgress, inDept30, ""},
		{"leader views digests", leader, ActViewDigest, nil, ""},
		{"leader views overdue", leader, ActViewOverdue, nil, ""},
		{"leader exports", leader, ActExport, nil, ""},
		{"leader of all verifies anywhere", chief, ActVerify, inDept30, ""},
		{"leader of all views a task without department", chief, ActViewTask, noDept, ""},
		{"leader refused outside their departments", leader, ActVerify, inDept30, "not in a department you lead"},
		{"leader refused a view outside", leader, ActViewTask, inDept30, "not in a department you lead"},
		{"leader refused on a task without department", leader, ActReopen, noDept, "not in a department you lead"},
		{"leader does not report progress", leader, ActReportProgress, inDept10, "only admins and officers"},
		{"leader does not request closure", chief, ActRequestClosure, inDept10, "only admins and officers"},
		{"leader does not import", chief, ActImport, nil, "only admins may"},
		{"leader does not invite", leader, ActInvite, nil, "only admins may"},
		{"leader does not write the notice", leader, ActNotice, nil, "only admins may"},

		// officer: own tasks and their department's.
		{"officer views own task", officer, ActViewTask, inDept10, ""},
		{"officer reports on own task", officer, ActReportProgress, inDept10, ""},
		{"officer requests closure", officer, ActRequestClosure, inDept10, ""},
		{"officer changes a deadline", officer, ActChangeDeadline, inDept10, ""},
		{"officer reports on a department colleague's task", officer, ActReportProgress,
			&TaskScope{TaskID: 101, DepartmentID: 10, OfficerID: 99}, ""},
		{"officer without department on own task", loner, ActReportProgress, lonerOwn, ""},
		{"officer refused another department's task", officer, ActViewTask, inDept30, "neither yours nor your department's"},
		{"officer without department refused an unassigned task", loner, ActViewTask, unassigned, "neither yours"},
		{"officer does not verify", officer, ActVerify, inDept10, "only admins and leaders"},
		{"officer does not reopen", officer, ActReopen, inDept10, "only admins and leaders"},
		{"officer does not view digests", officer, ActViewDigest, nil, "only admins, supervisors, leaders and viewers"},
		{"officer does not view overdue", officer, ActViewOverdue, nil, "only admins, supervisors and leaders"},
		{"officer does not export", officer, ActExport, nil, "only admins, supervisors and leaders"},

		// Roles add up.
		{"officer-leader reports in own department", both, ActReportProgress, &TaskScope{TaskID: 200, DepartmentID: 20}, ""},
		{"officer-leader verifies in led department", both, ActVerify, inDept10, ""},
		{"officer-leader refused elsewhere", both, ActViewTask, inDept30, "not yours, not your department's and not in a department you lead"},

		// viewer: digests only.
		{"viewer views digests", viewer, ActViewDigest, nil, ""},
		{"viewer does not view tasks", viewer, ActViewTask, inDept10, "only admins, supervisors, leaders and officers"},
		{"viewer does not view overdue", viewer, ActViewOverdue, nil, "only admins, supervisors and leaders"},
		{"viewer does not export", viewer, ActExport, nil, "only admins, supervisors and leaders"},

		// stranger and bad input: nothing.
		{"stranger views no digest", stranger, ActViewDigest, nil, "no role"},
		{"stranger views no task", stranger, ActViewTask, inDept10, "no role"},
		{"unknown role is no role", Actor{PersonID: 7, Roles: []Role{"root"}}, ActImport, nil, "no role"},
		{"unknown action", admin, Action("drop_tables"), nil, "unknown action"},
		{"empty action", admin, "", inDept10, "unknown action"},
		{"officer with a task action and no task", officer, ActReportProgress, nil, "no task given"},

		// Zero ids never match each other.
		{"officer without person or department vs unassigned task",
			Actor{Roles: []Role{RoleOfficer}}, ActViewTask, unassigned, "neither yours"},
		{"leader without person vs unassigned task",
			Actor{Roles: []Role{RoleLeader}, LedDepartmentIDs: []uint{0}}, ActViewTask, unassigned, "not in a department you lead"},

		// Ledger actions ignore the task.
		{"viewer digest with a task", viewer, ActViewDigest, inDept30, ""},
		{"leader export with a foreign task", leader, ActExport, inDept30, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Authorize(tt.actor, tt.act, tt.task)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Authorize(%s) = %v, want allowed", tt.act, err)
				}
				return
			}
			var de *DeniedError
			if !errors.As(err, &de) {
				t.Fatalf("Authorize(%s) = %v, want a *DeniedError", tt.act, err)
			}
			if !errors.Is(err, ErrDenied) {
				t.Errorf("errors.Is(%v, ErrDenied) = false", err)
			}
			if de.Action != tt.act || !strings.Contains(de.Reason, tt.reason) {
				t.Errorf("Authorize(%s) = %+v, want a reason containing %q", tt.act, de, tt.reason)
			}
		})
	}
}

func TestDeniedErrorMessage(t *testing.T) {
	err := Authorize(Actor{Roles: []Role{RoleViewer}}, ActExport, nil)
	if got, want := err.Error(), "permission denied: export: only admins, supervisors and leaders may do this"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestActionKinds(t *testing.T) {
	task := []Action{ActViewTask, ActReportProgress, ActRequestClosure, ActChangeDeadline, ActVerify, ActReopen}
	ledger := []Action{ActViewDigest, ActViewOverdue, ActExport, ActImport, ActInvite, ActManageGroups, ActNotice, ActManagePeople}
	for _, a := range task {
		if !a.Valid() || !a.NeedsTask() {
			t.Errorf("%s: want a valid task action", a)
		}
	}
	for _, a := range ledger {
		if !a.Valid() || a.NeedsTask() {
			t.Errorf("%s: want a valid ledger action", a)
		}
	}
}
