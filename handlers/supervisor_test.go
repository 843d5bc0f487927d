package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// TestSupervisorsDigestIsTheRanking: above the units, /digest answers with
// the units ranked (a merged digest of every unit would answer nothing);
// a supervisor of one unit gets that unit's digest; the supervisors' group
// gets the ranking too; /overdue and /export read the supervised units;
// the supervisor's menu offers all of it.
func TestSupervisorsDigestIsTheRanking(t *testing.T) {
	h := newHarness(t)
	h.twoUnitsWithSupervisors()

	for _, who := range []int64{supervisorID, adminID} {
		ranking := h.say(who, "/digest")
		contains(t, ranking, "各单位整改红黄榜", "共 2 个单位", "1. 市委政法委", "2. 青禾县教育局")
		if !hasButton(ranking, "2. 青禾县教育局") {
			t.Errorf("%d: the ranking from /digest has no unit buttons: %+v", who, ranking.Markup)
		}
	}
	one := h.say(qhInspector, "/digest")
	contains(t, one, "整改进展汇总", "共 1 项")
	if strings.Contains(one.Text, "红黄榜") || strings.Contains(one.Text, "市委政法委") {
		t.Errorf("a supervisor of 青禾 only got:\n%s", one.Text)
	}
	// A department named is still a digest.
	contains(t, h.say(supervisorID, "/digest 基层社会治理科"), "整改进展汇总", "基层社会治理科")

	overdue := h.say(qhInspector, "/overdue")
	contains(t, overdue, "校园安全制度")
	if strings.Contains(overdue.Text, "立行立改") {
		t.Errorf("a supervisor of 青禾 sees Dongguan's overdue tasks:\n%s", overdue.Text)
	}
	before := len(h.fake.Messages(qhInspector))
	h.do(h.fake.Text(qhInspector, "/export"))
	var files []string
	for _, m := range h.fake.Messages(qhInspector)[before:] {
		if m.Document != nil {
			files = append(files, m.Document.Name)
		}
	}
	if len(files) != 1 || !strings.Contains(files[0], "青禾县教育局") {
		t.Errorf("a supervisor of 青禾 exported %v, want 青禾's 台账 only", files)
	}

	for _, lang := range []string{"", "zh", "en"} {
		menu := commandNames(h.fake.Commands(fmt.Sprintf("chat:%d", supervisorID), lang))
		for _, want := range []string{"digest", "overview", "overdue", "export"} {
			if !slices.Contains(menu, want) {
				t.Errorf("the supervisor's menu (%q) lacks /%s: %v", lang, want, menu)
			}
		}
		if slices.Contains(menu, "verify") || slices.Contains(menu, "report") {
			t.Errorf("the supervisor's menu (%q) offers what they may not do: %v", lang, menu)
		}
	}

	// The supervisors' group, registered by the installation's admin
	// above the units.
	h.fake.AddGroup(groupID, "巡察办工作群", adminID, supervisorID)
	h.do(h.fake.GroupText(groupID, adminID, "/group"))
	h.do(h.fake.GroupText(groupID, supervisorID, "/digest"))
	contains(t, h.fake.Last(groupID), "各单位整改红黄榜", "共 2 个单位", "1. 市委政法委", "2. 青禾县教育局")
	h.noRejections()
}

// TestInviteFindsPeopleByName: with several units the installation's admin
// is offered the people above the units and finds a unit's people by
// name, each shown with their unit; a unit's admin finds only their own.
func TestInviteFindsPeopleByName(t *testing.T) {
	h := newHarness(t)
	h.twoUnitsWithSupervisors()

	list := h.say(adminID, "/invite")
	contains(t, list, "各单位之上的人员", "巡察办张主任", "巡察组李组长", "/invite 姓名")
	if strings.Contains(list.Text, "黄敏") {
		t.Errorf("the list above the units shows a unit's officer:\n%s", list.Text)
	}

	found := h.say(adminID, "/invite 黄敏")
	contains(t, found, "黄敏 · 市委政法委", "黄敏 · 青禾县教育局")
	if n := len(found.Markup.InlineKeyboard); n != 2 {
		t.Errorf("%d buttons for the two 黄敏", n)
	}
	role := h.press(adminID, found, "黄敏 · 青禾县教育局")
	contains(t, role, "邀请 黄敏", "青禾县教育局")

	contains(t, h.say(adminID, "/invite 不存在的人"), "没有找到姓名含“不存在的人”的人员")

	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "青禾整改办", Unit: qhUnit, Role: ledger.RoleAdmin}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.linkIn(qhUnit, "青禾整改办", 5003, ledger.RoleAdmin)
	own := h.say(5003, "/invite 黄敏")
	if n := len(own.Markup.InlineKeyboard); n != 1 || strings.Contains(own.Text, "市委政法委") {
		t.Errorf("青禾's admin finds (%d buttons):\n%s", n, own.Text)
	}
	h.noRejections()
}
