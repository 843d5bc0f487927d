package handlers_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// mtMeasures is the task's measures as stored now, in order.
func (h *harness) mtMeasures(code string) []dbmodels.Measure {
	h.t.Helper()
	c, err := h.store.Card(h.ctx, h.taskID(code))
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Measures
}

// mtEvents counts the task's measure audit events.
func (h *harness) mtEvents(code string) int64 {
	h.t.Helper()
	var n int64
	if err := h.store.DB().Model(&dbmodels.AuditEvent{}).Where("task_id = ? AND action = ?", h.taskID(code), "task.measure").
		Count(&n).Error; err != nil {
		h.t.Fatal(err)
	}
	return n
}

// mtAnswer is the text of the last callback answer.
func (h *harness) mtAnswer() string {
	h.t.Helper()
	answers := h.fake.CallbackAnswers()
	if len(answers) == 0 {
		h.t.Fatal("no press was answered")
	}
	return answers[len(answers)-1].Text
}

// mtClose closes a task the way the office's verification does: asked
// for, then approved.
func (h *harness) mtClose(code string) {
	h.t.Helper()
	for _, to := range []ledger.Status{ledger.StatusPendingVerification, ledger.StatusClosed} {
		if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.taskID(code), To: to}, dbmodels.CLIActor); err != nil {
			h.t.Fatal(err)
		}
	}
}

// mtNoTickButtons fails when m still offers measure buttons.
func mtNoTickButtons(t *testing.T, m tgfake.Sent) {
	t.Helper()
	if hasButton(m, "☐ ") || hasButton(m, "☑ 1") || hasButton(m, "勾选措施") {
		t.Errorf("message %d still offers ticking: %+v", m.MessageID, m.Markup)
	}
}

func TestTheOfficerTicksAMeasureFromTheCard(t *testing.T) {
	h := newHarness(t)
	h.link("刘洋", liuYang, ledger.RoleOfficer) // 8(2): 政治部, in progress, three measures

	card := h.say(liuYang, "/task 8(2)")
	contains(t, card, "整改措施（已完成 0/3）", "☐ 1. 一是逐条对照", "☐ 3. 三是严格落实")
	if !hasButton(card, "勾选措施") || !hasButton(card, "报送进展") {
		t.Fatalf("the officer's card lacks the tick or report button: %+v", card.Markup)
	}

	list := h.press(liuYang, card, "勾选措施")
	if list.MessageID != card.MessageID {
		t.Fatal("the measures were not shown on the card itself")
	}
	for _, b := range []string{"☐ 1", "☐ 2", "☐ 3", "完成"} {
		if !hasButton(list, b) {
			t.Errorf("the measure keyboard lacks %q: %+v", b, list.Markup)
		}
	}
	if got := h.mtAnswer(); !strings.Contains(got, "点击编号") {
		t.Errorf("opening the measures was answered %q", got)
	}

	ticked := h.press(liuYang, list, "☐ 1")
	contains(t, ticked, "整改措施（已完成 1/3）", "☑ 1. 一是逐条对照", "☐ 2. 二是")
	if !hasButton(ticked, "☑ 1") || !hasButton(ticked, "☐ 2") {
		t.Errorf("the redrawn keyboard: %+v", ticked.Markup)
	}
	if got := h.mtAnswer(); got != "第 1 项措施已勾选为完成。" {
		t.Errorf("the tick was answered %q", got)
	}
	if ms := h.mtMeasures("8(2)"); !ms[0].Done || ms[0].DoneAt == nil || ms[1].Done {
		t.Errorf("stored: %+v", ms)
	}
	if n := h.mtEvents("8(2)"); n != 1 {
		t.Errorf("%d task.measure events, want 1", n)
	}

	back := h.press(liuYang, ticked, "完成")
	if !hasButton(back, "报送进展") || !hasButton(back, "勾选措施") || hasButton(back, "☑ 1") {
		t.Errorf("完成 did not bring the card's buttons back: %+v", back.Markup)
	}
	contains(t, back, "整改措施（已完成 1/3）", "☑ 1. 一是逐条对照")

	fresh := h.say(liuYang, "/task 8(2)")
	if fresh.MessageID == card.MessageID {
		t.Fatal("no fresh card was sent")
	}
	contains(t, fresh, "整改措施（已完成 1/3）", "☑ 1. 一是逐条对照", "☐ 2. 二是")

	// The office's export says which are done, in 备注.
	h.say(adminID, "/export")
	doc := h.fake.Last(adminID)
	if doc.Document == nil {
		t.Fatalf("no export: %+v", doc)
	}
	f, err := excelize.OpenReader(bytes.NewReader(doc.Document.Data))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	note := ""
	for _, row := range rows {
		if len(row) > 2 && row[2] == "8(2)" {
			note = row[12] // 备注; the office's columns follow it
		}
	}
	if note != "措施完成 1/3（第1项）" {
		t.Errorf("8(2) exported with 备注 %q, want 措施完成 1/3（第1项）", note)
	}

	// Unticking works the same way.
	unticked := h.press(liuYang, h.press(liuYang, fresh, "勾选措施"), "☑ 1")
	contains(t, unticked, "整改措施（已完成 0/3）", "☐ 1. 一是逐条对照")
	if got := h.mtAnswer(); got != "第 1 项措施已取消勾选。" {
		t.Errorf("the untick was answered %q", got)
	}
	if ms := h.mtMeasures("8(2)"); ms[0].Done || ms[0].DoneAt != nil {
		t.Errorf("stored after the untick: %+v", ms[0])
	}
	h.noRejections()
}

