package handlers_test

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

func TestReplyToTaskCardIsProgressAfterOneConfirm(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	card := h.say(zhouJie, "/task 立行立改四")

	h.do(h.fake.Reply(zhouJie, zhouJie, card.MessageID, "第8份合同已执行完毕。"))
	ask := h.fake.Last(zhouJie)
	contains(t, ask, "记为", "立行立改四", "第8份合同已执行完毕")
	if !hasButton(ask, "✅ 记录") || !hasButton(ask, "不记录") {
		t.Fatalf("confirm buttons: %+v", ask.Markup)
	}
	if n := len(reportEntries(h, "立行立改四")); n != 0 {
		t.Fatalf("%d entries before the confirm", n)
	}
	sent := len(h.fake.Messages(zhouJie))
	done := h.press(zhouJie, ask, "✅ 记录")
	contains(t, done, "已记为", "立行立改四", "第8份合同已执行完毕")
	if hasButton(done, "记录") {
		t.Error("the confirm buttons stay after recording")
	}
	if n := len(h.fake.Messages(zhouJie)); n != sent {
		t.Errorf("%d new messages after the confirm; the answer edits the question and the card is not resent", n-sent)
	}
	entries := reportEntries(h, "立行立改四")
	if len(entries) != 1 || entries[0].Source != dbmodels.SourceReply || entries[0].Text != "第8份合同已执行完毕。" || entries[0].AuthorID == nil {
		t.Errorf("entries %+v", entries)
	}
	if s := h.status("立行立改四"); s != ledger.StatusInProgress {
		t.Errorf("status %s", s)
	}
	h.noRejections()
}

func TestReplyWithDocumentAndDecline(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	card := h.say(zhouJie, "/task 立行立改四")

	// Declined: nothing stored.
	h.do(h.fake.Reply(zhouJie, zhouJie, card.MessageID, "随手一问"))
	contains(t, h.press(zhouJie, h.fake.Last(zhouJie), "不记录"), "未记录")
	if n := len(reportEntries(h, "立行立改四")); n != 0 {
		t.Fatalf("%d entries after 不记录", n)
	}

	h.do(h.fake.ReplyDocument(zhouJie, zhouJie, card.MessageID, "合同验收报告.pdf", "application/pdf", 123456, "验收报告"))
	ask := h.fake.Last(zhouJie)
	contains(t, ask, "立行立改四", "验收报告", "附件 1 个")
	contains(t, h.press(zhouJie, ask, "✅ 记录"), "已记为", "附件 1 个")
	entries := reportEntries(h, "立行立改四")
	if len(entries) != 1 || entries[0].Text != "验收报告" || entries[0].Source != dbmodels.SourceReply {
		t.Fatalf("entries %+v", entries)
	}
	atts := reportAttachments(h, entries[0].ID)
	if len(atts) != 1 || atts[0].Kind != "document" || atts[0].FileName != "合同验收报告.pdf" ||
		atts[0].MIMEType != "application/pdf" || atts[0].Size != 123456 || atts[0].FileID == "" || atts[0].FileUniqueID == "" {
		t.Errorf("attachments %+v", atts)
	}
	h.noRejections()
}

