package handlers_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// TestTheStoryOfOneClosure is the "done means", end to end through
// the real client and the strict fake: an officer links, sees their tasks
// red first, reports with a photo by replying to a task card and asks for
// closure; the leader approves in /verify; /digest shows it at once; the
// registered group is told; a stranger learns nothing.
func TestTheStoryOfOneClosure(t *testing.T) {
	h := newHarness(t)
	h.fake.AddGroup(groupID, "整改工作群", socialLead)
	if err := h.store.SaveGroup(h.ctx, dbmodels.GroupSettings{ChatID: groupID, Title: "整改工作群", Digests: true, Closures: true}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}

	// The officer opens an invite link and is greeted by name.
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	contains(t, h.fake.Last(zhouJie), "周杰，您好")

	// Tasks, red first.
	list := h.say(zhouJie, "/tasks")
	if first := strings.Split(list.Text, "\n")[1]; !strings.Contains(first, "🔴") || !strings.Contains(first, "立行立改四") {
		t.Errorf("first task %q", first)
	}
	card := h.press(zhouJie, list, "立行立改四")

	// A photo in reply to the card, then one confirm.
	h.do(h.fake.ReplyPhoto(zhouJie, zhouJie, card.MessageID, "最后一份合同已执行完毕，出版工作已完成"))
	h.press(zhouJie, h.fake.Last(zhouJie), "✅ 记录")
	entries := reportEntries(h, "立行立改四")
	if len(entries) != 1 || len(reportAttachments(h, entries[0].ID)) != 1 {
		t.Fatalf("the photo report was not stored: %+v", entries)
	}

	// Closure asked through /report.
	pick := h.say(zhouJie, "/report 立行立改四")
	if hasButton(pick, "立行立改四") { // a picker, when the code did not select the task directly
		pick = h.press(zhouJie, pick, "立行立改四")
	}
	contains(t, pick, "请发送整改进展")
	h.say(zhouJie, "全部整改措施已落实")
	summary := h.press(zhouJie, h.fake.Last(zhouJie), "申请销号")
	h.press(zhouJie, summary, "确认")
	if s := h.status("立行立改四"); s != ledger.StatusPendingVerification {
		t.Fatalf("after asking for closure the task is %s", s)
	}

	// The leader approves in /verify.
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	pending := h.say(socialLead, "/verify")
	contains(t, pending, "立行立改四", "周杰")
	h.approve(socialLead, pending, "同意销号")
	if s := h.status("立行立改四"); s != ledger.StatusClosed {
		t.Fatalf("after approval the task is %s", s)
	}
	contains(t, h.fake.Last(zhouJie), "立行立改四", "已销号")

	// The office's digest shows it at once: 18 closed (and 5 long-term
	// done at their stage), nothing overdue.
	digest := h.say(adminID, "/digest")
	contains(t, digest, "已销号 18", "已完成 23 项", "整改中 2", "逾期 0")

	// The group was told.
	group := h.fake.Messages(groupID)
	if len(group) != 1 || !strings.Contains(group[0].Text, "立行立改四") {
		t.Errorf("the group's messages: %+v", group)
	}

	// A stranger learns nothing.
	for _, text := range []string{"/digest", "/task 立行立改四", "立行立改四"} {
		if got := h.say(strangerID, text).Text; strings.Contains(got, "立行立改四") || strings.Contains(got, "已销号") {
			t.Errorf("the stranger was told %q", got)
		}
	}
	h.noRejections()
}

// TestLeaderExportsTheLedgerAsXLSX: a leader's 台账 is the departments they
// lead (SPEC §1): 分管社会治理副书记 leads two, five tasks.
func TestLeaderExportsTheLedgerAsXLSX(t *testing.T) {
	h := newHarness(t)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.say(socialLead, "/export")
	doc := h.fake.Last(socialLead)
	if doc.Document == nil || !strings.HasSuffix(doc.Document.Name, ".xlsx") {
		t.Fatalf("no .xlsx document: %+v", doc)
	}
	if acts := h.fake.Actions(socialLead); len(acts) == 0 || acts[0] != "upload_document" {
		t.Errorf("chat actions %v, want upload_document while the file is built", acts)
	}
	contains(t, doc, "共 5 项")
	f, err := excelize.OpenReader(bytes.NewReader(doc.Document.Data))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	// A title and the 截至 line stand above the header.
	if len(rows) != 8 || rows[2][0] != "序号" {
		t.Fatalf("the sheet has %d rows (header %v)", len(rows), rows[2])
	}
	if rows[0][0] != "市委第六巡察组反馈意见整改台账" || rows[1][0] != "截至2021年11月1日" {
		t.Errorf("title %q, date line %q", rows[0][0], rows[1][0])
	}
	for _, row := range rows[3:] {
		if dept := row[7]; dept != "基层社会治理科" && dept != "信息化和网格管理指导科" {
			t.Errorf("the leader's 台账 has a task of %s: %v", dept, row[:4])
		}
	}
	h.noRejections()
}

func TestTaskListPagesByEditingTheMessage(t *testing.T) {
	h := newHarness(t)
	// The configured admin sees every task: 25, 8 to a page.
	list := h.say(adminID, "/tasks")
	contains(t, list, "第 1/4 页")
	before := len(h.fake.Messages(adminID))
	next := h.press(adminID, list, "下一页")
	if next.MessageID != list.MessageID || len(h.fake.Messages(adminID)) != before {
		t.Errorf("paging sent a new message instead of editing")
	}
	contains(t, next, "第 2/4 页")
	h.noRejections()
}
