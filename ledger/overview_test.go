package ledger

import (
	"slices"
	"testing"
)

func TestRankUnitsByOnTimeRateThenOverdueThenName(t *testing.T) {
	units := []UnitSummary{
		{UnitID: 1, Name: "丙", Due: 0},                            // no rate: last
		{UnitID: 2, Name: "乙", Due: 3, OnTime: 2, Overdue: 1},     // 2/3
		{UnitID: 3, Name: "甲", Due: 6, OnTime: 4, Overdue: 1},     // 4/6 = 2/3, same overdue: by name
		{UnitID: 4, Name: "丁", Due: 4, OnTime: 4},                 // 100 %
		{UnitID: 5, Name: "戊", Due: 6, OnTime: 4, Overdue: 0},     // 2/3, fewer overdue
		{UnitID: 6, Name: "己", ShortName: "阿", Due: 2, OnTime: 0}, // 0 %
	}
	RankUnits(units)
	var got []uint
	for _, u := range units {
		got = append(got, u.UnitID)
	}
	// 乙 < 甲 in code-point order (U+4E59 < U+7532).
	if want := []uint{4, 5, 2, 3, 6, 1}; !slices.Equal(got, want) {
		t.Errorf("ranked %v, want %v", got, want)
	}
}

func TestUnitSummaryFigures(t *testing.T) {
	u := UnitSummary{Name: "中共东莞市委政法委员会", Due: 4, OnTime: 3, LastReport: MustDate(2021, 10, 28)}
	if u.Label() != "中共东莞市委政法委员会" {
		t.Errorf("label without a short name: %q", u.Label())
	}
	u.ShortName = "市委政法委"
	if u.Label() != "市委政法委" {
		t.Errorf("label: %q", u.Label())
	}
	if r, ok := u.OnTimeRate(); !ok || r != 0.75 {
		t.Errorf("rate %v %v", r, ok)
	}
	if d, ok := u.DaysSinceReport(MustDate(2021, 11, 1)); !ok || d != 4 {
		t.Errorf("days since report %d %v", d, ok)
	}
	if _, ok := (UnitSummary{}).OnTimeRate(); ok {
		t.Error("a rate with nothing due")
	}
	if _, ok := (UnitSummary{}).DaysSinceReport(MustDate(2021, 11, 1)); ok {
		t.Error("days since a report never made")
	}
}

// TestOnlySupervisorsAndAdminsViewTheOverview: the ranking across units is
// the supervisors' and the admins'; nobody else may read it.
func TestOnlySupervisorsAndAdminsViewTheOverview(t *testing.T) {
	for _, r := range Roles {
		err := Authorize(Actor{PersonID: 1, Roles: []Role{r}}, ActViewOverview, nil)
		if allowed := r == RoleSupervisor || r == RoleAdmin; allowed != (err == nil) {
			t.Errorf("%s: %v", r, err)
		}
	}
	err := Authorize(Actor{PersonID: 1, UnitID: 3, Roles: []Role{RoleLeader}, SeesAll: true}, ActViewOverview, nil)
	if err == nil || err.Error() != "permission denied: view_overview: only admins and supervisors may do this" {
		t.Errorf("a unit's 书记: %v", err)
	}
}
