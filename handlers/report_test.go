package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// beforeDeadline is 2021-10-25, when 立行立改四 (due 10-31) is not late yet.
var beforeDeadline = time.Date(2021, 10, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestReportWithPhotoAndTextKeepsTheTaskInProgress(t *testing.T) {
	h := newHarness(t)
	h.clock.Set(beforeDeadline)
	h.link("周杰", zhouJie, ledger.RoleOfficer)

	pick := h.say(zhouJie, "/report")
	contains(t, pick, "请选择要报送进展的任务")
	if !hasButton(pick, "立行立改四") || hasButton(pick, "8(2)") || hasButton(pick, "6(3)") {
		t.Errorf("picker offers %+v, want only 周杰's open task 立行立改四", pick.Markup)
	}
	ask := h.press(zhouJie, pick, "立行立改四")
	contains(t, ask, "正在报送", "立行立改四", "照片")

	photo := h.fake.Photo(zhouJie, "", "")
	h.do(photo)
	got := h.fake.Last(zhouJie)
	contains(t, got, "已收到附件")
	if !hasButton(got, "完成") {
		t.Errorf("no 完成 button after a photo: %+v", got.Markup)
	}
	status := h.say(zhouJie, "第8份合同已执行完毕，正在办理出版。")
	contains(t, status, "立行立改四", "整改中", "请选择目前的整改状态")
	for _, b := range []string{"仍在整改", "已完成，申请销号", "申请调整整改时限", "取消"} {
		if !hasButton(status, b) {
			t.Errorf("status step lacks %q: %+v", b, status.Markup)
		}
	}
	summary := h.press(zhouJie, status, "仍在整改")
	contains(t, summary, "请确认报送内容", "第8份合同已执行完毕", "附件：1 个", "整改状态：仍在整改")
	if len(reportEntries(h, "立行立改四")) != 0 {
		t.Fatal("progress recorded before the confirm")
	}
	done := h.press(zhouJie, summary, "确认报送")
	contains(t, done, "已记录", "立行立改四")

	entries := reportEntries(h, "立行立改四")
	if len(entries) != 1 {
		t.Fatalf("%d progress entries, want 1", len(entries))
	}
	e := entries[0]
	if e.Source != dbmodels.SourceCommand || e.Text != "第8份合同已执行完毕，正在办理出版。" || e.AuthorID == nil {
		t.Errorf("entry %+v", e)
	}
	atts := reportAttachments(h, e.ID)
	sizes := photo.Message.Photo
	largest := sizes[len(sizes)-1]
	if len(atts) != 1 || atts[0].Kind != "photo" || atts[0].FileID != largest.FileID ||
		atts[0].FileUniqueID != largest.FileUniqueID || atts[0].Size != int64(largest.FileSize) || atts[0].MIMEType == "" {
		t.Errorf("attachments %+v, want the largest size of the photo", atts)
	}
	if s := h.status("立行立改四"); s != ledger.StatusInProgress {
		t.Errorf("status %s, want in_progress", s)
	}
	// The confirm is gone: pressing it again records nothing more.
	h.do(h.fake.Press(zhouJie, zhouJie, summary.MessageID, button(t, summary, "确认报送")))
	if n := len(reportEntries(h, "立行立改四")); n != 1 {
		t.Errorf("a second press made %d entries", n)
	}
	h.noRejections()
}

func TestReportDoneRequestsClosure(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	ask := h.press(zhouJie, h.say(zhouJie, "/task 立行立改四"), "报送进展") // from the card
	contains(t, ask, "正在报送", "立行立改四")
	status := h.say(zhouJie, "8份合同均已执行完毕，出版工作已完成。")
	if hasButton(status, "申请调整整改时限") {
		t.Error("a late task offers a separate deadline button; its 仍在整改 already asks for one")
	}
	// No photo or file, here or before: the closure must say why none is needed.
	why := h.press(zhouJie, status, "申请销号")
	contains(t, why, "尚无佐证材料", "无需佐证材料的理由")
	summary := h.say(zhouJie, "合同原件已归档，出版物已公开发行")
	contains(t, summary, "待销号", "无需佐证材料的理由：合同原件已归档，出版物已公开发行")
	done := h.press(zhouJie, summary, "确认报送")
	contains(t, done, "已记录", "申请销号", "待销号", "分管社会治理副书记", "核实")
	if e := reportEntries(h, "立行立改四"); len(e) != 1 || !strings.Contains(e[0].Text, "无需佐证材料的理由：合同原件已归档") {
		t.Errorf("the reason for no evidence is not in the ledger: %+v", e)
	}

	if s := h.status("立行立改四"); s != ledger.StatusPendingVerification {
		t.Errorf("status %s, want pending_verification", s)
	}
	var ev dbmodels.AuditEvent
	err := h.store.DB().Where("task_id = ? AND action = ?", h.taskID("立行立改四"), "task.status").Order("id DESC").Take(&ev).Error
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ev.After, "pending_verification") || !strings.Contains(ev.Before, "in_progress") || ev.ActorID == nil {
		t.Errorf("audit event %+v", ev)
	}
	if len(reportEntries(h, "立行立改四")) != 1 {
		t.Error("the closure request has no progress entry")
	}
	h.noRejections()
}

