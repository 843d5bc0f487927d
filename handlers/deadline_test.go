package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

// askNewDeadline is an officer's /report on a late task: still in
// progress, a new deadline, a reason, confirmed. It returns the officer's
// last message.
func (h *harness) askNewDeadline(officer int64, code, date, reason string) tgfake.Sent {
	h.t.Helper()
	h.press(officer, h.say(officer, "/report"), code)
	status := h.say(officer, "还在推进")
	h.press(officer, status, "申报新时限")
	h.say(officer, date)
	done := h.press(officer, h.say(officer, reason), "确认报送")
	return done
}

func (h *harness) deadlineOf(code string) (deadline, original string) {
	h.t.Helper()
	var task dbmodels.Task
	if err := h.store.DB().Take(&task, h.taskID(code)).Error; err != nil {
		h.t.Fatal(err)
	}
	return task.Deadline.String(), task.OriginalDeadline.String()
}

// TestANewDeadlineIsARequestTheLeaderApproves: 周杰 asks to move 立行立改四,
// already late, to the end of December. Nothing moves until his leader
// approves: the leader is sent the request with its reason and buttons, the
// task stays overdue, the card shows the request; the approval (confirmed)
// moves the deadline, tells 周杰, and the card keeps both deadlines and who
// approved.
func TestANewDeadlineIsARequestTheLeaderApproves(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)

	done := h.askNewDeadline(zhouJie, "立行立改四", "2021-12-31", "出版社排期推迟")
	contains(t, done, "已申请将整改时限调整为2021年12月31日", "待分管社会治理副书记审核", "仍按原定时限2021年10月31日")
	if d, _ := h.deadlineOf("立行立改四"); d != "2021-10-31" {
		t.Fatalf("the request moved the deadline to %s before approval", d)
	}

	// The leader is told at once, with the reason and the buttons.
	note := findMessage(t, h, socialLead, "延期申请", "立行立改四")
	contains(t, note, "申请人：周杰", "原定时限2021年10月31日 → 申请调整为2021年12月31日", "理由：出版社排期推迟", "审核通过前仍按原定时限督办")
	if !hasButton(note, "同意延期") || !hasButton(note, "不同意延期") {
		t.Fatalf("the request has no decision buttons: %+v", note.Markup)
	}
	// Until approved the task is still late, and /verify lists the request.
	contains(t, h.say(socialLead, "/overdue"), "立行立改四")
	contains(t, h.say(socialLead, "/verify"), "【延期】", "立行立改四", "理由：出版社排期推迟")
	contains(t, h.say(socialLead, "/digest"), "待审核：销号申请 0 项，延期申请 1 项")
	card := h.say(zhouJie, "/task 立行立改四")
	contains(t, card, "整改时限", "2021年10月31日", "周杰于2021年11月1日申请将整改时限调整为2021年12月31日，待审核")
	if hasButton(card, "同意延期") {
		t.Error("the officer is offered to approve his own request")
	}

	// The officer's forged approval is refused.
	reqID := button(t, note, "同意延期")[len("da:"):]
	h.do(h.fake.Press(zhouJie, zhouJie, card.MessageID, "dy:"+reqID))
	if a := h.vfLastAnswer(); !strings.Contains(a, "权限") {
		t.Errorf("the officer's forged approval answered %q", a)
	}
	if d, _ := h.deadlineOf("立行立改四"); d != "2021-10-31" {
		t.Fatalf("a forged approval moved the deadline to %s", d)
	}

	decided := h.approve(socialLead, note, "同意延期")
	contains(t, decided, "已同意延期", "2021年12月31日", "原定2021年10月31日", "已通知申请人周杰")
	if hasButton(decided, "同意延期") {
		t.Error("the decided request keeps its buttons")
	}
	if d, o := h.deadlineOf("立行立改四"); d != "2021-12-31" || o != "2021-10-31" {
		t.Errorf("after approval: deadline %s, original %s", d, o)
	}
	contains(t, h.fake.Last(zhouJie), "经分管社会治理副书记审核同意", "整改时限调整为2021年12月31日（原定2021年10月31日）")
	contains(t, h.say(socialLead, "/task 立行立改四"), "2021年12月31日", "原定2021年10月31日",
		"时限调整：2021年10月31日 → 2021年12月31日（分管社会治理副书记同意；理由：出版社排期推迟）")
	if strings.Contains(h.say(socialLead, "/overdue").Text, "立行立改四") {
		t.Error("the approved task is still listed overdue")
	}
	// A second press on the old notification changes nothing.
	h.do(h.fake.Press(socialLead, socialLead, note.MessageID, "dy:"+reqID))
	if a := h.vfLastAnswer(); !strings.Contains(a, "已处理") {
		t.Errorf("a second approval answered %q", a)
	}
	h.noRejections()
}

