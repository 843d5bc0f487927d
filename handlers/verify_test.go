package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// Groups of the sign-off scenarios besides groupID (subscribed to closures
// of every department).
const (
	vfDigestGroup = -100600 // digests only
	vfPolitGroup  = -100700 // closures, but only 政治部's
)

// vfActor is the audit actor of a linked Telegram user.
func (h *harness) vfActor(tgID int64) (dbmodels.Actor, uint) {
	h.t.Helper()
	m, err := h.store.MemberByTelegram(h.ctx, tgID)
	if err != nil {
		h.t.Fatal(err)
	}
	id := m.Person.ID
	return dbmodels.Actor{PersonID: &id, Label: fmt.Sprintf("telegram:%d", tgID)}, id
}

// vfAskClosure is the officer saying the task is done (the report dialogue
// does the same through the store).
func (h *harness) vfAskClosure(code string, officer int64) {
	h.t.Helper()
	actor, _ := h.vfActor(officer)
	ch := dbmodels.StatusChange{TaskID: h.taskID(code), To: ledger.StatusPendingVerification}
	if _, err := h.store.ChangeStatus(h.ctx, ch, actor); err != nil {
		h.t.Fatal(err)
	}
}

// vfGroup registers a group the bot is in.
func (h *harness) vfGroup(chatID int64, title string, closures, digests bool, departments ...string) {
	h.t.Helper()
	h.fake.AddGroup(chatID, title)
	gs := dbmodels.GroupSettings{ChatID: chatID, Title: title, Closures: closures, Digests: digests}
	all, err := h.store.Departments(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, name := range departments {
		for _, d := range all {
			if d.Name == name {
				gs.DepartmentIDs = append(gs.DepartmentIDs, d.ID)
			}
		}
	}
	if err := h.store.SaveGroup(h.ctx, gs, dbmodels.CLIActor); err != nil {
		h.t.Fatal(err)
	}
}

// vfStatusEvents is the task's status trail.
func (h *harness) vfStatusEvents(code string) []dbmodels.AuditEvent {
	h.t.Helper()
	var evs []dbmodels.AuditEvent
	if err := h.store.DB().Where("task_id = ? AND action = ?", h.taskID(code), "task.status").Order("id").Find(&evs).Error; err != nil {
		h.t.Fatal(err)
	}
	return evs
}

func (h *harness) vfLastAnswer() string {
	h.t.Helper()
	answers := h.fake.CallbackAnswers()
	if len(answers) == 0 {
		h.t.Fatal("no callback answered")
	}
	return answers[len(answers)-1].Text
}

func TestVerifyApproveClosesTellsOfficerAndAnnounces(t *testing.T) {
	h := newHarness(t)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.vfGroup(groupID, "整改工作群", true, false)
	h.vfGroup(vfDigestGroup, "汇总群", false, true)
	h.vfGroup(vfPolitGroup, "政治部工作群", true, false, "政治部")
	officer, _ := h.vfActor(huangMin)
	if _, err := h.store.AddProgress(h.ctx, dbmodels.NewProgress{TaskID: h.taskID("6(2)"),
		Text: "剩余2份配套文件已于10月底\n印发<全部出台>", Source: dbmodels.SourceCommand}, officer); err != nil {
		t.Fatal(err)
	}
	h.vfAskClosure("6(2)", huangMin)
	before := len(h.vfStatusEvents("6(2)"))

	list := h.say(socialLead, "/verify")
	contains(t, list, "待销号审核（共 1 项）", "6(2)", "共建共治共享社会治理配套文件出台较慢", "基层社会治理科", "黄敏",
		"最新进展（2021年11月1日", "黄敏）：", "剩余2份配套文件已于10月底\n印发<全部出台>")
	if !hasButton(list, "同意销号") || !hasButton(list, "退回") {
		t.Fatalf("no approve/reject buttons: %+v", list.Markup)
	}

	done := h.approve(socialLead, list, "同意销号")
	if done.MessageID != list.MessageID {
		t.Fatalf("the decision was not shown on the pressed message")
	}
	contains(t, done, "6(2) 已销号（审核人：分管社会治理副书记）", "已通知责任人黄敏", "目前没有等待您审核的销号申请")
	if hasButton(done, "同意销号") || hasButton(done, "退回") {
		t.Error("the buttons of a decided task are still there")
	}
	if !strings.Contains(h.vfLastAnswer(), "已同意 6(2) 销号") {
		t.Errorf("press answered %q", h.vfLastAnswer())
	}
	if got := h.status("6(2)"); got != ledger.StatusClosed {
		t.Fatalf("status %s, want closed", got)
	}
	evs := h.vfStatusEvents("6(2)")
	leader, leaderID := h.vfActor(socialLead)
	if len(evs) != before+1 || evs[len(evs)-1].ActorID == nil || *evs[len(evs)-1].ActorID != leaderID ||
		!strings.Contains(evs[len(evs)-1].After, `"closed"`) || evs[len(evs)-1].Actor != leader.Label {
		t.Fatalf("audit after approval: %+v", evs)
	}
	told := h.fake.Last(huangMin)
	contains(t, told, "6(2)", "已销号", "分管社会治理副书记")
	announced := h.fake.Last(groupID)
	contains(t, announced, "销号通报", "基层社会治理科", "6(2)", "已销号", "黄敏")
	for _, g := range []int64{vfDigestGroup, vfPolitGroup} {
		if n := len(h.fake.Messages(g)); n != 0 {
			t.Errorf("group %d is not subscribed to this closure and got %d messages", g, n)
		}
	}

	// A second press (a stale keyboard, another device) changes nothing.
	officerMsgs, groupMsgs := len(h.fake.Messages(huangMin)), len(h.fake.Messages(groupID))
	h.do(h.fake.Press(socialLead, socialLead, list.MessageID, "va:"+itoa(h.taskID("6(2)"))+":p0"))
	if a := h.vfLastAnswer(); !strings.Contains(a, "已处理") || !strings.Contains(a, "已销号") {
		t.Errorf("second press answered %q", a)
	}
	if n := len(h.vfStatusEvents("6(2)")); n != before+1 {
		t.Errorf("%d status events after a second press, want %d", n, before+1)
	}
	if len(h.fake.Messages(huangMin)) != officerMsgs || len(h.fake.Messages(groupID)) != groupMsgs {
		t.Error("a second press told the officer or the group again")
	}
	h.noRejections()
}

func TestVerifyRejectFromCardTellsOfficerWhy(t *testing.T) {
	h := newHarness(t)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.press(huangMin, h.say(huangMin, "/lang"), "English")
	h.vfAskClosure("6(2)", huangMin)

	card := h.say(socialLead, "/task 6(2)")
	contains(t, card, "6(2)", "待销号")
	ask := h.press(socialLead, card, "退回")
	contains(t, ask, "退回", "6(2)", "理由", "黄敏", "/cancel")

	// A photo without a caption is no reason.
	h.do(h.fake.Photo(socialLead, "", ""))
	contains(t, h.fake.Last(socialLead), "退回理由不能为空")
	if got := h.status("6(2)"); got != ledger.StatusPendingVerification {
		t.Fatalf("status %s before a reason was given", got)
	}

	reason := "佐证材料不全，请补充两份文件的印发通知 & 文号"
	done := h.say(socialLead, reason)
	contains(t, done, "6(2) 已退回", "退回理由："+reason, "已通知责任人黄敏")
	if got := h.status("6(2)"); got != ledger.StatusInProgress {
		t.Fatalf("status %s, want in_progress", got)
	}
	evs := h.vfStatusEvents("6(2)")
	if last := evs[len(evs)-1]; !strings.Contains(last.After, "佐证材料不全") || !strings.Contains(last.Before, "pending_verification") {
		t.Errorf("audit of the rejection: %+v", last)
	}
	// The officer reads it in their language, and may reply to it.
	told := h.fake.Last(huangMin)
	contains(t, told, "6(2)", "was not approved", "Reason: "+reason, "Reply to this message")
	ids, err := h.store.TasksOfMessage(h.ctx, huangMin, int64(told.MessageID))
	if err != nil || len(ids) != 1 || ids[0] != h.taskID("6(2)") {
		t.Errorf("the officer's message is about tasks %v (%v)", ids, err)
	}
	// The card was redrawn: rejected, and no buttons to decide again.
	redrawn := h.message(socialLead, card.MessageID)
	contains(t, redrawn, "6(2) 已退回", "整改中")
	if hasButton(redrawn, "同意销号") || hasButton(redrawn, "退回") {
		t.Error("the card still offers a decision")
	}
	// The dialogue is over.
	contains(t, h.say(socialLead, "还有一点"), "请使用指令")
	h.noRejections()
}

func TestVerifyRejectCanBeCancelled(t *testing.T) {
	h := newHarness(t)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.vfAskClosure("6(2)", huangMin)
	before := len(h.vfStatusEvents("6(2)"))
	list := h.say(socialLead, "/verify")
	h.press(socialLead, list, "退回")
	contains(t, h.say(socialLead, "/cancel"), "已取消")
	contains(t, h.say(socialLead, "不退回了"), "请使用指令")
	if got := h.status("6(2)"); got != ledger.StatusPendingVerification || len(h.vfStatusEvents("6(2)")) != before {
		t.Errorf("a cancelled rejection changed the task: %s", got)
	}
	if n := len(h.fake.Messages(huangMin)); n != 1 { // the welcome only
		t.Errorf("the officer got %d messages", n)
	}
	h.noRejections()
}

// A rejection typed while another leader approves must not reopen the
// task the other one closed.
func TestVerifyRejectAfterAnotherApprovalChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.link("黄敏", huangMin, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.vfAskClosure("6(2)", huangMin)
	h.press(socialLead, h.say(socialLead, "/verify"), "退回")

	done := h.approve(adminID, h.say(adminID, "/verify"), "同意销号")
	contains(t, done, "6(2) 已销号（审核人：督办管理员）")
	events := len(h.vfStatusEvents("6(2)"))

	late := h.say(socialLead, "材料不全")
	contains(t, late, "已处理", "已销号")
	if got := h.status("6(2)"); got != ledger.StatusClosed || len(h.vfStatusEvents("6(2)")) != events {
		t.Errorf("a late rejection changed the closed task: %s", got)
	}
	h.noRejections()
}
