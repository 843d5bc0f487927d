package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// TestAnOldPickerActsOnTheTaskAsItIsNow: 周杰 opens /report, then the same
// task is put up for closure from its card; pressing the old picker's button
// says what changed, and the report that follows is recorded as more
// evidence for the pending closure — never as 「仍在整改」 — and the task stays
// 待销号. A press on an old 同意销号 after another approver decided says it
// was decided, and changes nothing.
func TestAnOldPickerActsOnTheTaskAsItIsNow(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	picker := h.say(zhouJie, "/report")
	h.vfAskClosure("立行立改四", zhouJie)

	h.press(zhouJie, picker, "立行立改四")
	if a := h.vfLastAnswer(); !strings.Contains(a, "该任务已申请销号，等待审核") {
		t.Errorf("the stale press answered %q", a)
	}
	findMessage(t, h, zhouJie, "该任务已申请销号，等待审核", "状态仍为待销号")
	h.do(h.fake.Photo(zhouJie, "补充合同验收单", ""))
	summary := h.press(zhouJie, h.fake.Last(zhouJie), "完成")
	contains(t, summary, "补充材料，仍待销号审核")
	if strings.Contains(summary.Text, "仍在整改") {
		t.Errorf("the summary of a supplement says 仍在整改:\n%s", summary.Text)
	}
	h.press(zhouJie, summary, "确认报送")
	if s := h.status("立行立改四"); s != ledger.StatusPendingVerification {
		t.Errorf("a supplement moved the task to %s", s)
	}

	// Two approvers, one old list: the second press is told it was decided.
	list := h.say(socialLead, "/verify")
	h.approve(adminID, h.say(adminID, "/verify"), "立行立改四 同意销号")
	h.press(socialLead, list, "立行立改四 同意销号")
	if a := h.vfLastAnswer(); !strings.Contains(a, "已处理") || !strings.Contains(a, "已销号") {
		t.Errorf("an old 同意销号 after another's approval answered %q", a)
	}
	h.noRejections()
}
