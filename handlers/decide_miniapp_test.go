package handlers_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// TestTheMiniAppsClosureDecisionIsTheButtons: 同意销号 and 退回 taken in the
// Mini App (Handler.DecideClosure) are refused and recorded exactly as the
// buttons' are: only the task's leader, only while pending, a reason to
// send it back, the audit event in the leader's name, the officer told
// and the group's closure notice sent.
func TestTheMiniAppsClosureDecisionIsTheButtons(t *testing.T) {
	h := newHarness(t)
	h.vfGroup(groupID, "基层社会治理科工作群", true, false, "基层社会治理科")
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.link("政治部主任", politLead, ledger.RoleLeader)
	h.vfAskClosure("6(2)", huangMin)
	id := h.taskID("6(2)")
	before := len(h.vfStatusEvents("6(2)"))

	for who, tg := range map[string]int64{"the officer": huangMin, "another department's leader": politLead, "a stranger": strangerID} {
		if err := h.handler.DecideClosure(h.ctx, tg, id, true, ""); !errors.Is(err, ledger.ErrDenied) {
			t.Errorf("%s approving: %v, want ErrDenied", who, err)
		}
	}
	if err := h.handler.DecideClosure(h.ctx, socialLead, id, false, "  "); !errors.Is(err, ledger.ErrReasonRequired) {
		t.Errorf("sent back without a reason: %v", err)
	}
	if got := h.status("6(2)"); got != ledger.StatusPendingVerification || len(h.vfStatusEvents("6(2)")) != before {
		t.Fatalf("refused decisions changed the task: %s", got)
	}

	leaderMsgs := len(h.fake.Messages(socialLead))
	if err := h.handler.DecideClosure(h.ctx, socialLead, id, true, ""); err != nil {
		t.Fatal(err)
	}
	if got := h.status("6(2)"); got != ledger.StatusClosed {
		t.Fatalf("status %s after approval", got)
	}
	evs := h.vfStatusEvents("6(2)")
	leader, leaderID := h.vfActor(socialLead)
	if last := evs[len(evs)-1]; len(evs) != before+1 || last.ActorID == nil || *last.ActorID != leaderID || last.Actor != leader.Label {
		t.Fatalf("audit after approval: %+v", evs)
	}
	contains(t, h.fake.Last(huangMin), "6(2)", "已销号", "分管社会治理副书记")
	contains(t, h.fake.Last(groupID), "销号通报", "6(2)", "已销号")
	if n := len(h.fake.Messages(socialLead)) - leaderMsgs; n != 0 {
		t.Errorf("the leader's chat got %d messages: the page shows the outcome", n)
	}
	if err := h.handler.DecideClosure(h.ctx, socialLead, id, false, "再核实"); !errors.Is(err, dbmodels.ErrConflict) {
		t.Errorf("a decision on a closed task: %v, want ErrConflict", err)
	}
	if got := h.status("6(2)"); got != ledger.StatusClosed {
		t.Errorf("a second decision reopened the task: %s", got)
	}
	h.noRejections()
}

// TestTheMiniAppsDeadlineDecisionIsTheButtons: refusing a new deadline in
// the Mini App keeps the deadline and tells the officer why; the officer
// cannot decide their own request; a decided request is not decided twice.
func TestTheMiniAppsDeadlineDecisionIsTheButtons(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.askNewDeadline(zhouJie, "立行立改四", "2022-06-30", "等待审计结果")
	note := findMessage(t, h, socialLead, "延期申请", "立行立改四")
	reqID, err := strconv.ParseUint(strings.TrimPrefix(button(t, note, "同意延期"), "da:"), 10, 32)
	if err != nil {
		t.Fatal(err)
	}

	if err := h.handler.DecideDeadline(h.ctx, zhouJie, uint(reqID), true, ""); !errors.Is(err, ledger.ErrDenied) {
		t.Errorf("the officer approving his own request: %v", err)
	}
	if err := h.handler.DecideDeadline(h.ctx, socialLead, uint(reqID), false, "合同早已到期"); err != nil {
		t.Fatal(err)
	}
	if d, _ := h.deadlineOf("立行立改四"); d != "2021-10-31" {
		t.Errorf("a refused request moved the deadline to %s", d)
	}
	contains(t, h.fake.Last(zhouJie), "未予同意", "仍按原定时限2021年10月31日", "理由：合同早已到期")
	if err := h.handler.DecideDeadline(h.ctx, socialLead, uint(reqID), true, ""); !errors.Is(err, dbmodels.ErrConflict) {
		t.Errorf("a second decision: %v, want ErrConflict", err)
	}
	if d, _ := h.deadlineOf("立行立改四"); d != "2021-10-31" {
		t.Errorf("a second decision moved the deadline to %s", d)
	}
	h.noRejections()
}
