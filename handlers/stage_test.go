package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
	"github.com/rectibot/rectibot/scheduler"
)

// TestTheLeaderMarksALongTermTaskDoneAtItsStage: on a ledger started from
// the plan, 9(2) (长期坚持, 黄敏's) is ongoing. Its leader's card offers
// 阶段性完成, the press asks to confirm, the confirmation marks it and tells
// 黄敏; the card then reads 长期坚持 · 阶段性完成（date）, /digest counts it
// as done, and its check-ins go on. 黄敏's own card has no such button and
// her forged press is refused; a press on a task marked already, or on a
// dated task, changes nothing and says why.
func TestTheLeaderMarksALongTermTaskDoneAtItsStage(t *testing.T) {
	h := newHarness(t, harnessOpts{fixture: "plan.csv"})
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	id := itoa(h.taskID("9(2)"))

	own := h.say(huangMin, "/task 9(2)")
	if hasButton(own, "阶段性完成") {
		t.Error("the officer's own card offers 阶段性完成")
	}
	h.do(h.fake.Press(huangMin, huangMin, own.MessageID, "sd:"+id+":y"))
	if got := h.vfLastAnswer(); !strings.Contains(got, "权限") {
		t.Errorf("the officer's forged press was answered %q", got)
	}
	if card, _ := h.store.Card(h.ctx, h.taskID("9(2)")); card.StageDoneAt != nil {
		t.Fatal("the officer's forged press marked the task")
	}

	card := h.say(socialLead, "/task 9(2)")
	contains(t, card, "长期坚持")
	ask := h.press(socialLead, card, "阶段性完成")
	contains(t, ask, "9(2)", "阶段性完成", "定期报送照常进行")
	if !hasButton(ask, "确认阶段性完成") || !hasButton(ask, "取消") {
		t.Fatalf("the confirmation's buttons: %+v", ask.Markup)
	}
	done := h.press(socialLead, ask, "确认阶段性完成")
	contains(t, done, "已将 9(2) 标记为阶段性完成", "已通知责任人黄敏")
	if hasButton(done, "确认阶段性完成") {
		t.Error("the confirmation can be pressed twice")
	}
	contains(t, h.fake.Last(huangMin), "9(2)", "分管社会治理副书记", "阶段性完成", "继续按期报送")
	if s := h.status("9(2)"); s != ledger.StatusOngoing {
		t.Errorf("after the mark 9(2) is %s, want ongoing", s)
	}
	var events int64
	h.store.DB().Model(&dbmodels.AuditEvent{}).Where("action = ? AND task_id = ?", "task.stage_done", h.taskID("9(2)")).Count(&events)
	if events != 1 {
		t.Errorf("%d task.stage_done audit events, want 1", events)
	}

	card = h.say(socialLead, "/task 9(2)")
	contains(t, card, "长期坚持 · 阶段性完成（2021年11月1日）")
	if hasButton(card, "阶段性完成") {
		t.Error("the card of a task marked already offers the mark again")
	}
	// The old confirmation pressed again: said so, nothing changes.
	h.do(h.fake.Press(socialLead, socialLead, ask.MessageID, "sd:"+id+":y"))
	if got := h.vfLastAnswer(); !strings.Contains(got, "已于2021年11月1日标记为阶段性完成") {
		t.Errorf("a second confirmation was answered %q", got)
	}
	// A dated task (6(2), 黄敏's too) cannot be marked, whatever the press says.
	h.do(h.fake.Press(socialLead, socialLead, card.MessageID, "sd:"+itoa(h.taskID("6(2)"))+":y"))
	if got := h.vfLastAnswer(); !strings.Contains(got, "不是长期坚持") {
		t.Errorf("a press on a dated task was answered %q", got)
	}
	h.store.DB().Model(&dbmodels.AuditEvent{}).Where("action = ?", "task.stage_done").Count(&events)
	if events != 1 {
		t.Errorf("%d task.stage_done audit events after the refused presses, want 1", events)
	}

	// The digest counts it as done; the other long-term tasks are still
	// being worked on.
	contains(t, h.say(adminID, "/digest"), "已完成 1 项（含长期坚持阶段性完成 1 项），正在整改 24 项", "长期坚持 5（其中阶段性完成 1）")

	// Its check-ins go on: at the next one 黄敏 is asked for this period's report.
	settings := schedule.DefaultSettings(ledger.NewChinaCalendar(nil))
	stored, err := h.store.Card(h.ctx, h.taskID("9(2)"))
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := ledger.ParseRecurrence(stored.Recurrence)
	var at time.Time
	for _, d := range scheduler.Plan(settings, scheduler.TaskState{TaskID: h.taskID("9(2)"), Status: ledger.StatusOngoing, LongTerm: true,
		Recurrence: rec, Location: day.Location()}, day, day.AddDate(1, 1, 0)) {
		if d.Kind == scheduler.KindCheckIn {
			at = d.At
			break
		}
	}
	if at.IsZero() {
		t.Fatal("no check-in planned for 9(2)")
	}
	n := &scheduler.Notifier{Store: h.store, Out: h.bot.Sender(), Settings: settings}
	if _, err := n.Notify(h.ctx, scheduler.Recipient{PersonID: personID(t, h, "黄敏"), TelegramID: huangMin}, at); err != nil {
		t.Fatal(err)
	}
	contains(t, findMessage(t, h, huangMin, "9(2)", "本期"), "长期坚持")
	h.noRejections()
}
