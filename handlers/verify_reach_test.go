package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// Sign-off refused out of reach, the empty list and the paged list; the
// helpers are in verify_test.go.

func TestVerifyIsRefusedOutsideOnesReach(t *testing.T) {
	h := newHarness(t)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("政治部主任", politLead, ledger.RoleLeader)
	h.vfAskClosure("6(2)", huangMin)
	events := len(h.vfStatusEvents("6(2)"))
	id := itoa(h.taskID("6(2)"))

	other := h.say(politLead, "/verify")
	contains(t, other, "目前没有等待您审核的销号申请")
	if strings.Contains(other.Text, "6(2)") || other.Markup != nil {
		t.Errorf("another department's leader was offered 6(2): %q", other.Text)
	}
	for _, data := range []string{"va:" + id, "va:" + id + ":p0", "vr:" + id} {
		h.do(h.fake.Press(politLead, politLead, other.MessageID, data))
		if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
			t.Errorf("forged %s answered %q", data, a)
		}
	}
	contains(t, h.say(politLead, "退回理由"), "请使用指令") // no rejection dialogue began

	mine := h.say(huangMin, "/verify")
	contains(t, mine, "只有责任领导和督办管理员可以审核销号")
	h.do(h.fake.Press(huangMin, huangMin, mine.MessageID, "va:"+id))
	if a := h.vfLastAnswer(); !strings.Contains(a, "没有权限") {
		t.Errorf("the officer's approval answered %q", a)
	}
	if got := h.status("6(2)"); got != ledger.StatusPendingVerification || len(h.vfStatusEvents("6(2)")) != events {
		t.Errorf("a refused press changed the task: %s", got)
	}
	h.noRejections()
}

func TestVerifyWithNothingPending(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader, "en")
	reply := h.say(socialLead, "/verify")
	contains(t, reply, "There are no closures waiting for your sign-off.")
	if reply.Markup != nil {
		t.Error("an empty list has buttons")
	}
	h.noRejections()
}

// Many closures at once: the list is paged, every page fits a message,
// and a decision redraws the page it was taken on.
func TestVerifyPagesALongList(t *testing.T) {
	h := newHarness(t)
	items, err := h.store.TasksFor(h.ctx, ledger.Actor{Roles: []ledger.Role{ledger.RoleAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	pending := 0
	for _, it := range items {
		switch it.Status {
		case ledger.StatusClosed:
			ch := dbmodels.StatusChange{TaskID: it.ID, To: ledger.StatusInProgress, Reason: "回头看发现反弹"}
			if _, err := h.store.ChangeStatus(h.ctx, ch, dbmodels.CLIActor); err != nil {
				t.Fatal(err)
			}
		case ledger.StatusInProgress:
		default:
			continue
		}
		ch := dbmodels.StatusChange{TaskID: it.ID, To: ledger.StatusPendingVerification}
		if _, err := h.store.ChangeStatus(h.ctx, ch, dbmodels.CLIActor); err != nil {
			t.Fatal(err)
		}
		pending++
	}
	if pending < 11 {
		t.Fatalf("only %d pending tasks: the fixture changed", pending)
	}
	pages := (pending + 2) / 3 // three to a page: each shows its latest report whole
	first := h.say(adminID, "/verify")
	contains(t, first, fmt.Sprintf("待销号审核（共 %d 项）", pending), fmt.Sprintf("第 1/%d 页", pages))
	if hasButton(first, "上一页") || !hasButton(first, "下一页") {
		t.Fatalf("first page navigation: %+v", first.Markup)
	}
	second := h.press(adminID, first, "下一页")
	contains(t, second, fmt.Sprintf("第 2/%d 页", pages))
	code := second.Markup.InlineKeyboard[0][0].Text // "✅ <code> 同意销号"
	code = strings.TrimSuffix(strings.TrimPrefix(code, "✅ "), " 同意销号")
	done := h.approve(adminID, second, "✅ "+code+" ")
	contains(t, done, code+" 已销号（审核人：督办管理员）", fmt.Sprintf("共 %d 项", pending-1), "第 2/")
	if h.status(code) != ledger.StatusClosed {
		t.Errorf("%s is %s", code, h.status(code))
	}
	for _, m := range h.fake.Messages(adminID) {
		if n := len([]rune(m.Text)); n > 4096 {
			t.Errorf("message %d has %d characters", m.MessageID, n)
		}
	}
	h.noRejections()
}
