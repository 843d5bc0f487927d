package handlers_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// Unit B (青禾县教育局) has a department, a leader and an officer with the
// very names of the Dongguan unit's: 基层社会治理科, 分管社会治理副书记, 黄敏.
const (
	qhUnit     = "青禾县教育局"
	qhHuangMin = 5002 // 黄敏 of 青禾县教育局
	qhLeader   = 5001 // 分管社会治理副书记 of 青禾县教育局
)

func (h *harness) importQinghe() {
	h.t.Helper()
	row := ledger.Row{Seq: 1, Category: "党的建设", ProblemCode: "1", ProblemTitle: "校园安全制度落实不到位",
		Measures: []string{"一是修订制度。"}, Leader: "分管社会治理副书记", Department: "基层社会治理科", Officer: "黄敏",
		Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 10, 15)}, Status: ledger.StatusInProgress}
	if _, err := h.store.ImportPlan(h.ctx, dbmodels.PlanSpec{Title: "青禾县教育局整改方案", Unit: qhUnit, Year: 2021},
		[]ledger.Row{row}, dbmodels.CLIActor, false); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) linkIn(unit, name string, tgID int64, role ledger.Role) {
	h.t.Helper()
	code, _, err := h.store.CreateInvite(h.ctx, dbmodels.PersonRef{Name: name, Unit: unit}, role, time.Hour, dbmodels.CLIActor)
	if err != nil {
		h.t.Fatal(err)
	}
	if reply := h.say(tgID, "/start "+code); !strings.Contains(reply.Text, name) {
		h.t.Fatalf("linking %s of %s: %q", name, unit, reply.Text)
	}
}

// TestTwoUnitsWithTheSameNamesStayApart: nothing merges on import, and
// nobody of one unit sees or touches the other's tasks — by command, by a
// forged button, by digest — while the installation's admin sees both.
func TestTwoUnitsWithTheSameNamesStayApart(t *testing.T) {
	h := newHarness(t)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.importQinghe()

	var depts, people int64
	h.store.DB().Model(&dbmodels.Department{}).Where("name = ?", "基层社会治理科").Count(&depts)
	h.store.DB().Model(&dbmodels.Person{}).Where("name = ?", "黄敏").Count(&people)
	if depts != 2 || people != 2 {
		t.Fatalf("the import merged units: %d departments 基层社会治理科, %d people 黄敏 (want 2 and 2)", depts, people)
	}
	// A name two units share needs its unit.
	if _, _, err := h.store.CreateInvite(h.ctx, dbmodels.PersonRef{Name: "黄敏"}, ledger.RoleOfficer, time.Hour, dbmodels.CLIActor); !errors.Is(err, dbmodels.ErrAmbiguous) ||
		!strings.Contains(err.Error(), qhUnit) {
		t.Errorf("an invite for 黄敏 without a unit: %v", err)
	}
	h.linkIn(qhUnit, "黄敏", qhHuangMin, ledger.RoleOfficer)
	h.linkIn(qhUnit, "分管社会治理副书记", qhLeader, ledger.RoleLeader)

	// Each 黄敏 lists her own unit's tasks only.
	mine := h.say(qhHuangMin, "/tasks")
	contains(t, mine, "校园安全制度")
	if strings.Contains(mine.Text, "6(2)") {
		t.Errorf("青禾's 黄敏 lists a Dongguan task:\n%s", mine.Text)
	}
	if strings.Contains(h.say(huangMin, "/tasks").Text, "校园安全制度") {
		t.Error("Dongguan's 黄敏 lists a 青禾 task")
	}
	// By code, and by a forged press on the other unit's task: refused,
	// with the words any task not theirs gets.
	contains(t, h.say(qhHuangMin, "/task 6(2)"), "没有找到您可查看的任务")
	h.do(h.fake.Press(qhHuangMin, qhHuangMin, mine.MessageID, "r:"+itoa(h.taskID("6(2)"))))
	if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
		t.Errorf("a forged report on another unit's task answered %q", a)
	}
	h.do(h.fake.Press(qhHuangMin, qhHuangMin, mine.MessageID, "t:"+itoa(h.taskID("6(2)"))))
	if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
		t.Errorf("a forged open of another unit's task answered %q", a)
	}
	// The leaders' digests are their own unit's.
	qd := h.say(qhLeader, "/digest")
	contains(t, qd, "共 1 项")
	if strings.Contains(h.say(socialLead, "/digest").Text, "共 6 项") {
		t.Error("the Dongguan leader's digest counts the 青禾 task")
	}
	// The installation's admin: the units ranked, each opening to its digest.
	contains(t, h.say(adminID, "/digest"), "各单位整改红黄榜", "共 2 个单位")
	h.noRejections()
}

// TestAUnitsAdminActsInTheirUnitOnly: 青禾's 整改办 approves 青禾's closure,
// is refused Dongguan's, and is not told of Dongguan's requests.
func TestAUnitsAdminActsInTheirUnitOnly(t *testing.T) {
	h := newHarness(t)
	h.importQinghe()
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "青禾整改办", Unit: qhUnit, Role: ledger.RoleAdmin}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	const qhAdmin = 5003
	h.linkIn(qhUnit, "青禾整改办", qhAdmin, ledger.RoleAdmin)
	admins, err := h.store.AdminsOf(h.ctx, h.unitOf("6(2)"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range admins {
		if a.Name == "青禾整改办" {
			t.Error("青禾's admin is among Dongguan's approvers")
		}
	}
	if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.taskID("6(2)"), To: ledger.StatusPendingVerification}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	list := h.say(qhAdmin, "/verify")
	if strings.Contains(list.Text, "6(2)") {
		t.Errorf("青禾's admin is offered Dongguan's closure:\n%s", list.Text)
	}
	h.do(h.fake.Press(qhAdmin, qhAdmin, list.MessageID, "vy:"+itoa(h.taskID("6(2)"))))
	if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
		t.Errorf("a forged approval of another unit's closure answered %q", a)
	}
	if s := h.status("6(2)"); s != ledger.StatusPendingVerification {
		t.Errorf("a forged approval moved Dongguan's task to %s", s)
	}
	contains(t, h.say(qhAdmin, "/digest"), "共 1 项")

	// Its own unit's closure is its to approve.
	if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.qhTaskID(), To: ledger.StatusPendingVerification}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.approve(qhAdmin, h.say(qhAdmin, "/verify"), "同意销号")
	var task dbmodels.Task
	if err := h.store.DB().Take(&task, h.qhTaskID()).Error; err != nil || task.Status != string(ledger.StatusClosed) {
		t.Errorf("青禾's admin could not close 青禾's task: %s %v", task.Status, err)
	}
	h.noRejections()
}

// unitOf is the unit of the task with the code (the first plan's).
func (h *harness) unitOf(code string) uint {
	h.t.Helper()
	scope, err := h.store.TaskScope(h.ctx, h.taskID(code))
	if err != nil {
		h.t.Fatal(err)
	}
	return scope.UnitID
}

// qhTaskID is the one task of 青禾's plan.
func (h *harness) qhTaskID() uint {
	h.t.Helper()
	var ids []uint
	if err := h.store.DB().Table("tasks t").Joins("JOIN plans p ON p.id = t.plan_id").
		Where("p.title = ?", "青禾县教育局整改方案").Pluck("t.id", &ids).Error; err != nil || len(ids) != 1 {
		h.t.Fatalf("青禾's task: %v %v", ids, err)
	}
	return ids[0]
}
