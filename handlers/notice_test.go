package handlers_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

func TestAdminGetsTheProgressReportAsDOCX(t *testing.T) {
	h := newHarness(t)
	h.say(adminID, "/notice")
	doc := lastDocument(t, h, adminID)
	if doc.Method != "sendDocument" || doc.Document == nil || !strings.HasSuffix(doc.Document.Name, ".docx") {
		t.Fatalf("no .docx document: %+v", doc)
	}
	if acts := h.fake.Actions(adminID); len(acts) == 0 || acts[len(acts)-1] != "upload_document" {
		t.Errorf("chat actions %v, want upload_document while the report is built", acts)
	}
	// The harness's day is 2021-11-01: 立行立改四 is a day late.
	contains(t, doc, "已完成问题整改 22 个", "正在整改 3 个", "逾期 1 个")
	zr, err := zip.NewReader(bytes.NewReader(doc.Document.Data), int64(len(doc.Document.Data)))
	if err != nil {
		t.Fatalf("the .docx does not open: %v", err)
	}
	var xml string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			xml = string(b)
		}
	}
	for _, want := range []string{"一、整改工作开展情况", "目前，已完成问题整改22个；正在整改的问题3个。", "二、整改落实情况", "（五）立行立改问题",
		"15.关于部分专项资金使用存在廉政风险的问题（立行立改四）", "三、下一步工作计划", "“部分专项资金使用存在廉政风险”问题（立行立改四）"} {
		if !strings.Contains(xml, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}

	// A plan named that does not exist.
	if got := h.say(adminID, "/notice 没有这个方案"); !strings.Contains(got.Text, "没有这个方案") {
		t.Errorf("unknown plan answered %q", got.Text)
	}
	h.noRejections()
}

func TestOfficersAndLeadersCannotProduceTheReport(t *testing.T) {
	h := newHarness(t)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.link("分管社会治理副书记", socialLead, ledger.RoleLeader)
	for _, id := range []int64{zhouJie, socialLead} {
		got := h.say(id, "/notice")
		if got.Document != nil || !strings.Contains(got.Text, "只有督办管理员") {
			t.Errorf("user %d got %+v", id, got)
		}
		if acts := h.fake.Actions(id); len(acts) != 0 {
			t.Errorf("user %d saw chat actions %v", id, acts)
		}
	}
	h.noRejections()
}
