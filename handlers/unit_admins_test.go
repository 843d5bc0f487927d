package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// Telegram ids of the unit admins' scenarios.
const (
	uaQhAdmin  = 5101 // 青禾整改办: 青禾县教育局's admin
	uaDgAdmin  = 5102 // 东莞整改办: the Dongguan unit's admin
	uaQhGroup  = -100810
	uaDgGroup  = -100820
	uaSupGroup = -100830
	dgUnitName = "中共东莞市委政法委员会"
)

// twoUnits names the harness's Dongguan unit (imported without a name),
// imports 青禾 beside it, and links each unit's admin (整改办).
func (h *harness) twoUnits() {
	h.t.Helper()
	if err := h.store.DB().Model(&dbmodels.Unit{}).Where("name = ?", "").
		Updates(map[string]any{"name": dgUnitName, "short_name": "市委政法委"}).Error; err != nil {
		h.t.Fatal(err)
	}
	h.importQinghe()
	for _, a := range []struct {
		unit, name string
		tgID       int64
	}{{qhUnit, "青禾整改办", uaQhAdmin}, {dgUnitName, "东莞整改办", uaDgAdmin}} {
		if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: a.name, Unit: a.unit, Role: ledger.RoleAdmin}, dbmodels.CLIActor); err != nil {
			h.t.Fatal(err)
		}
		h.linkIn(a.unit, a.name, a.tgID, ledger.RoleAdmin)
	}
}

func TestAUnitAdminInvitesThePeopleOfTheirUnitOnly(t *testing.T) {
	h := newHarness(t)
	h.twoUnits()
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "第一巡察组", Role: ledger.RoleSupervisor}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}

	list := h.say(uaQhAdmin, "/invite")
	contains(t, list, "生成邀请链接", "黄敏 · 基层社会治理科", "分管社会治理副书记", "青禾整改办")
	for _, other := range []string{"周杰", "刘洋", "东莞整改办", "第一巡察组", "市委政法委"} {
		if strings.Contains(list.Text, other) {
			t.Errorf("青禾's admin is offered %s:\n%s", other, list.Text)
		}
	}
	if n := len(list.Markup.InlineKeyboard); n != 3 {
		t.Errorf("青禾's admin gets %d person buttons (want 3: 青禾's people)", n)
	}

	// A forged press naming a Dongguan person (黄敏 of Dongguan shares the
	// name), at either step: refused as any person not in their list, and
	// no invite is made.
	var dgHuang dbmodels.Person
	if err := h.store.DB().Joins("JOIN units u ON u.id = people.unit_id").
		Where("people.name = ? AND u.name = ?", "黄敏", dgUnitName).Take(&dgHuang).Error; err != nil {
		t.Fatal(err)
	}
	before := h.inviteCount()
	for _, data := range []string{"ip:" + itoa(dgHuang.ID), "ir:" + itoa(dgHuang.ID) + ":officer"} {
		h.do(h.fake.Press(uaQhAdmin, uaQhAdmin, list.MessageID, data))
		if a := h.vfLastAnswer(); a != "该人员已不在台账中。" {
			t.Errorf("a forged %s answered %q", data, a)
		}
	}
	// Nor may a unit's admin make anyone a supervisor (巡察办).
	roles := h.press(uaQhAdmin, list, "黄敏 · 基层社会治理科")
	if hasButton(roles, "巡察办") {
		t.Error("a unit's admin is offered the supervisor role")
	}
	var qhHuang dbmodels.Person
	h.store.DB().Joins("JOIN units u ON u.id = people.unit_id").Where("people.name = ? AND u.name = ?", "黄敏", qhUnit).Take(&qhHuang)
	h.do(h.fake.Press(uaQhAdmin, uaQhAdmin, roles.MessageID, "ir:"+itoa(qhHuang.ID)+":supervisor"))
	if a := h.vfLastAnswer(); a != "此按钮已失效。" {
		t.Errorf("a forged supervisor role answered %q", a)
	}
	if h.inviteCount() != before {
		t.Fatalf("forged presses made %d invites", h.inviteCount()-before)
	}
	done := h.press(uaQhAdmin, roles, "责任人")
	contains(t, done, "已为 黄敏 生成邀请链接")

	// The installation's admin lists the people above the units and finds
	// a unit's people by name, each with their unit, and may make a
	// person above the units a supervisor.
	all := h.say(adminID, "/invite")
	contains(t, all, "第一巡察组 · 各单位之上", "/invite 姓名")
	if strings.Contains(all.Text, "周杰") {
		t.Errorf("the list above the units shows a unit's people:\n%s", all.Text)
	}
	for _, c := range []struct{ name, want string }{
		{"黄敏", "黄敏 · 青禾县教育局 · 基层社会治理科"}, {"黄敏", "黄敏 · 市委政法委 · 基层社会治理科"},
		{"青禾整改办", "青禾整改办 · 青禾县教育局"}, {"周杰", "周杰 · 市委政法委 · 信息化和网格管理指导科"},
	} {
		contains(t, h.say(adminID, "/invite "+c.name), c.want)
	}
	for page := h.say(adminID, "/invite"); ; {
		if hasButton(page, "第一巡察组 · 各单位之上 · 未分科室") {
			roles := h.press(adminID, page, "第一巡察组 · 各单位之上 · 未分科室")
			if !hasButton(roles, "巡察办") {
				t.Errorf("the installation's admin is not offered the supervisor role: %v", roles.Markup)
			}
			break
		}
		if !hasButton(page, "下一页") {
			t.Fatal("第一巡察组 is on no page of the installation admin's list")
		}
		page = h.press(adminID, page, "下一页")
	}
	h.noRejections()
}

