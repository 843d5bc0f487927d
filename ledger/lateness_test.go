package ledger

import "testing"

func TestLatenessOn(t *testing.T) {
	due := MustDate(2021, 9, 30) // the eve of the National Day holiday
	for _, c := range []struct {
		today Date
		want  Lateness
	}{
		{MustDate(2021, 9, 29), Lateness{}},
		{due, Lateness{}},
		{MustDate(2021, 10, 3), Lateness{Workdays: 0, Days: 3}},   // the holiday
		{MustDate(2021, 10, 8), Lateness{Workdays: 1, Days: 8}},   // back at work
		{MustDate(2021, 10, 11), Lateness{Workdays: 3, Days: 11}}, // Oct 9 is a make-up Saturday
	} {
		if got := LatenessOn(nil, due, c.today); got != c.want {
			t.Errorf("on %s: %+v, want %+v", c.today, got, c.want)
		}
	}
	if got := LatenessOn(EveryDayCalendar{}, due, MustDate(2021, 10, 3)); got != (Lateness{Workdays: 3, Days: 3}) {
		t.Errorf("every day: %+v", got)
	}
}

func TestAskedToReport(t *testing.T) {
	task := &TaskScope{TaskID: 1, DepartmentID: 10, OfficerID: 5, LeaderID: 7}
	for _, c := range []struct {
		name string
		a    Actor
		want bool
	}{
		{"its officer", Actor{PersonID: 5, Roles: []Role{RoleOfficer}}, true},
		{"its department's officer", Actor{PersonID: 6, Roles: []Role{RoleOfficer}, DepartmentID: 10}, true},
		{"another officer", Actor{PersonID: 6, Roles: []Role{RoleOfficer}, DepartmentID: 11}, false},
		{"its leader", Actor{PersonID: 7, Roles: []Role{RoleLeader}}, false},
		{"an admin", Actor{PersonID: 8, Roles: []Role{RoleAdmin}}, false},
		{"an admin who is its officer", Actor{PersonID: 5, Roles: []Role{RoleAdmin, RoleOfficer}}, true},
		{"a leader who is another task's officer", Actor{PersonID: 7, Roles: []Role{RoleLeader, RoleOfficer}}, false},
	} {
		if got := AskedToReport(c.a, task); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