// TestOnlyWhoMayReportTicksMeasures: the task's leader, another
// department's officer and a viewer get no tick button, and their forged
// presses are refused and change nothing.
func TestOnlyWhoMayReportTicksMeasures(t *testing.T) {
	h := newHarness(t)
	h.link("政治部主任", politLead, ledger.RoleLeader)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	if _, err := h.store.AddPerson(h.ctx, dbmodels.NewPerson{Name: "纪检观察员", Role: ledger.RoleViewer}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.link("纪检观察员", viewerID, ledger.RoleViewer)
	task := h.taskID("8(2)")
	m := h.mtMeasures("8(2)")[0]

	leaderCard := h.say(politLead, "/task 8(2)")
	contains(t, leaderCard, "整改措施（已完成 0/3）")
	if hasButton(leaderCard, "勾选措施") {
		t.Error("the leader, who does not report, is offered the tick button")
	}
	// 黄敏 cannot see 8(2); the viewer sees no cards. Each forges on a
	// message of their own chat.
	other := h.say(huangMin, "/task 6(2)")
	viewer := h.say(viewerID, "/digest")
	for _, p := range []struct {
		who int64
		msg tgfake.Sent
	}{{politLead, leaderCard}, {huangMin, other}, {viewerID, viewer}} {
		for _, data := range []string{"mt:" + itoa(m.ID) + ":1", "mo:" + itoa(task), "mt:999999:1"} {
			h.do(h.fake.Press(p.who, p.who, p.msg.MessageID, data))
			if got := h.mtAnswer(); !strings.Contains(got, "权限") {
				t.Errorf("%d pressing %s was answered %q", p.who, data, got)
			}
		}
		if now := h.message(p.who, p.msg.MessageID); now.Text != p.msg.Text {
			t.Errorf("%d's message was redrawn by a refused press:\n%s", p.who, now.Text)
		}
	}
	if ms := h.mtMeasures("8(2)"); ms[0].Done {
		t.Error("a forged press ticked the measure")
	}
	if n := h.mtEvents("8(2)"); n != 0 {
		t.Errorf("%d task.measure events from refused presses", n)
	}
	h.noRejections()
}

// TestAClosedTasksMeasuresStayAsVerified: 销号 ticks every measure; a
// closed task's card offers no ticking, and a press on a list or card drawn
// before the closure says why, changes nothing and takes the stale buttons
// away.
func TestAClosedTasksMeasuresStayAsVerified(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	if closed := h.say(zhouJie, "/task 6(3)"); hasButton(closed, "勾选措施") { // 已销号 in the fixture
		t.Error("a closed task's card offers ticking")
	}

	list := h.press(zhouJie, h.say(zhouJie, "/task 立行立改四"), "勾选措施")
	stale := h.say(zhouJie, "/task 立行立改四")
	h.mtClose("立行立改四")
	const why = "该任务已销号，措施不能再勾选。"

	h.press(zhouJie, list, "☐ 1")
	after := h.message(zhouJie, list.MessageID)
	if got := h.mtAnswer(); got != why {
		t.Errorf("a tick on a closed task was answered %q", got)
	}
	mtNoTickButtons(t, after)
	contains(t, after, "已销号")

	h.press(zhouJie, stale, "勾选措施")
	if got := h.mtAnswer(); got != why {
		t.Errorf("opening the measures of a closed task was answered %q", got)
	}
	mtNoTickButtons(t, h.message(zhouJie, stale.MessageID))

	// 销号 ticked them all (the whole rectification is verified); the
	// presses after it changed nothing more.
	if ms := h.mtMeasures("立行立改四"); !ms[0].Done || !ms[1].Done {
		t.Errorf("the closed task's measures are not all done: %+v", ms)
	}
	if n := h.mtEvents("立行立改四"); n != 0 {
		t.Errorf("%d task.measure events on a closed task", n)
	}
	h.noRejections()
}