func TestReplyToAMessageAboutSeveralTasksAsksWhichOne(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	// The office reopened 6(3) after a follow-up review, so 周杰 has two open
	// tasks; a reminder lists them with another department's 8(2).
	if _, err := h.store.ChangeStatus(h.ctx, dbmodels.StatusChange{TaskID: h.taskID("6(3)"), To: ledger.StatusInProgress,
		Reason: "回头看发现问题反弹"}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	list := h.say(zhouJie, "/tasks")
	err := h.store.RecordDelivery(h.ctx, dbmodels.Delivery{IdempotencyKey: "test:reminder:multi", ChatID: zhouJie,
		MessageID: int64(list.MessageID), Kind: "reminder"}, []uint{h.taskID("立行立改四"), h.taskID("8(2)"), h.taskID("6(3)")})
	if err != nil {
		t.Fatal(err)
	}

	h.do(h.fake.Reply(zhouJie, zhouJie, list.MessageID, "平台数据已重新核对。"))
	pick := h.fake.Last(zhouJie)
	contains(t, pick, "涉及多项任务")
	if !hasButton(pick, "立行立改四") || !hasButton(pick, "6(3)") || hasButton(pick, "8(2)") {
		t.Fatalf("task buttons %+v, want 立行立改四 and 6(3) only", pick.Markup)
	}
	// A forged press for the other department's task is refused.
	h.do(h.fake.Press(zhouJie, zhouJie, pick.MessageID, "ry:"+itoa(h.taskID("8(2)"))))
	if a := reportAnswer(h); !strings.Contains(a, "失效") {
		t.Errorf("forged task press answered %q", a)
	}
	ask := h.press(zhouJie, pick, "6(3)")
	contains(t, ask, "记为", "6(3)", "平台数据已重新核对")
	contains(t, h.press(zhouJie, ask, "✅ 记录"), "已记为", "6(3)")

	if e := reportEntries(h, "6(3)"); len(e) != 1 || e[0].Source != dbmodels.SourceReply {
		t.Errorf("6(3) entries %+v", e)
	}
	for _, code := range []string{"立行立改四", "8(2)"} {
		if n := len(reportEntries(h, code)); n != 0 {
			t.Errorf("%d entries on %s", n, code)
		}
	}
	h.noRejections()
}

func TestReplyByPersonNotAllowedIsRefused(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	card := h.say(socialLead, "/task 立行立改四") // a leader may read it, not report on it
	contains(t, card, "立行立改四")
	h.do(h.fake.Reply(socialLead, socialLead, card.MessageID, "请抓紧办理。"))
	contains(t, h.fake.Last(socialLead), "不能为这条消息涉及的任务报送进展")
	if hasButton(h.fake.Last(socialLead), "记录") {
		t.Error("a leader was offered to record progress")
	}
	if n := len(reportEntries(h, "立行立改四")); n != 0 {
		t.Errorf("%d entries from a leader's reply", n)
	}

	// A reply to a message about no task says how to report.
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	help := h.say(zhouJie, "/help")
	h.do(h.fake.Reply(zhouJie, zhouJie, help.MessageID, "合同已执行完毕"))
	contains(t, h.fake.Last(zhouJie), "不涉及具体任务", "/report")
	h.noRejections()
}

func TestReplyPermissionIsCheckedAgainAtConfirm(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	card := h.say(zhouJie, "/task 立行立改四")
	h.do(h.fake.Reply(zhouJie, zhouJie, card.MessageID, "第8份合同已执行完毕。"))
	ask := h.fake.Last(zhouJie)

	// Meanwhile the office hands the task to 政治部 (刘洋).
	var politics dbmodels.Task
	if err := h.store.DB().Take(&politics, h.taskID("8(2)")).Error; err != nil {
		t.Fatal(err)
	}
	err := h.store.DB().Model(&dbmodels.Task{}).Where("id = ?", h.taskID("立行立改四")).
		Updates(map[string]any{"department_id": politics.DepartmentID, "officer_id": politics.OfficerID}).Error
	if err != nil {
		t.Fatal(err)
	}
	h.do(h.fake.Press(zhouJie, zhouJie, ask.MessageID, button(t, ask, "✅ 记录")))
	if a := reportAnswer(h); !strings.Contains(a, "没有权限") {
		t.Errorf("confirm after losing the task answered %q", a)
	}
	if n := len(reportEntries(h, "立行立改四")); n != 0 {
		t.Errorf("%d entries recorded without permission", n)
	}
	h.noRejections()
}

func TestReplyDuringReportFeedsTheReport(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	ask := h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	// Answering the bot's own question with Telegram's reply is input for
	// the report, not a reply-progress of its own.
	h.do(h.fake.ReplyPhoto(zhouJie, zhouJie, ask.MessageID, "验收照片"))
	contains(t, h.fake.Last(zhouJie), "已收到附件")
	status := h.press(zhouJie, h.fake.Last(zhouJie), "完成")
	contains(t, status, "请选择目前的整改状态")
	h.noRejections()
}