// TestARefusedDeadlineKeepsTheOriginal: the leader refuses with a reason;
// the officer is told why and the deadline stands.
func TestARefusedDeadlineKeepsTheOriginal(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.askNewDeadline(zhouJie, "立行立改四", "2022-06-30", "等待审计结果")

	list := h.say(socialLead, "/verify")
	ask := h.press(socialLead, list, "不同意延期")
	contains(t, ask, "不同意 立行立改四 延期的理由")
	out := h.say(socialLead, "合同早已到期，应于11月底前完成")
	contains(t, out, "已不同意延期", "仍按原定时限2021年10月31日", "合同早已到期", "已通知申请人周杰")
	if d, _ := h.deadlineOf("立行立改四"); d != "2021-10-31" {
		t.Errorf("a refused request moved the deadline to %s", d)
	}
	contains(t, h.fake.Last(zhouJie), "未予同意", "仍按原定时限2021年10月31日", "理由：合同早已到期，应于11月底前完成")
	contains(t, h.message(socialLead, list.MessageID), "目前没有等待您审核")
	h.noRejections()
}

// TestALeaderWhoIsTheOfficerDoesNotApproveHerOwnDeadline: 王芳 leads and
// carries task 99; her request goes to the office's admin, not to her.
func TestALeaderWhoIsTheOfficerDoesNotApproveHerOwnDeadline(t *testing.T) {
	h := newHarness(t)
	row := ledger.Row{Seq: 1, Category: "队伍建设", ProblemCode: "99", ProblemTitle: "自己审核自己的整改",
		Measures: []string{"一是建立制度。"}, Leader: "王芳", Department: "机关党委", Officer: "王芳",
		Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 10, 31)}, Status: ledger.StatusInProgress}
	if _, err := h.store.ImportPlan(h.ctx, dbmodels.PlanSpec{Title: "自审方案", Year: 2021}, []ledger.Row{row}, dbmodels.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	const wangFang = 4001
	h.link("王芳", wangFang, ledger.RoleLeader)
	done := h.askNewDeadline(wangFang, "99", "2021-12-31", "制度需上会审议")
	contains(t, done, "待督办管理员审核")
	for _, m := range h.fake.Messages(wangFang) {
		if strings.Contains(m.Text, "延期申请") {
			t.Fatalf("she was sent her own request to decide:\n%s", m.Text)
		}
	}
	if strings.Contains(h.say(wangFang, "/verify").Text, "99") {
		t.Error("her own request is on her /verify")
	}
	note := findMessage(t, h, adminID, "延期申请", "99")
	h.approve(adminID, note, "同意延期")
	if d, _ := h.deadlineOf("99"); d != "2021-12-31" {
		t.Errorf("the office's approval left the deadline %s", d)
	}
	h.noRejections()
}

// TestTheLedgerShowsBothDeadlines: after an approved change the exported
// 台账 keeps the current deadline in 整改时限 and says in 备注 what the
// original was and who approved the new one.
func TestTheLedgerShowsBothDeadlines(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.askNewDeadline(zhouJie, "立行立改四", "2021-12-31", "出版社排期推迟")
	h.approve(socialLead, findMessage(t, h, socialLead, "延期申请", "立行立改四"), "同意延期")
	rows, err := h.store.LedgerRows(h.ctx, h.planID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.ProblemCode != "立行立改四" {
			continue
		}
		cells := render.ExportRowCells(render.ExportRow{Row: r.Row, MeasuresDone: r.MeasuresDone, DeadlineMoves: r.DeadlineMoves})
		if cells[9] != "2021-12-31" || !strings.Contains(cells[12], "原定时限 2021年10月31日，经分管社会治理副书记同意调整为 2021年12月31日") {
			t.Errorf("整改时限 %q, 备注 %q", cells[9], cells[12])
		}
		return
	}
	t.Fatal("立行立改四 is not in the ledger")
}