// TestAUnitAdminReadsTheirUnitOnly: /digest, /overdue and /export of a
// unit's admin cover their unit (ReadReach), though the Dongguan unit has
// a task overdue too.
func TestAUnitAdminReadsTheirUnitOnly(t *testing.T) {
	h := newHarness(t)
	h.twoUnits()
	contains(t, h.say(uaQhAdmin, "/digest"), "共 1 项")
	overdue := h.say(uaQhAdmin, "/overdue")
	contains(t, overdue, "校园安全制度")
	if strings.Contains(overdue.Text, "立行立改四") {
		t.Errorf("青禾's admin's /overdue lists a Dongguan task:\n%s", overdue.Text)
	}
	contains(t, h.say(uaDgAdmin, "/overdue"), "立行立改四")
	h.say(uaQhAdmin, "/export")
	var captions []string
	for _, m := range h.fake.Messages(uaQhAdmin) {
		if m.Method == "sendDocument" {
			captions = append(captions, m.Caption)
		}
	}
	if len(captions) != 1 || !strings.Contains(captions[0], "《青禾县教育局整改方案》整改台账，共 1 项") {
		t.Errorf("青禾's admin's /export sent %q", captions)
	}
	h.noRejections()
}

// TestAGroupHearsOfItsUnitOnly: a group registered by a unit's admin
// follows that unit: its closures, its digest, its departments; the
// installation's admin binds a group by naming the unit, or keeps it above
// the units (the supervisors' group, hearing every unit).
func TestAGroupHearsOfItsUnitOnly(t *testing.T) {
	h := newHarness(t)
	h.twoUnits()
	h.fake.AddGroup(uaQhGroup, "青禾整改群", uaQhAdmin, uaDgAdmin)
	h.fake.AddGroup(uaDgGroup, "东莞整改群", adminID, uaQhAdmin)
	h.fake.AddGroup(uaSupGroup, "巡察办群", adminID)

	// 青禾's admin registers their group: bound to 青禾, offered 青禾's
	// one department only.
	h.do(h.fake.GroupText(uaQhGroup, uaQhAdmin, "/group"))
	qp := h.fake.Last(uaQhGroup)
	contains(t, qp, "已登记本群", "本群跟随单位：青禾县教育局")
	if !hasButton(qp, "基层社会治理科") || hasButton(qp, "政治部") {
		t.Errorf("青禾's group panel offers other departments: %v", qp.Markup)
	}
	if strings.Contains(qp.Text, "/group 巡察办") {
		t.Error("a unit's admin is told how to rebind a group")
	}
	// The installation's admin binds the Dongguan group by short name, and
	// keeps the third above the units, where closures start off.
	h.do(h.fake.GroupText(uaDgGroup, adminID, "/group 市委政法委"))
	contains(t, h.fake.Last(uaDgGroup), "本群跟随单位：市委政法委", "/group 巡察办")
	h.do(h.fake.GroupText(uaSupGroup, adminID, "/group"))
	sp := h.fake.Last(uaSupGroup)
	contains(t, sp, "本群为巡察办群组")
	if !hasButton(sp, "⬜ 销号通报") || !hasButton(sp, "✅ 进展汇总") || hasButton(sp, "政治部") {
		t.Errorf("the supervisors' group panel: %v", sp.Markup)
	}
	sp = h.press(adminID, sp, "销号通报")
	if !hasButton(sp, "✅ 销号通报") {
		t.Fatalf("closures not switched on: %v", sp.Markup)
	}
	// An unknown unit is refused, naming nothing.
	h.do(h.fake.GroupText(uaSupGroup, adminID, "/group 市教育局"))
	contains(t, h.fake.Last(uaSupGroup), "没有找到单位“市教育局”")

	// 青禾's admin may not change the Dongguan group, by command or press,
	// nor bind theirs to another unit.
	dgPanel := h.fake.Last(uaDgGroup)
	h.do(h.fake.GroupText(uaDgGroup, uaQhAdmin, "/group"))
	contains(t, h.fake.Last(uaDgGroup), "本群不是为您的单位登记的")
	h.do(h.fake.Press(uaQhAdmin, uaDgGroup, dgPanel.MessageID, button(t, dgPanel, "逾期督办提醒")))
	if a := h.vfLastAnswer(); !strings.Contains(a, "本群不是为您的单位登记的") {
		t.Errorf("青禾's admin's press on the Dongguan panel answered %q", a)
	}
	if g, err := h.store.Group(h.ctx, uaDgGroup); err != nil || g.Escalations {
		t.Errorf("the press changed the Dongguan group: %+v %v", g, err)
	}
	h.do(h.fake.GroupText(uaQhGroup, uaQhAdmin, "/group 市委政法委"))
	contains(t, h.fake.Last(uaQhGroup), "您只能为本单位登记群组")

	// Each group's digest is its unit's; the supervisors' is every unit's.
	h.do(h.fake.GroupText(uaQhGroup, uaQhAdmin, "/digest"))
	contains(t, h.fake.Last(uaQhGroup), "共 1 项")
	// Following its 基层社会治理科, the digest is 青禾's department of that
	// name, not Dongguan's too (whose has two tasks).
	h.press(uaQhAdmin, qp, "基层社会治理科")
	contains(t, h.message(uaQhGroup, qp.MessageID), "科室范围：基层社会治理科")
	h.do(h.fake.GroupText(uaQhGroup, uaQhAdmin, "/digest"))
	contains(t, h.fake.Last(uaQhGroup), "全部整改方案 · 基层社会治理科", "共 1 项")
	h.do(h.fake.GroupText(uaDgGroup, adminID, "/digest"))
	contains(t, h.fake.Last(uaDgGroup), "共 25 项")
	// The supervisors' group: the units ranked.
	h.do(h.fake.GroupText(uaSupGroup, adminID, "/digest"))
	contains(t, h.fake.Last(uaSupGroup), "各单位整改红黄榜", "共 2 个单位")

	// A Dongguan closure is told to the Dongguan group and the
	// supervisors', not to 青禾's; a 青禾 closure to 青禾's, not Dongguan's.
	announced := func(chat int64, what string) bool {
		for _, m := range h.fake.Messages(chat) {
			if strings.Contains(m.Text, "【销号通报】") && strings.Contains(m.Text, what) {
				return true
			}
		}
		return false
	}
	if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.taskID("6(2)"), To: ledger.StatusPendingVerification}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.approve(uaDgAdmin, h.say(uaDgAdmin, "/verify"), "同意销号")
	if !announced(uaDgGroup, "6(2)") || !announced(uaSupGroup, "6(2)") || announced(uaQhGroup, "6(2)") {
		t.Errorf("Dongguan's closure told to: dongguan %v, supervisors %v, 青禾 %v",
			announced(uaDgGroup, "6(2)"), announced(uaSupGroup, "6(2)"), announced(uaQhGroup, "6(2)"))
	}
	if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.qhTaskID(), To: ledger.StatusPendingVerification}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.approve(uaQhAdmin, h.say(uaQhAdmin, "/verify"), "同意销号")
	if !announced(uaQhGroup, "校园安全制度") || announced(uaDgGroup, "校园安全制度") {
		t.Errorf("青禾's closure told to: 青禾 %v, dongguan %v", announced(uaQhGroup, "校园安全制度"), announced(uaDgGroup, "校园安全制度"))
	}
	h.noRejections()
}
