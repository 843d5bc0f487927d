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

// TestFollowUpReviewReopensOrConfirms: ninety days after closure the
// scheduler asks the officer whether the problem came back; "yes" reopens
// the task (audited, the leader and the closures group told), "no" is
// recorded as a review and changes nothing.
func TestFollowUpReviewReopensOrConfirms(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.fake.AddGroup(groupID, "整改工作群", socialLead)
	if err := h.store.SaveGroup(h.ctx, dbmodels.GroupSettings{ChatID: groupID, Title: "整改工作群", Closures: true}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	// 立行立改四 is closed today (2021-11-01), and so is 6(3) again: its
	// closure at import has no day (the ledger does not say), so no review
	// is due for it until it is closed through the bot.
	for _, to := range []ledger.Status{ledger.StatusPendingVerification, ledger.StatusClosed} {
		if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.taskID("立行立改四"), To: to}, dbmodels.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	h.closeToday("6(3)")
	n := &scheduler.Notifier{Store: h.store, Out: h.bot.Sender(), Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil))}
	officer := scheduler.Recipient{PersonID: personID(t, h, "周杰"), TelegramID: zhouJie}
	// 2022-01-30 is a Sunday and a make-up working day before Spring Festival:
	// the review goes out that morning.
	at := time.Date(2022, 1, 30, 10, 0, 0, 0, day.Location())
	if _, err := n.Notify(h.ctx, officer, at); err != nil {
		t.Fatal(err)
	}
	// 6(3) is asked about too, in a message of its own; 11(2), closed at
	// import, is not.
	question := findMessage(t, h, zhouJie, "回头看", "立行立改四")
	contains(t, question, "2021年11月1日")
	other := findMessage(t, h, zhouJie, "回头看", "6(3)")
	for _, m := range h.fake.Messages(zhouJie) {
		if strings.Contains(m.Text, "回头看") && strings.Contains(m.Text, "11(2)") {
			t.Errorf("11(2), closed at import on no known day, is asked a 回头看:\n%s", m.Text)
		}
	}
	// "Yes" asks what came back before anything changes.
	ask := h.press(zhouJie, question, "是")
	contains(t, ask, "问题反弹的情况", "责任领导和督办管理员")
	if s := h.status("立行立改四"); s != ledger.StatusClosed {
		t.Fatalf("\"yes\" alone reopened the task (%s) before saying what came back", s)
	}
	done := h.say(zhouJie, "又发现2份合同未经法律审查")
	contains(t, done, "已恢复为“整改中”", "反弹情况：又发现2份合同未经法律审查")
	if hasButton(h.message(zhouJie, question.MessageID), "问题反弹") {
		t.Error("the question can be answered twice")
	}
	if s := h.status("立行立改四"); s != ledger.StatusInProgress {
		t.Errorf("after \"yes\" the task is %s, want in_progress", s)
	}
	// The leader and the office hear what came back.
	contains(t, h.fake.Last(socialLead), "回头看", "立行立改四", "已恢复为“整改中”", "又发现2份合同未经法律审查")
	contains(t, h.fake.Last(adminID), "回头看", "立行立改四", "已恢复为“整改中”", "又发现2份合同未经法律审查")
	var reopened dbmodels.AuditEvent
	if err := h.store.DB().Where("action = ? AND task_id = ?", "task.status", h.taskID("立行立改四")).Order("id DESC").Take(&reopened).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reopened.After, "又发现2份合同未经法律审查") {
		t.Errorf("the reopening's reason is not what came back: %s", reopened.After)
	}
	if g := h.fake.Messages(groupID); len(g) != 1 || !strings.Contains(g[0].Text, "立行立改四") {
		t.Errorf("the closures group: %+v", g)
	}
	var reviews int64
	h.store.DB().Model(&dbmodels.AuditEvent{}).Where("action = ? AND task_id = ?", "task.reviewed", h.taskID("立行立改四")).Count(&reviews)
	if reviews != 1 {
		t.Errorf("%d review audit events, want 1", reviews)
	}
	// Pressing again changes nothing.
	h.do(h.fake.Press(zhouJie, zhouJie, question.MessageID, "fu:"+itoa(h.taskID("立行立改四"))+":yes"))
	if s := h.status("立行立改四"); s != ledger.StatusInProgress {
		t.Errorf("a second press moved the task to %s", s)
	}

	// "No" for 6(3): recorded, still closed, nobody else told.
	leaderMsgs := len(h.fake.Messages(socialLead))
	h.press(zhouJie, other, "否")
	contains(t, findMessage(t, h, zhouJie, "6(3)", "回头看"), "未发现反弹")
	if s := h.status("6(3)"); s != ledger.StatusClosed {
		t.Errorf("after \"no\" 6(3) is %s", s)
	}
	h.store.DB().Model(&dbmodels.AuditEvent{}).Where("action = ? AND task_id = ?", "task.reviewed", h.taskID("6(3)")).Count(&reviews)
	if reviews != 1 || len(h.fake.Messages(socialLead)) != leaderMsgs {
		t.Errorf("\"no\": %d review events, leader got %d new messages", reviews, len(h.fake.Messages(socialLead))-leaderMsgs)
	}
	h.noRejections()
}

