package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

const (
	supervisorID = 7001 // 巡察办张主任: every unit
	qhInspector  = 7002 // 巡察组李组长: 青禾县教育局 only
)

// twoUnitsWithSupervisors names the Dongguan unit, imports 青禾县教育局
// beside it and links the two supervisors.
func (h *harness) twoUnitsWithSupervisors() {
	h.t.Helper()
	if err := h.store.DB().Model(&dbmodels.Unit{}).Where("id = ?", h.unitOf("6(2)")).
		Updates(map[string]any{"name": "中共东莞市委政法委员会", "short_name": "市委政法委"}).Error; err != nil {
		h.t.Fatal(err)
	}
	h.importQinghe()
	for _, p := range []dbmodels.NewPerson{
		{Name: "巡察办张主任", Role: ledger.RoleSupervisor},
		{Name: "巡察组李组长", Role: ledger.RoleSupervisor, Supervises: []string{qhUnit}},
	} {
		if _, err := h.store.AddPerson(h.ctx, p, dbmodels.CLIActor); err != nil {
			h.t.Fatal(err)
		}
	}
	h.linkIn("", "巡察办张主任", supervisorID, ledger.RoleSupervisor)
	h.linkIn("", "巡察组李组长", qhInspector, ledger.RoleSupervisor)
}

// TestSupervisorRanksTheUnitsAndOpensOne: /overview ranks both units by
// on-time rate — Dongguan closed 17 of its 18 due tasks on time (立行立改四
// is a day late), 青禾 none of its one — and a unit's button sends that
// unit's digest only.
func TestSupervisorRanksTheUnitsAndOpensOne(t *testing.T) {
	h := newHarness(t)
	h.twoUnitsWithSupervisors()

	ov := h.say(supervisorID, "/overview")
	contains(t, ov, "各单位整改红黄榜", "（截至2021年11月1日）", "共 2 个单位",
		"1. 市委政法委：按期完成率 94.4%（17/18） · 共 25 项，已完成 22 · 🔴 逾期 1",
		"2. 青禾县教育局：按期完成率 0%（0/1） · 共 1 项，已完成 0 · 🔴 逾期 1 · 🟡 临期 0 · 待销号 0 · 待审核延期 0 · 尚未报送进展")
	if !hasButton(ov, "1. 市委政法委") || !hasButton(ov, "2. 青禾县教育局") {
		t.Fatalf("no button per unit: %+v", ov.Markup)
	}
	digest := h.press(supervisorID, ov, "2. 青禾县教育局")
	contains(t, digest, "整改进展汇总", "青禾县教育局", "共 1 项", "校园安全制度")
	if strings.Contains(digest.Text, "共 25 项") || strings.Contains(digest.Text, "6(2)") {
		t.Errorf("青禾's digest shows Dongguan's tasks:\n%s", digest.Text)
	}
	contains(t, h.press(supervisorID, ov, "1. 市委政法委"), "中共东莞市委政法委员会", "共 25 项")

	// The installation's admin ranks every unit too; the menu offers it.
	contains(t, h.say(adminID, "/overview"), "共 2 个单位", "1. 市委政法委", "2. 青禾县教育局")
	for _, lang := range []string{"", "zh", "en"} {
		if menu := commandNames(h.fake.Commands(fmt.Sprintf("chat:%d", supervisorID), lang)); !slices.Contains(menu, "overview") {
			t.Errorf("the supervisor's menu (%q): %v", lang, menu)
		}
	}
	if help := h.say(supervisorID, "/help"); !strings.Contains(help.Text, "/overview") {
		t.Errorf("the supervisor's /help:\n%s", help.Text)
	}
	h.noRejections()
}

