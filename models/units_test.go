package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// importUnit imports the Dongguan ledger again as another unit's plan: the
// same department, leader and officer names in another unit.
func (e *env) importUnit(t *testing.T, title, unit, short string) {
	t.Helper()
	spec := dongguanSpec
	spec.Title, spec.Unit, spec.UnitShort = title, unit, short
	if _, err := e.store.ImportPlan(context.Background(), spec, readFixture(t, "ledger.csv"), models.CLIActor, false); err != nil {
		t.Fatalf("import %s: %v", unit, err)
	}
}

func TestUnitsAreListedWithTheirCountsAndFoundByEitherName(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.importFixture(t, "ledger.csv")
	e.importUnit(t, "青禾县教育局整改方案", "青禾县教育局", "县教育局")

	units, err := e.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 2 {
		t.Fatalf("units: %+v", units)
	}
	for _, u := range units {
		if u.Plans != 1 || u.Tasks != 25 || u.People != 14 {
			t.Errorf("unit %s: %d plans, %d tasks, %d people (want 1, 25, 14)", u.Name, u.Plans, u.Tasks, u.People)
		}
	}
	if u, err := e.store.FindUnit(ctx, "县教育局"); err != nil || u.Name != "青禾县教育局" {
		t.Errorf("by short name: %+v %v", u, err)
	}
	var nf *models.UnitNotFoundError
	if _, err := e.store.FindUnit(ctx, "市教育局"); !errors.As(err, &nf) || !errors.Is(err, models.ErrNotFound) {
		t.Errorf("an unknown unit: %v", err)
	}
	if names, n, err := e.store.UnitNames(ctx, 1); err != nil || n != 2 || len(names) != 1 {
		t.Errorf("unit names: %v %d %v", names, n, err)
	}

	// A short name another unit goes by is refused: --unit would no
	// longer say which unit is meant.
	taken := "县教育局"
	if _, err := e.store.SetUnitNames(ctx, "中共东莞市委政法委员会", models.UnitNaming{Short: &taken}, models.CLIActor); !errors.Is(err, models.ErrUnitNameTaken) {
		t.Errorf("a taken short name: %v", err)
	}
	short, self := "市委政法委", "我委"
	u, err := e.store.SetUnitNames(ctx, "中共东莞市委政法委员会", models.UnitNaming{Short: &short, Self: &self}, models.CLIActor)
	if err != nil || u.ShortName != short || u.SelfName != self {
		t.Fatalf("named: %+v %v", u, err)
	}
	var ev models.AuditEvent
	if err := e.db.Where("action = ?", "unit.named").Take(&ev).Error; err != nil || !strings.Contains(ev.After, "我委") {
		t.Errorf("audit of the naming: %+v %v", ev, err)
	}
	if us, err := e.store.UnitsWithDepartment(ctx, "委机关办公室"); err != nil || len(us) != 2 {
		t.Errorf("units with 委机关办公室: %v %v", us, err)
	}
}