// findMessage is the bot's message in chat containing every one of want.
func findMessage(t *testing.T, h *harness, chat int64, want ...string) tgfake.Sent {
	t.Helper()
	for _, m := range h.fake.Messages(chat) {
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(m.Text, w)
		}
		if ok {
			return m
		}
	}
	t.Fatalf("no message in %d with %q", chat, want)
	return tgfake.Sent{}
}

func personID(t *testing.T, h *harness, name string) uint {
	t.Helper()
	people, err := h.store.People(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if p.Name == name {
			return p.ID
		}
	}
	t.Fatalf("no person %s", name)
	return 0
}

// TestFollowUpAnswersOnlyFromThePersonAskedOnce: a 回头看 answer is a button
// whose data anyone can forge. Another officer of the department pressing
// "yes" on a closed task, an answer to a review nobody was asked, and a
// second answer to the same question change nothing and say why.
func TestFollowUpAnswersOnlyFromThePersonAskedOnce(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.closeToday("6(3)")     // closed today (2021-11-01): its review is due on 2022-01-30
	task := h.taskID("6(3)") // 周杰's
	forged := func(from int64, answer string) tgfake.Sent {
		h.t.Helper()
		h.do(h.fake.Press(from, from, h.say(from, "/tasks").MessageID, "fu:"+itoa(task)+":"+answer))
		return h.fake.Last(from)
	}
	reviews := func() int64 {
		var n int64
		h.store.DB().Model(&dbmodels.AuditEvent{}).Where("action = ? AND task_id = ?", "task.reviewed", task).Count(&n)
		return n
	}
	answered := func(from int64) string {
		a := h.fake.CallbackAnswers()
		return a[len(a)-1].Text
	}

	// Nobody was asked yet: neither the officer nor anyone else may answer.
	forged(zhouJie, "yes")
	if got := answered(zhouJie); !strings.Contains(got, "不是发给您的") {
		t.Errorf("an answer before any question: %q", got)
	}
	if s := h.status("6(3)"); s != ledger.StatusClosed || reviews() != 0 {
		t.Fatalf("an unasked answer changed the task: %s, %d reviews", s, reviews())
	}

	n := &scheduler.Notifier{Store: h.store, Out: h.bot.Sender(), Settings: schedule.DefaultSettings(ledger.NewChinaCalendar(nil))}
	if _, err := n.Notify(h.ctx, scheduler.Recipient{PersonID: personID(t, h, "周杰"), TelegramID: zhouJie},
		time.Date(2022, 1, 30, 10, 0, 0, 0, day.Location())); err != nil {
		t.Fatal(err)
	}
	question := findMessage(t, h, zhouJie, "回头看", "6(3)")

	// 黄敏 (another department) and the office's admin (who may act on any
	// task) forge 周杰's question: refused, the task stays closed.
	forged(huangMin, "yes")
	if got := answered(huangMin); !strings.Contains(got, "没有权限") {
		t.Errorf("a forged answer from another department: %q", got)
	}
	forged(adminID, "yes")
	if got := answered(adminID); !strings.Contains(got, "不是发给您的") {
		t.Errorf("a forged answer from the admin: %q", got)
	}
	if s := h.status("6(3)"); s != ledger.StatusClosed || reviews() != 0 {
		t.Fatalf("a forged answer changed the task: %s, %d reviews", s, reviews())
	}

	// 周杰 answers "no" once; a second answer, "yes" this time, is refused.
	h.press(zhouJie, question, "否")
	h.do(h.fake.Press(zhouJie, zhouJie, question.MessageID, "fu:"+itoa(task)+":yes"))
	if got := answered(zhouJie); !strings.Contains(got, "已经答复过") {
		t.Errorf("a second answer: %q", got)
	}
	if s := h.status("6(3)"); s != ledger.StatusClosed || reviews() != 1 {
		t.Errorf("after a second answer: %s, %d reviews (want closed, 1)", s, reviews())
	}
	h.noRejections()
}
