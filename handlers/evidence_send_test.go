package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// TestTheApproverSeesTheEvidenceBeforeSigningOff: 周杰 reports 立行立改四
// done with a photo; the leader's /verify shows the report whole, who wrote
// it and 📎 1, and its 佐证材料 button sends the photo back (by its
// file_id, as Telegram holds it); the card shows the same; then the leader
// approves.
func TestTheApproverSeesTheEvidenceBeforeSigningOff(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)

	long := "8份合同均已执行完毕。" + strings.Repeat("补充协议约定的出版工作已完成，样书已送达。", 20) + "申请销号。"
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	h.do(h.fake.Photo(zhouJie, long, ""))
	ack := h.fake.Last(zhouJie)
	status := h.press(zhouJie, ack, "完成")
	summary := h.press(zhouJie, status, "申请销号") // a photo: no reason asked
	h.press(zhouJie, summary, "确认报送")
	if s := h.status("立行立改四"); s != ledger.StatusPendingVerification {
		t.Fatalf("status %s, want pending_verification", s)
	}

	// The leader is told at once, with the report, its files and the buttons.
	note := findMessage(t, h, socialLead, "销号申请", "立行立改四")
	contains(t, note, "周杰）：", "📎", "8份合同均已执行完毕")
	for _, b := range []string{"同意销号", "退回", "佐证材料"} {
		if !hasButton(note, b) {
			t.Errorf("the closure request has no %s button", b)
		}
	}

	list := h.say(socialLead, "/verify")
	contains(t, list, "立行立改四", "周杰）：", "📎", "申请销号。") // the report whole, to its last words
	h.press(socialLead, list, "佐证材料")
	var photos, texts int
	for _, m := range h.fake.Messages(socialLead) {
		switch {
		case m.Photo != nil:
			photos++
			if !strings.Contains(m.Caption, "周杰") {
				t.Errorf("the photo's caption does not say whose it is: %q", m.Caption)
			}
		case strings.Contains(m.Text, "最新进展全文"):
			texts++
			contains(t, m, "申请销号。")
		}
	}
	if photos != 1 || texts != 1 {
		t.Errorf("佐证材料 sent %d photos and %d full reports, want 1 and 1", photos, texts)
	}

	card := h.say(socialLead, "/task 立行立改四")
	contains(t, card, "周杰", "📎")
	if !hasButton(card, "佐证材料") {
		t.Error("the card offers no 佐证材料 button")
	}
	h.approve(socialLead, list, "同意销号")
	if s := h.status("立行立改四"); s != ledger.StatusClosed {
		t.Errorf("after approval: %s", s)
	}
	h.noRejections()
}

// TestEvidenceIsForThoseWhoMaySeeTheTask: a forged 佐证材料 press from an
// officer of another department sends nothing.
func TestEvidenceIsForThoseWhoMaySeeTheTask(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("刘洋", liuYang, ledger.RoleOfficer)
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	h.do(h.fake.Photo(zhouJie, "验收材料", ""))
	h.press(zhouJie, h.press(zhouJie, h.press(zhouJie, h.fake.Last(zhouJie), "完成"), "申请销号"), "确认报送")

	before := len(h.fake.Messages(liuYang))
	tasks := h.say(liuYang, "/tasks")
	h.do(h.fake.Press(liuYang, liuYang, tasks.MessageID, "ev:"+itoa(h.taskID("立行立改四"))))
	if a := h.vfLastAnswer(); !strings.Contains(a, "权限") {
		t.Errorf("a forged 佐证材料 press answered %q", a)
	}
	for _, m := range h.fake.Messages(liuYang)[before:] {
		if m.Photo != nil || m.Document != nil {
			t.Fatalf("another department's officer was sent the evidence")
		}
	}
	h.noRejections()
}
