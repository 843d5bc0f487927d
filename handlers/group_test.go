package handlers_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// departmentID looks a department up by name.
func (h *harness) departmentID(name string) uint {
	h.t.Helper()
	ds, err := h.store.Departments(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, d := range ds {
		if d.Name == name {
			return d.ID
		}
	}
	h.t.Fatalf("no department %q", name)
	return 0
}

func (h *harness) groupSettings() dbmodels.GroupSettings {
	h.t.Helper()
	g, err := h.store.Group(h.ctx, groupID)
	if err != nil {
		h.t.Fatalf("group %d: %v", groupID, err)
	}
	return g
}

func TestAdminRegistersGroupAndTogglesIt(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.fake.AddGroup(groupID, "整改工作群", adminID, socialLead)

	h.do(h.fake.GroupText(groupID, adminID, "/group"))
	panel := h.fake.Last(groupID)
	contains(t, panel, "本群通知设置", "已登记本群“整改工作群”", "科室范围：全部科室")
	for _, label := range []string{"✅ 进展汇总", "✅ 销号通报", "⬜ 逾期督办提醒", "✅ 全部科室", "⬜ 政治部", "⬜ 基层社会治理科"} {
		if !hasButton(panel, label) {
			t.Errorf("no button %q", label)
		}
	}
	for _, row := range panel.Markup.InlineKeyboard {
		for _, b := range row {
			if len(b.CallbackData) > 64 {
				t.Errorf("callback data %q over 64 bytes", b.CallbackData)
			}
		}
	}
	g := h.groupSettings()
	if g.Title != "整改工作群" || !g.Digests || !g.Closures || g.Escalations || len(g.DepartmentIDs) != 0 {
		t.Errorf("registered as %+v", g)
	}

	// Digests off: saved, and the panel is redrawn in place.
	panel = h.press(adminID, panel, "进展汇总")
	if !hasButton(panel, "⬜ 进展汇总") || panel.Edits != 1 {
		t.Errorf("after the digests toggle (%d edits): %v", panel.Edits, panel.Markup)
	}
	if h.groupSettings().Digests {
		t.Error("digests still on in the ledger")
	}
	answers := h.fake.CallbackAnswers()
	if last := answers[len(answers)-1]; last.Text != "已保存。" {
		t.Errorf("toggle answered %q", last.Text)
	}

	// One department: the group hears only about 政治部.
	panel = h.press(adminID, panel, "政治部")
	contains(t, panel, "科室范围：政治部")
	if !hasButton(panel, "✅ 政治部") || !hasButton(panel, "⬜ 全部科室") {
		t.Errorf("after the department toggle: %v", panel.Markup)
	}
	if ids := h.groupSettings().DepartmentIDs; !slices.Equal(ids, []uint{h.departmentID("政治部")}) {
		t.Errorf("departments saved %v", ids)
	}
	if gs, err := h.store.GroupsFor(h.ctx, dbmodels.SubscribeClosures, h.departmentID("基层社会治理科")); err != nil || len(gs) != 0 {
		t.Errorf("the group still gets 基层社会治理科's closures: %v %v", gs, err)
	}

	// A leader of the ledger is not an admin: the press is refused, nothing
	// changes, and the group sees nothing new.
	before := h.groupSettings()
	same := h.press(socialLead, panel, "逾期督办提醒")
	answers = h.fake.CallbackAnswers()
	if last := answers[len(answers)-1]; !strings.Contains(last.Text, "只有督办管理员") {
		t.Errorf("a leader's press answered %q", last.Text)
	}
	if after := h.groupSettings(); after.Escalations || !slices.Equal(after.DepartmentIDs, before.DepartmentIDs) {
		t.Errorf("a leader's press changed the group: %+v", after)
	}
	if same.MessageID != panel.MessageID || same.Edits != panel.Edits {
		t.Error("a leader's press changed the panel")
	}

	// "All departments" clears the choice.
	panel = h.press(adminID, panel, "全部科室")
	if len(h.groupSettings().DepartmentIDs) != 0 || !hasButton(panel, "✅ 全部科室") {
		t.Errorf("all departments: %+v", h.groupSettings())
	}

	// /group again shows the saved state without registering anew.
	h.do(h.fake.GroupText(groupID, adminID, "/group"))
	again := h.fake.Last(groupID)
	if strings.Contains(again.Text, "已登记") || !hasButton(again, "⬜ 进展汇总") {
		t.Errorf("second /group: %q", again.Text)
	}
	h.noRejections()
}

func TestNonAdminCannotRegisterGroup(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.fake.AddGroup(groupID, "整改工作群", socialLead)
	h.do(h.fake.GroupText(groupID, socialLead, "/group"))
	contains(t, h.fake.Last(groupID), "只有督办管理员")
	if _, err := h.store.Group(h.ctx, groupID); !errors.Is(err, dbmodels.ErrNotFound) {
		t.Errorf("a leader registered the group: %v", err)
	}
	// /group is for groups only.
	contains(t, h.say(adminID, "/group"), "只能在群组中使用")
	h.noRejections()
}

func TestLinkedAdminRegistersGroupAndForgedToggleIsRefused(t *testing.T) {
	h := newHarness(t)
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "督办室王科长", Role: ledger.RoleAdmin}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	const wang = 4001
	h.link("督办室王科长", wang, ledger.RoleAdmin)
	h.fake.AddGroup(groupID, "整改工作群", wang)
	h.do(h.fake.GroupText(groupID, wang, "/group"))
	panel := h.fake.Last(groupID)
	g := h.groupSettings()
	// A department id that does not exist, a toggle with an id, an unknown
	// toggle: each is refused and the settings stay.
	for _, data := range []string{"g:999999:dep", "g:5:d", "g:0:zz"} {
		h.do(h.fake.Press(wang, groupID, panel.MessageID, data))
		answers := h.fake.CallbackAnswers()
		if last := answers[len(answers)-1]; !strings.Contains(last.Text, "已失效") {
			t.Errorf("%s answered %q", data, last.Text)
		}
	}
	if after := h.groupSettings(); after.Digests != g.Digests || after.Escalations != g.Escalations || len(after.DepartmentIDs) != 0 {
		t.Errorf("forged toggles changed the group: %+v", after)
	}
	h.noRejections()
}
