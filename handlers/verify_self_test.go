package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// TestNobodyVerifiesTheirOwnClosure: when 责任领导 and 责任人 are the same
// person, she is told the office verifies it, her /verify does not list
// it, a forged approval is refused, and the office's admin approves it.
func TestNobodyVerifiesTheirOwnClosure(t *testing.T) {
	h := newHarness(t)
	row := ledger.Row{Seq: 1, Category: "队伍建设", ProblemCode: "99", ProblemTitle: "自己审核自己的整改",
		Measures: []string{"一是建立制度。"}, Leader: "王芳", Department: "机关党委", Officer: "王芳",
		Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)}, Status: ledger.StatusInProgress}
	sum, err := h.store.ImportPlan(h.ctx, dbmodels.PlanSpec{Title: "自审方案", Year: 2021}, []ledger.Row{row}, dbmodels.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	// The import takes it, and warns the operator who will approve.
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "王芳 is both 责任领导 and 责任人") {
		t.Errorf("import warnings %q, want one for 王芳", sum.Warnings)
	}
	const wangFang = 4001
	h.link("王芳", wangFang, ledger.RoleLeader)
	h.vfAskClosure("99", wangFang)

	list := h.say(wangFang, "/verify")
	if strings.Contains(list.Text, "99") || hasButton(list, "同意销号") {
		t.Errorf("her own closure is offered to her for approval:\n%s", list.Text)
	}
	card := h.say(wangFang, "/task 99")
	if hasButton(card, "同意销号") {
		t.Error("her task card offers her own approval")
	}
	h.do(h.fake.Press(wangFang, wangFang, card.MessageID, "va:"+itoa(h.taskID("99"))))
	if s := h.status("99"); s != ledger.StatusPendingVerification {
		t.Fatalf("a forged self-approval moved the task to %s", s)
	}
	if got := h.vfLastAnswer(); !strings.Contains(got, "权限") {
		t.Errorf("the forged press was answered %q", got)
	}

	admin := h.say(adminID, "/verify")
	contains(t, admin, "99", "自己审核自己的整改")
	h.approve(adminID, admin, "同意销号")
	if s := h.status("99"); s != ledger.StatusClosed {
		t.Errorf("the office's approval left the task %s", s)
	}
	h.noRejections()
}
