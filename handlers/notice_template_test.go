package handlers_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/notice"
)

// officeTemplate is the embedded reference with the office's changes: the
// margins 30 mm all round, the 一、 headings in 方正黑体_GBK.
func officeTemplate(t *testing.T) *notice.Template {
	t.Helper()
	ref := notice.ReferenceDOCX()
	zr, err := zip.NewReader(bytes.NewReader(ref), int64(len(ref)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		_ = rc.Close()
		s := string(b)
		switch f.Name {
		case "word/document.xml":
			s = strings.Replace(s, `<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`, `<w:pgMar w:top="1701" w:right="1701" w:bottom="1701" w:left="1701"`, 1)
		case "word/styles.xml":
			i := strings.Index(s, `w:styleId="Heading1"`)
			j := i + strings.Index(s[i:], "</w:style>")
			s = s[:i] + strings.ReplaceAll(s[i:j], `"黑体"`, `"方正黑体_GBK"`) + s[j:]
		}
		w, _ := zw.Create(f.Name)
		_, _ = w.Write([]byte(s))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	tpl, err := notice.ParseTemplate(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// docxPart is a part of a .docx the bot sent.
func docxPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the .docx does not open: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			return string(b)
		}
	}
	t.Fatalf("the .docx has no %s", name)
	return ""
}

// TestNoticeDocumentsTakeTheOfficesTemplate: with the office's reference
// document (RECTIBOT_DOCX_TEMPLATE, loaded at start), the 通报 /notice
// sends and the documents of its buttons take its margins and heading
// font; without it, the built-in layout.
func TestNoticeDocumentsTakeTheOfficesTemplate(t *testing.T) {
	h := newHarness(t, harnessOpts{docx: officeTemplate(t)})
	h.say(adminID, "/notice")
	offer := h.fake.Last(adminID)
	docs := []struct {
		what string
		data []byte
	}{{"the 通报", lastDocument(t, h, adminID).Document.Data}}
	for _, label := range []string{"整改报告", "整改方案"} {
		h.press(adminID, offer, label)
		docs = append(docs, struct {
			what string
			data []byte
		}{label, lastDocument(t, h, adminID).Document.Data})
	}
	for _, d := range docs {
		if doc := docxPart(t, d.data, "word/document.xml"); !strings.Contains(doc, `<w:pgMar w:top="1701" w:right="1701" w:bottom="1701" w:left="1701"`) {
			t.Errorf("%s does not take the template's margins", d.what)
		}
		if !strings.Contains(docxPart(t, d.data, "word/styles.xml"), `w:eastAsia="方正黑体_GBK"`) {
			t.Errorf("%s does not take the template's heading font", d.what)
		}
	}
	if plan := docxPart(t, docs[2].data, "word/document.xml"); strings.Count(plan, `<w:tblW w:w="8504" w:type="dxa"/>`) != 3 {
		t.Error("the 整改方案's tables do not fill the template's type area")
	}
	h.noRejections()

	// Without a template: the built-in layout.
	h = newHarness(t)
	h.say(adminID, "/notice")
	data := lastDocument(t, h, adminID).Document.Data
	if !strings.Contains(docxPart(t, data, "word/document.xml"), `w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`) ||
		strings.Contains(docxPart(t, data, "word/styles.xml"), "方正黑体_GBK") {
		t.Error("without a template, the 通报 is not in the built-in layout")
	}
}