func TestLateReportAsksForANewDeadlineAndReason(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	status := h.say(zhouJie, "还有1份合同在收尾。")
	contains(t, status, "已逾期 1 个工作日")
	prompt := h.press(zhouJie, status, "申报新时限")
	contains(t, prompt, "新的整改时限", "2021年10月31日")
	// The example is a date the officer could ask for: the end of next
	// month from today (2021-11-01), not a fixed date in the past.
	contains(t, prompt, "例如 2021-12-31 或 2021年12月底前")

	for text, want := range map[string]string{
		"下个月吧":       "无法识别",
		"2021-02-30": "无法识别",
		"2021-10-15": "须晚于今天（2021年11月1日）",
		"2021-11-01": "须晚于今天",
		"长期坚持":       "须是具体日期",
	} {
		contains(t, h.say(zhouJie, text), want)
	}
	reason := h.say(zhouJie, "12月底前") // no year: the plan's (2021)
	contains(t, reason, "2021年12月31日", "理由")
	summary := h.say(zhouJie, "出版社排期推迟")
	contains(t, summary, "新的整改时限：2021年12月31日（原定2021年10月31日）", "调整理由：出版社排期推迟", "仍在整改")
	done := h.press(zhouJie, summary, "确认报送")
	// A new deadline is a request: the leader (or the office) decides it.
	contains(t, done, "已记录", "已申请将整改时限调整为2021年12月31日", "审核通过前仍按原定时限2021年10月31日")

	var changes []dbmodels.DeadlineChange
	if err := h.store.DB().Where("task_id = ?", h.taskID("立行立改四")).Find(&changes).Error; err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].NewDeadline.Date != ledger.MustDate(2021, 12, 31) ||
		changes[0].OldDeadline.Date != ledger.MustDate(2021, 10, 31) || changes[0].Reason != "出版社排期推迟" || changes[0].ChangedByID == nil ||
		changes[0].State != string(dbmodels.DeadlinePending) {
		t.Errorf("deadline changes %+v", changes)
	}
	var task dbmodels.Task
	if err := h.store.DB().Take(&task, h.taskID("立行立改四")).Error; err != nil {
		t.Fatal(err)
	}
	if task.Deadline.Date != ledger.MustDate(2021, 10, 31) || task.OriginalDeadline.Date != ledger.MustDate(2021, 10, 31) ||
		ledger.Status(task.Status) != ledger.StatusInProgress {
		t.Errorf("task deadline %s (original %s), status %s", task.Deadline.Date, task.OriginalDeadline.Date, task.Status)
	}
	contains(t, h.say(zhouJie, "/task 立行立改四"), "2021年10月31日", "申请将整改时限调整为2021年12月31日，待审核")
	h.noRejections()
}

