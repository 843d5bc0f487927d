package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
	"github.com/rectibot/rectibot/scheduler"
)

// replyHint is what tells a reader that replying records progress.
const replyHint = "直接回复本消息即可报送进展"

// TestOverdueIsSaidOneWay: on one day, the card, the lists, /overdue, the
// digest, the officer's reminder and the admins' escalation say how late
// 立行立改四 is in the same words — working days, calendar days alongside.
// Only the officer is told to reply with progress.
func TestOverdueIsSaidOneWay(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	n := &scheduler.Notifier{Store: h.store, Out: h.bot.Sender(),
		Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil)), Admins: []int64{adminID}}
	notify := func(rc scheduler.Recipient) {
		t.Helper()
		if _, err := n.Notify(h.ctx, rc, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}

	// Wednesday 2021-11-03, the 3rd working day after the Sunday deadline:
	// the leader's escalation, with no invitation to reply.
	h.clock.Set(time.Date(2021, 11, 3, 10, 0, 0, 0, day.Location()))
	notify(scheduler.Recipient{PersonID: personID(t, h, "分管社会治理副书记"), TelegramID: socialLead})
	escalation := findMessage(t, h, socialLead, "立行立改四")
	contains(t, escalation, "已逾期 3 个工作日，时限2021年10月31日")
	lacks(t, escalation, replyHint)

	// Tuesday 2021-11-09: 9 days, 7 working days late.
	h.clock.Set(time.Date(2021, 11, 9, 10, 0, 0, 0, day.Location()))
	const late = "已逾期 7 个工作日（9 天）"

	card := h.say(zhouJie, "/task 立行立改四")
	contains(t, card, late, replyHint)
	contains(t, h.say(zhouJie, "/tasks"), late)
	notify(scheduler.Recipient{PersonID: personID(t, h, "周杰"), TelegramID: zhouJie})
	reminder := findMessage(t, h, zhouJie, "以下整改事项请抓紧办理并按时报送", "立行立改四")
	contains(t, reminder, late, replyHint)

	notify(scheduler.Recipient{TelegramID: adminID}) // the 7th working day: the admins hear
	adminEscalation := findMessage(t, h, adminID, "以下整改事项请抓紧办理并按时报送", "立行立改四")
	contains(t, adminEscalation, late)
	lacks(t, adminEscalation, replyHint)
	adminCard := h.say(adminID, "/task 立行立改四")
	contains(t, adminCard, late)
	lacks(t, adminCard, replyHint)
	contains(t, h.say(adminID, "/overdue"), late)

	leaderCard := h.say(socialLead, "/task 立行立改四")
	contains(t, leaderCard, late)
	lacks(t, leaderCard, replyHint)
	h.say(socialLead, "/digest")
	findMessage(t, h, socialLead, "整改进展汇总", "立行立改四", late)
	h.noRejections()
}

// TestALeaderIsPointedToVerify: a card whose closure waits for its reader
// says where to review it; the officer who asked still gets the reply hint.
func TestALeaderIsPointedToVerify(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.taskID("立行立改四"), To: ledger.StatusPendingVerification}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	leader := h.say(socialLead, "/task 立行立改四")
	contains(t, leader, "待审核", "/verify")
	lacks(t, leader, replyHint)
	officer := h.say(zhouJie, "/task 立行立改四")
	contains(t, officer, replyHint)
	lacks(t, officer, "/verify")
	// Plain words outside a dialogue: only the officer hears about replying.
	contains(t, h.say(zhouJie, "你好"), "回复我发出的任务消息")
	lacks(t, h.say(socialLead, "你好"), "报送进展")
	h.noRejections()
}

func lacks(t *testing.T, m tgfake.Sent, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(m.Text+m.Caption, u) {
			t.Errorf("message %d has %q:\n%s", m.MessageID, u, m.Text+m.Caption)
		}
	}
}
