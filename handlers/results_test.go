package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// TestTheOfficeRecordsResults: an admin records the results the reports
// carry with /result — to the plan of the task named, or to the only
// plan — sees the totals, and is told plainly what is wrong with a bad
// entry, which changes nothing; an officer may not record any.
func TestTheOfficeRecordsResults(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)

	usage := h.say(adminID, "/result")
	contains(t, usage, "整改成效合计：新建、修订制度 0 项 · 追回资金 0 万元 · 问责 0 人 · 移交问题线索 0 件", "用法：/result 种类 数量")

	contains(t, h.say(adminID, "/result 资金 1.44 立行立改四 追回违规支出"), "已登记：追回资金 1.44 万元。", "追回资金 1.44 万元")
	contains(t, h.say(adminID, "/result 制度 19"), "已登记：新建、修订制度 19 项。", "新建、修订制度 19 项 · 追回资金 1.44 万元")

	for text, want := range map[string]string{
		"/result 制度 abc":   "“abc”不是有效的数量（单位：项）",
		"/result 问责 1.5":   "“1.5”不是有效的数量（单位：人）",
		"/result 制度 -30":   "更正后的合计不能小于零",
		"/result 表扬 3":     "用法：/result 种类 数量",
		"/result 资金 0.001": "不是有效的数量（单位：万元）",
	} {
		contains(t, h.say(adminID, text), want)
	}
	contains(t, h.say(zhouJie, "/result 制度 1"), "没有权限")

	var entries []dbmodels.Result
	if err := h.store.DB().Order("id").Find(&entries).Error; err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Kind != dbmodels.ResultFunds || entries[0].TaskID == nil || entries[0].TaskID != nil && *entries[0].TaskID != h.taskID("立行立改四") ||
		entries[0].Note != "追回违规支出" || entries[1].Kind != dbmodels.ResultRules || entries[1].TaskID != nil {
		t.Errorf("entries: %+v", entries)
	}
	// In English, kinds and units are English too.
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "督办室王科长", Role: ledger.RoleAdmin}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	const englishAdmin = 4001
	h.link("督办室王科长", englishAdmin, ledger.RoleAdmin, "en")
	contains(t, h.say(englishAdmin, "/result funds 0.5"), "Recorded: funds recovered 0.5 × 10,000 yuan.",
		"Results so far: rules made or revised 19 item(s) · funds recovered 1.94 × 10,000 yuan · held accountable 0 person(s)")
	contains(t, h.say(englishAdmin, "/result accountability 1.5"), "“1.5” is not a valid amount (unit: person(s))")
	if menu := h.say(adminID, "/help"); !strings.Contains(menu.Text, "/result") {
		t.Errorf("the admin's /help does not offer /result:\n%s", menu.Text)
	}
	h.noRejections()
}

// TestResultsNeedAPlanWhenThereAreSeveral: an admin of two plans names a
// task to say which plan an entry is for.
func TestResultsNeedAPlanWhenThereAreSeveral(t *testing.T) {
	h := newHarness(t)
	h.importQinghe()
	contains(t, h.say(adminID, "/result 问责 2"), "请在数量后写上问题编号")
	// 1 is a code in both plans: which one cannot be told.
	contains(t, h.say(adminID, "/result 问责 2 1 校园安全问责"), "问题编号 1 在您可登记的多个整改方案中都有")
	contains(t, h.say(adminID, "/result 问责 2 6(2) 相关人员问责"), "已登记：问责 2 人。")
	var n int64
	h.store.DB().Model(&dbmodels.Result{}).Count(&n)
	if n != 1 {
		t.Errorf("%d entries, want 1", n)
	}
}