func TestAlbumIsOneReport(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	h.do(h.fake.Photo(zhouJie, "合同执行完毕的验收材料", "album-1"))
	ack := h.fake.Last(zhouJie)
	contains(t, ack, "已收到附件")
	before := len(h.fake.Messages(zhouJie))
	h.do(h.fake.Photo(zhouJie, "", "album-1"))
	if n := len(h.fake.Messages(zhouJie)); n != before {
		t.Errorf("the second photo of the album got its own answer (%d messages, want %d)", n, before)
	}
	status := h.press(zhouJie, ack, "完成")
	contains(t, status, "请选择目前的整改状态")
	done := h.press(zhouJie, h.press(zhouJie, status, "已完成，申请销号"), "确认报送")
	contains(t, done, "已记录")

	entries := reportEntries(h, "立行立改四")
	if len(entries) != 1 || entries[0].Text != "合同执行完毕的验收材料" {
		t.Fatalf("entries %+v, want one with the caption", entries)
	}
	if atts := reportAttachments(h, entries[0].ID); len(atts) != 2 || atts[0].FileID == atts[1].FileID {
		t.Errorf("attachments %+v, want the 2 photos", atts)
	}
	h.noRejections()
}

func TestOfficerCannotReportOnAnotherDepartmentsTask(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	other := h.taskID("8(2)")

	contains(t, h.say(zhouJie, "/report 8(2)"), "没有找到您可报送进展的任务 8(2)")
	pick := h.say(zhouJie, "/report")
	h.do(h.fake.Press(zhouJie, zhouJie, pick.MessageID, "r:"+itoa(other)))
	if a := reportAnswer(h); !strings.Contains(a, "没有权限") {
		t.Errorf("forged press answered %q", a)
	}
	contains(t, h.say(zhouJie, "我来报送8(2)"), "请使用指令操作") // no dialogue was started
	// A forged step press without a dialogue changes nothing either.
	h.do(h.fake.Press(zhouJie, zhouJie, pick.MessageID, "rs:0:confirm"))
	if a := reportAnswer(h); !strings.Contains(a, "已结束") {
		t.Errorf("step press without a dialogue answered %q", a)
	}
	if n := len(reportEntries(h, "8(2)")); n != 0 {
		t.Errorf("%d entries on 8(2)", n)
	}
	contains(t, h.say(socialLead, "/report"), "只有责任人")
	h.noRejections()
}

func TestReportDialogueExpires(t *testing.T) {
	h, expire := expiringHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	ask := h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	expire(zhouJie, zhouJie)
	contains(t, h.say(zhouJie, "合同已执行完毕"), "已超时")
	h.do(h.fake.Press(zhouJie, zhouJie, ask.MessageID, "rs:0:finish"))
	if a := reportAnswer(h); !strings.Contains(a, "已超时") {
		t.Errorf("press after expiry answered %q", a)
	}
	if n := len(reportEntries(h, "立行立改四")); n != 0 {
		t.Errorf("%d entries after an expired dialogue", n)
	}
	h.noRejections()
}

func TestReportInEnglishAndCancelledAtTheSummary(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer, "en")
	ask := h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	contains(t, ask, "Reporting on", "立行立改四")
	status := h.say(zhouJie, "All 8 contracts are finished.")
	contains(t, status, "Where does the task stand now?", "1 working day overdue")
	why := h.press(zhouJie, status, "Done: ask to close it")
	contains(t, why, "no evidence", "reason")
	summary := h.say(zhouJie, "The originals are filed.")
	contains(t, summary, "Please check your report", "All 8 contracts are finished.", "pending verification", "Why no evidence is needed: The originals are filed.")

	contains(t, h.say(zhouJie, "/cancel"), "Cancelled")
	h.do(h.fake.Press(zhouJie, zhouJie, summary.MessageID, button(t, summary, "Confirm")))
	if a := reportAnswer(h); !strings.Contains(a, "finished") {
		t.Errorf("confirm after /cancel answered %q", a)
	}
	if n := len(reportEntries(h, "立行立改四")); n != 0 || h.status("立行立改四") != ledger.StatusInProgress {
		t.Errorf("a cancelled report left %d entries, status %s", n, h.status("立行立改四"))
	}
	h.noRejections()
}
