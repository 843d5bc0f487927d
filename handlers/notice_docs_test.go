package handlers_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// lastDocument is the bot's latest document in chat.
func lastDocument(t *testing.T, h *harness, chat int64) tgfake.Sent {
	t.Helper()
	msgs := h.fake.Messages(chat)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Document != nil {
			return msgs[i]
		}
	}
	t.Fatalf("no document in chat %d", chat)
	return tgfake.Sent{}
}

// documentXML is word/document.xml of a .docx the bot sent.
func documentXML(t *testing.T, doc tgfake.Sent) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(doc.Document.Data), int64(len(doc.Document.Data)))
	if err != nil {
		t.Fatalf("the .docx does not open: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			return string(b)
		}
	}
	t.Fatal("the .docx has no word/document.xml")
	return ""
}

func TestNoticeOffersTheRectificationReportAndPlanAsButtons(t *testing.T) {
	h := newHarness(t)
	h.say(adminID, "/notice")
	offer := h.fake.Last(adminID)
	if offer.Document != nil || !strings.Contains(offer.Text, "整改报告") || !hasButton(offer, "整改报告") || !hasButton(offer, "整改方案") {
		t.Fatalf("no buttons under the 通报: %+v", offer)
	}
	if prev := h.fake.Messages(adminID); prev[len(prev)-2].Document == nil {
		t.Error("the buttons do not follow the 通报")
	}
	for _, label := range []string{"整改报告", "整改方案"} {
		if data := button(t, offer, label); len(data) > 64 || !strings.HasPrefix(data, "nd:") {
			t.Errorf("%s button data %q", label, data)
		}
	}

	// 整改报告: no 第一责任人 set yet, and the caption says how to set it.
	h.press(adminID, offer, "整改报告")
	doc := lastDocument(t, h, adminID)
	if !strings.HasPrefix(doc.Document.Name, "整改报告-") || !strings.HasSuffix(doc.Document.Name, "-2021-11-01.docx") {
		t.Errorf("file name %q", doc.Document.Name)
	}
	contains(t, doc, "整改情况报告", "2021年11月1日", "第一责任人尚未设置", "--principal")
	xml := documentXML(t, doc)
	for _, want := range []string{"关于市委第六巡察组反馈意见整改情况的报告", "二、反馈问题整改落实情况", "三、问题线索处置和追责问责情况",
		"截至2021年11月1日，暂无移交问题线索和追责问责情况。", "四、下一步打算", "特此报告。", "第一责任人：　　　　（签字）"} {
		if !strings.Contains(xml, want) {
			t.Errorf("the 整改报告 lacks %q", want)
		}
	}
	if acts := h.fake.Actions(adminID); acts[len(acts)-1] != "upload_document" {
		t.Errorf("chat actions %v", acts)
	}

	// With the 第一责任人 set, the report carries the name.
	name := "林志强"
	if _, err := h.store.SetPlanDetails(h.ctx, "市委第六巡察组反馈意见整改", dbmodels.PlanDetails{Principal: &name}, dbmodels.CLIActor); err != nil {
		t.Fatal(err)
	}
	h.press(adminID, offer, "整改报告")
	doc = lastDocument(t, h, adminID)
	if strings.Contains(doc.Caption, "第一责任人尚未设置") || !strings.Contains(documentXML(t, doc), "第一责任人：林志强（签字）") {
		t.Errorf("the signed report: caption %q", doc.Caption)
	}

	// 整改方案: the three lists as tables.
	h.press(adminID, offer, "整改方案")
	doc = lastDocument(t, h, adminID)
	if !strings.HasPrefix(doc.Document.Name, "整改方案-") {
		t.Errorf("file name %q", doc.Document.Name)
	}
	contains(t, doc, "整改方案", "各 25 项")
	xml = documentXML(t, doc)
	if strings.Count(xml, "<w:tbl>") != 3 || strings.Count(xml, "<w:tblHeader/>") != 3 {
		t.Errorf("the 整改方案 has %d tables, %d header rows", strings.Count(xml, "<w:tbl>"), strings.Count(xml, "<w:tblHeader/>"))
	}
	for _, want := range []string{"关于市委第六巡察组反馈意见的整改方案", "（一）问题清单", "（二）任务清单", "（三）责任清单"} {
		if !strings.Contains(xml, want) {
			t.Errorf("the 整改方案 lacks %q", want)
		}
	}
	h.noRejections()
}

func TestNoticeButtonsRefuseAForgedPressByANonAdmin(t *testing.T) {
	h := newHarness(t)
	h.say(adminID, "/notice")
	offer := h.fake.Last(adminID)
	report, plan := button(t, offer, "整改报告"), button(t, offer, "整改方案")

	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	for _, id := range []int64{zhouJie, socialLead} {
		help := h.say(id, "/help")
		before := len(h.fake.Messages(id))
		for _, data := range []string{report, plan} {
			h.do(h.fake.Press(id, id, help.MessageID, data))
			if got := lastAnswer(t, h); got != "只有督办管理员可以生成整改报告和整改方案。" {
				t.Errorf("user %d pressing %s: answered %q", id, data, got)
			}
		}
		if msgs := h.fake.Messages(id); len(msgs) != before {
			t.Errorf("user %d got %d messages from a forged press: %+v", id, len(msgs)-before, msgs[len(msgs)-1])
		}
		if acts := h.fake.Actions(id); len(acts) != 0 {
			t.Errorf("user %d saw chat actions %v", id, acts)
		}
	}

	// A stranger's press is refused before anything is read.
	refusal := h.say(strangerID, "/start")
	h.do(h.fake.Press(strangerID, strangerID, refusal.MessageID, report))
	if got := lastAnswer(t, h); !strings.Contains(got, "邀请链接") {
		t.Errorf("a stranger's press answered %q", got)
	}

	// The admin's own forged data: a document the bot never offers, a plan
	// that is not there.
	sent := len(h.fake.Messages(adminID))
	for _, data := range []string{"nd:1:xyz", "nd:999:report", "nd:1"} {
		h.do(h.fake.Press(adminID, adminID, offer.MessageID, data))
		if got := lastAnswer(t, h); got != "此按钮已失效。" {
			t.Errorf("%q answered %q", data, got)
		}
	}
	if n := len(h.fake.Messages(adminID)); n != sent {
		t.Errorf("forged data sent %d messages", n-sent)
	}
	h.noRejections()
}