// TestOverviewRefusals: an officer is refused the ranking; a supervisor
// limited to 青禾 sees 青禾 only and a forged press of Dongguan is refused;
// a unit's admin gets their own unit's line; a supervisor approves nothing.
func TestOverviewRefusals(t *testing.T) {
	h := newHarness(t)
	h.twoUnitsWithSupervisors()
	h.linkIn("中共东莞市委政法委员会", "黄敏", huangMin, ledger.RoleOfficer)

	contains(t, h.say(huangMin, "/overview"), "红黄榜仅供巡察办和督办管理员查看")
	if hasButton(h.fake.Last(huangMin), "市委政法委") {
		t.Error("the officer got the units' buttons")
	}

	own := h.say(qhInspector, "/overview")
	contains(t, own, "共 1 个单位", "1. 青禾县教育局")
	if strings.Contains(own.Text, "市委政法委") {
		t.Errorf("a supervisor of 青禾 sees Dongguan:\n%s", own.Text)
	}
	h.do(h.fake.Press(qhInspector, qhInspector, own.MessageID, "ov:"+itoa(h.unitOf("6(2)"))))
	if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
		t.Errorf("a forged press of Dongguan answered %q", a)
	}
	if last := h.fake.Last(qhInspector); last.MessageID != own.MessageID {
		t.Errorf("a forged press of Dongguan sent:\n%s", last.Text)
	}
	// An officer's forged press of a unit is refused as well.
	h.do(h.fake.Press(huangMin, huangMin, h.fake.Last(huangMin).MessageID, "ov:"+itoa(h.unitOf("6(2)"))))
	if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
		t.Errorf("an officer's press of a unit answered %q", a)
	}

	// In a group, a (forged) press would show a unit's digest to all:
	// refused, even to a supervisor of every unit.
	qh, err := h.store.FindUnit(h.ctx, qhUnit)
	if err != nil {
		t.Fatal(err)
	}
	h.fake.AddGroup(groupID, "整改工作群", supervisorID)
	h.do(h.fake.GroupText(groupID, supervisorID, "/overview"))
	inGroup := h.fake.Last(groupID)
	contains(t, inGroup, "私聊")
	h.do(h.fake.Press(supervisorID, groupID, inGroup.MessageID, "ov:"+itoa(qh.ID)))
	if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
		t.Errorf("a press in a group answered %q", a)
	}
	if last := h.fake.Last(groupID); last.MessageID != inGroup.MessageID {
		t.Errorf("a press in a group sent there:\n%s", last.Text)
	}

	// A unit's admin: their unit's line, nothing of the other.
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "青禾整改办", Unit: qhUnit, Role: ledger.RoleAdmin}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.linkIn(qhUnit, "青禾整改办", 5003, ledger.RoleAdmin)
	mine := h.say(5003, "/overview")
	contains(t, mine, "共 1 个单位", "1. 青禾县教育局")
	if strings.Contains(mine.Text, "市委政法委") {
		t.Errorf("青禾's admin sees Dongguan in the ranking:\n%s", mine.Text)
	}

	// A supervisor reads and changes nothing: a forged approval is refused.
	if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.taskID("6(2)"), To: ledger.StatusPendingVerification}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{"vy:", "va:"} {
		h.do(h.fake.Press(supervisorID, supervisorID, h.say(supervisorID, "/overview").MessageID, data+itoa(h.taskID("6(2)"))))
		if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
			t.Errorf("a supervisor's forged %s press answered %q", data, a)
		}
	}
	if s := h.status("6(2)"); s != ledger.StatusPendingVerification {
		t.Errorf("a supervisor's press moved 6(2) to %s", s)
	}
	h.noRejections()
}

// TestOverviewPages: more units than fit a page page through in place,
// ranks continuing.
func TestOverviewPages(t *testing.T) {
	h := newHarness(t)
	h.twoUnitsWithSupervisors()
	for i := range 11 {
		u := dbmodels.Unit{Name: fmt.Sprintf("第%02d号待巡察单位", i+1), CreatedAt: day}
		if err := h.store.DB().Create(&u).Error; err != nil {
			t.Fatal(err)
		}
	}
	first := h.say(supervisorID, "/overview")
	contains(t, first, "共 13 个单位", "1. 市委政法委", "10. ", "第 1/2 页")
	if strings.Contains(first.Text, "11. ") || !hasButton(first, "下一页") || hasButton(first, "上一页") {
		t.Errorf("the first page:\n%s", first.Text)
	}
	second := h.press(supervisorID, first, "下一页")
	if second.MessageID != first.MessageID {
		t.Errorf("paging sent a new message instead of turning the page")
	}
	second = h.message(supervisorID, first.MessageID)
	contains(t, second, "11. ", "13. ", "第 2/2 页")
	if strings.Contains(second.Text, "1. 市委政法委") || !hasButton(second, "上一页") || !hasButton(second, "13. ") {
		t.Errorf("the second page:\n%s", second.Text)
	}
	h.noRejections()
}
