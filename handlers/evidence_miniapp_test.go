package handlers_test

import (
	"errors"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// TestTheMiniAppSendsADocumentToThePersonsChat: 周杰 reports 立行立改四
// with a PDF; the leader presses 发到与助手的对话 on the dashboard and the
// PDF arrives in her chat by its file_id, captioned with the task — a
// delivery about the task, as the 佐证材料 button's are. Another
// department's officer and a stranger are refused and sent nothing.
func TestTheMiniAppSendsADocumentToThePersonsChat(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("刘洋", liuYang, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	h.do(h.fake.Document(zhouJie, "验收报告.pdf", "application/pdf", 2048, "验收报告"))
	h.press(zhouJie, h.press(zhouJie, h.press(zhouJie, h.fake.Last(zhouJie), "完成"), "申请销号"), "确认报送")
	files, _, err := h.store.EvidenceOf(h.ctx, h.taskID("立行立改四"), 10)
	if err != nil || len(files) != 1 || files[0].Kind != "document" {
		t.Fatalf("the report's evidence: %+v (%v)", files, err)
	}
	att := files[0]

	for who, tg := range map[string]int64{"another department's officer": liuYang, "a stranger": strangerID} {
		before := len(h.fake.Messages(tg))
		if err := h.handler.SendEvidence(h.ctx, tg, att.ID); !errors.Is(err, ledger.ErrDenied) {
			t.Errorf("%s: %v, want ErrDenied", who, err)
		}
		if n := len(h.fake.Messages(tg)) - before; n != 0 {
			t.Errorf("%s was sent %d messages", who, n)
		}
	}
	if err := h.handler.SendEvidence(h.ctx, socialLead, 99999); !errors.Is(err, dbmodels.ErrNotFound) {
		t.Errorf("an attachment that is not there: %v, want ErrNotFound", err)
	}

	if err := h.handler.SendEvidence(h.ctx, socialLead, att.ID); err != nil {
		t.Fatal(err)
	}
	got := h.fake.Last(socialLead)
	if got.Method != "sendDocument" || got.Document == nil || got.Document.FileID != att.FileID || got.Document.Name != "验收报告.pdf" {
		t.Fatalf("the leader got %s %+v, want the PDF by its file_id", got.Method, got.Document)
	}
	contains(t, got, "立行立改四", "佐证材料", "从整改看板发送")
	var d dbmodels.Delivery
	if err := h.store.DB().Where("chat_id = ? AND message_id = ?", socialLead, got.MessageID).Take(&d).Error; err != nil ||
		d.Kind != string(outbound.KindEvidence) || d.PersonID == nil {
		t.Fatalf("the document's delivery record: %+v (%v)", d, err)
	}
	var about []dbmodels.DeliveryTask
	if err := h.store.DB().Where("delivery_id = ?", d.ID).Find(&about).Error; err != nil || len(about) != 1 || about[0].TaskID != h.taskID("立行立改四") {
		t.Errorf("the delivery is about %+v (%v), want 立行立改四", about, err)
	}
	h.noRejections()
}