func TestPeopleOfOneUnitAndSupervisorsOfSomeUnits(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.importFixture(t, "ledger.csv")
	e.importUnit(t, "青禾县教育局整改方案", "青禾县教育局", "县教育局")
	e.importUnit(t, "白沙镇整改方案", "白沙镇党委", "")
	qh, _ := e.store.FindUnit(ctx, "青禾县教育局")

	people, err := e.store.PeopleBy(ctx, models.PeopleFilter{UnitID: qh.ID})
	if err != nil || len(people) != 14 {
		t.Fatalf("青禾's people: %d %v", len(people), err)
	}
	for _, p := range people {
		if p.UnitID != qh.ID || p.Unit != "青禾县教育局" || p.UnitShort != "县教育局" {
			t.Errorf("another unit's person listed: %+v", p)
		}
	}
	if all, _ := e.store.People(ctx); len(all) != 42 {
		t.Errorf("everyone: %d people (want 42)", len(all))
	}

	p, err := e.store.AddPerson(ctx, models.NewPerson{Name: "第一巡察组", Role: ledger.RoleSupervisor,
		Supervises: []string{"县教育局", "白沙镇党委"}}, models.CLIActor)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.store.MemberByID(ctx, p.ID)
	if err != nil || len(m.Actor.SupervisedUnitIDs) != 2 || !slices.Contains(m.Actor.SupervisedUnitIDs, qh.ID) || m.Actor.UnitID != 0 {
		t.Errorf("the supervisor's units: %+v %v", m.Actor, err)
	}
	if _, err := e.store.AddPerson(ctx, models.NewPerson{Name: "第二巡察组", Role: ledger.RoleSupervisor,
		Supervises: []string{"市教育局"}}, models.CLIActor); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("supervising a unit that is not there: %v", err)
	}
	if _, err := e.store.AddPerson(ctx, models.NewPerson{Name: "某观察员", Role: ledger.RoleViewer, Unit: "县教育局",
		Supervises: []string{"白沙镇党委"}}, models.CLIActor); err == nil {
		t.Error("a viewer of a unit supervises units")
	}
	names, err := e.store.SetSupervisedUnits(ctx, models.PersonRef{Name: "第一巡察组"}, []string{"中共东莞市委政法委员会"}, models.CLIActor)
	if err != nil || !slices.Equal(names, []string{"中共东莞市委政法委员会"}) {
		t.Fatalf("supervise: %v %v", names, err)
	}
	if m, _ := e.store.MemberByID(ctx, p.ID); len(m.Actor.SupervisedUnitIDs) != 1 {
		t.Errorf("after the change: %v", m.Actor.SupervisedUnitIDs)
	}
	var n int64
	e.db.Model(&models.AuditEvent{}).Where("action = ? AND subject = ?", "person.supervises", fmt.Sprintf("person:%d", p.ID)).Count(&n)
	if n != 1 {
		t.Errorf("%d audit events of the change", n)
	}
}

func TestAGroupOfAUnitHearsOfItsUnitOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.importFixture(t, "ledger.csv")
	e.importUnit(t, "青禾县教育局整改方案", "青禾县教育局", "县教育局")
	dg, _ := e.store.FindUnit(ctx, "中共东莞市委政法委员会")
	qh, _ := e.store.FindUnit(ctx, "青禾县教育局")
	for _, g := range []models.GroupSettings{
		{ChatID: -1, Title: "东莞", Closures: true, Escalations: true, UnitID: dg.ID},
		{ChatID: -2, Title: "青禾", Closures: true, Escalations: true, UnitID: qh.ID},
		{ChatID: -3, Title: "巡察办", Closures: true, Escalations: true},
	} {
		if err := e.store.SaveGroup(ctx, g, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	if g, err := e.store.Group(ctx, -2); err != nil || g.UnitID != qh.ID || g.UnitName != "县教育局" {
		t.Errorf("group of 青禾: %+v %v", g, err)
	}
	qhDepts, err := e.store.DepartmentsOf(ctx, qh.ID)
	if err != nil || len(qhDepts) != 9 {
		t.Fatalf("青禾's departments: %v %v", qhDepts, err)
	}
	for _, sub := range []models.Subscription{models.SubscribeClosures, models.SubscribeEscalations} {
		gs, err := e.store.GroupsFor(ctx, sub, qhDepts[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var chats []int64
		for _, g := range gs {
			chats = append(chats, g.ChatID)
		}
		slices.Sort(chats)
		if !slices.Equal(chats, []int64{-3, -2}) {
			t.Errorf("%s of a 青禾 department go to %v (want 青禾's group and the supervisors')", sub, chats)
		}
	}
	if gs, _ := e.store.GroupsFor(ctx, models.SubscribeClosures, 0); len(gs) != 3 {
		t.Errorf("every group: %d", len(gs))
	}
}
