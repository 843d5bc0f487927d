package notice_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/notice"
)

// TestTheEmbeddedReferenceIsBuiltFromTheParts: template/reference.docx is
// what the parts of docx_parts.go build, byte for byte, and a template the
// writer accepts. After changing a part: go generate ./notice (which runs
// this test with -update).
func TestTheEmbeddedReferenceIsBuiltFromTheParts(t *testing.T) {
	built, err := notice.BuildReference()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("template", "reference.docx")
	if *update {
		if err := os.WriteFile(path, built, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: rebuild to embed it", path)
		return
	}
	if !bytes.Equal(built, notice.ReferenceDOCX()) {
		t.Fatalf("%s is not what docx_parts.go builds: run go generate ./notice", path)
	}
	parts := docxParts(t, built)
	wellFormedParts(t, parts)
	if _, err := notice.ParseTemplate(built); err != nil {
		t.Fatalf("the reference is not a template: %v", err)
	}
	text := documentText(t, parts["word/document.xml"])
	for _, want := range []string{"公文版式参考", "一、一级标题（Heading1，黑体）", "（一）二级标题", "1.三级标题", "--template", "RECTIBOT_DOCX_TEMPLATE"} {
		if !bytes.Contains([]byte(text), []byte(want)) {
			t.Errorf("the reference's text lacks %q", want)
		}
	}
}

// zipOf writes parts as a zip, in the order given.
func zipOf(t *testing.T, names []string, parts map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(parts[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rezip rewrites a .docx part by part: edit returns a part's new bytes, or
// nil to leave it out.
func rezip(t *testing.T, data []byte, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b = edit(f.Name, b); b != nil {
			names, parts[f.Name] = append(names, f.Name), b
		}
	}
	return zipOf(t, names, parts)
}

// editPart is an edit of one part by a string replacement that must apply.
func editPart(t *testing.T, part, old, new string) func(string, []byte) []byte {
	t.Helper()
	return func(name string, b []byte) []byte {
		if name != part {
			return b
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s lacks %s", part, old)
		}
		return []byte(strings.Replace(string(b), old, new, 1))
	}
}

// styleXML is the w:style element of the id in styles.xml.
func styleXML(t *testing.T, styles, id string) string {
	t.Helper()
	i := strings.Index(styles, `w:styleId="`+id+`"`)
	if i < 0 {
		t.Fatalf("styles.xml has no style %s", id)
	}
	i = strings.LastIndex(styles[:i], "<w:style ")
	return styles[i : i+strings.Index(styles[i:], "</w:style>")+len("</w:style>")]
}

// laidOut writes d with the template of data and returns the .docx's
// parts.
func laidOut(t *testing.T, data []byte, d notice.Document) map[string][]byte {
	t.Helper()
	tpl, err := notice.ParseTemplate(data)
	if err != nil {
		t.Fatalf("the template is refused: %v", err)
	}
	out, err := tpl.DOCX(d)
	if err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, out)
	wellFormedParts(t, parts)
	return parts
}

func TestTheDefaultTemplateIsTheEmbeddedReference(t *testing.T) {
	r := published(t).report(reportDay, "")
	want, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	var none *notice.Template
	for name, tpl := range map[string]*notice.Template{"DefaultTemplate": notice.DefaultTemplate(), "nil": none} {
		got, err := tpl.DOCX(r)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s.DOCX differs from DOCX (%v)", name, err)
		}
	}
	// A .docx the writer made is a template for the same layout.
	got, err := notice.DefaultTemplate().DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	if again := laidOut(t, got, r); !bytes.Equal(again["word/document.xml"], docxParts(t, want)["word/document.xml"]) ||
		!bytes.Equal(again["word/styles.xml"], docxParts(t, want)["word/styles.xml"]) {
		t.Error("a .docx the writer made, taken as the template, changes the layout")
	}
}

func TestATemplateWithAnotherHeadingFontChangesTheStylesOnly(t *testing.T) {
	r := published(t).report(reportDay, "")
	def, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	defParts := docxParts(t, def)
	heading1 := styleXML(t, string(defParts["word/styles.xml"]), "Heading1")
	changed := strings.ReplaceAll(heading1, `"黑体"`, `"方正黑体_GBK"`)
	if changed == heading1 {
		t.Fatal("Heading1 does not name 黑体")
	}
	tpl := rezip(t, notice.ReferenceDOCX(), editPart(t, "word/styles.xml", heading1, changed))
	parts := laidOut(t, tpl, r)
	styles := string(parts["word/styles.xml"])
	if got := styleXML(t, styles, "Heading1"); got != changed {
		t.Errorf("Heading1 in the .docx:\n%s\nwant\n%s", got, changed)
	}
	if strings.Replace(styles, changed, heading1, 1) != string(defParts["word/styles.xml"]) {
		t.Error("styles.xml differs from the default's beyond Heading1")
	}
	for _, name := range []string{"word/document.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"} {
		if !bytes.Equal(parts[name], defParts[name]) {
			t.Errorf("%s changed with the heading font", name)
		}
	}
}

func TestATemplateWithOtherMarginsChangesThePageSetup(t *testing.T) {
	l := published(t)
	r, plan := l.report(reportDay, ""), l.planDoc(reportDay, "")
	const (
		gbMargins = `<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1304" w:gutter="0"/>`
		// 30 mm all round, a grid of 20 lines, and an attribute of
		// another namespace, which the writer leaves out.
		wider = `<w:pgMar w:top="1701" w:right="1701" w:bottom="1701" w:left="1701" w:header="851" w:footer="992" w:gutter="0" xmlns:x="urn:x" x:note="1"/>`
	)
	ref := rezip(t, notice.ReferenceDOCX(), editPart(t, "word/document.xml", gbMargins, wider))
	ref = rezip(t, ref, editPart(t, "word/document.xml", `<w:docGrid w:type="lines" w:linePitch="579"/>`, `<w:docGrid w:type="lines" w:linePitch="624"/>`))

	def, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	doc, defDoc := string(laidOut(t, ref, r)["word/document.xml"]), string(docxParts(t, def)["word/document.xml"])
	want := `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="1701" w:right="1701" w:bottom="1701" w:left="1701" w:header="851" w:footer="992" w:gutter="0"/>` +
		`<w:cols w:space="720"/><w:docGrid w:type="lines" w:linePitch="624"/></w:sectPr>`
	if !strings.HasSuffix(doc, want+`</w:body></w:document>`) {
		t.Errorf("the section:\n%s\nwant\n%s", doc[strings.LastIndex(doc, "<w:sectPr>"):], want)
	}
	if doc[:strings.LastIndex(doc, "<w:sectPr>")] != defDoc[:strings.LastIndex(defDoc, "<w:sectPr>")] {
		t.Error("the text of document.xml changed with the margins")
	}
	// The 整改方案's tables fill the narrower type area: 11906 − 2 × 1701.
	planDoc := string(laidOut(t, ref, plan)["word/document.xml"])
	if n, all := strings.Count(planDoc, `<w:tblW w:w="8504" w:type="dxa"/>`), strings.Count(planDoc, "<w:tbl>"); n != 3 || all != 3 {
		t.Errorf("%d of %d tables are 8504 twips wide, want 3 of 3", n, all)
	}
}

func TestATemplateThatLacksAStyleIsRefusedNamingIt(t *testing.T) {
	styles := string(docxParts(t, notice.ReferenceDOCX())["word/styles.xml"])
	drop := func(ids ...string) []byte {
		ref := notice.ReferenceDOCX()
		for _, id := range ids {
			ref = rezip(t, ref, editPart(t, "word/styles.xml", styleXML(t, styles, id), ""))
		}
		return ref
	}
	for _, c := range []struct {
		ids  []string
		want string
	}{
		{[]string{"Heading2"}, "the template lacks the paragraph style Heading2 (（一） headings)"},
		{[]string{"Signature", "NoticeDate"}, "the template lacks the paragraph styles Signature (the issuing unit under the text), NoticeDate (the date under the unit, and the 第一责任人 line)"},
		{[]string{"Title"}, "the template lacks the paragraph style Title (the title)"},
	} {
		_, err := notice.ParseTemplate(drop(c.ids...))
		if err == nil || err.Error() != c.want {
			t.Errorf("without %v: %v, want %q", c.ids, err, c.want)
		}
	}
	// A character style of the id is not the paragraph style.
	charStyle := strings.Replace(styleXML(t, styles, "Heading3"), `w:type="paragraph"`, `w:type="character"`, 1)
	_, err := notice.ParseTemplate(rezip(t, notice.ReferenceDOCX(), editPart(t, "word/styles.xml", styleXML(t, styles, "Heading3"), charStyle)))
	if err == nil || !strings.Contains(err.Error(), "Heading3 (1. headings)") {
		t.Errorf("Heading3 as a character style: %v", err)
	}
}

func TestABrokenTemplateIsRefusedSayingWhatIsWrong(t *testing.T) {
	ref := notice.ReferenceDOCX()
	without := func(part string) []byte {
		return rezip(t, ref, func(name string, b []byte) []byte {
			if name == part {
				return nil
			}
			return b
		})
	}
	for _, c := range []struct {
		what string
		data []byte
		want string
	}{
		{"a text file", []byte("这不是Word文档"), "the template is not a .docx (a zip archive)"},
		{"an empty file", nil, "the template is not a .docx (a zip archive)"},
		{"a zip without a document", without("word/document.xml"), "the template lacks the main document (word/document.xml)"},
		{"no styles", without("word/styles.xml"), "the template lacks the styles (word/styles.xml)"},
		{"no footer", without("word/footer1.xml"), "the template lacks the page-number footer (word/footer1.xml)"},
		{"broken styles", rezip(t, ref, editPart(t, "word/styles.xml", "</w:styles>", "")), "the template's word/styles.xml is not well-formed XML"},
		{"no section", rezip(t, ref, func(name string, b []byte) []byte {
			if name == "word/document.xml" {
				return regexp.MustCompile(`<w:sectPr>.*</w:sectPr>`).ReplaceAll(b, nil)
			}
			return b
		}), "the template's word/document.xml has no page setup (the body's w:sectPr)"},
		{"broken document", rezip(t, ref, editPart(t, "word/document.xml", "<w:sectPr>", "<w:sectPrX>")), "the template's word/document.xml is not well-formed XML"},
		{"a narrow page", rezip(t, ref, editPart(t, "word/document.xml", `w:left="1587"`, `w:left="11000"`)), "the template's page leaves -568 twips between the margins"},
		{"strict", rezip(t, ref, func(name string, b []byte) []byte {
			return bytes.ReplaceAll(b, []byte("http://schemas.openxmlformats.org/wordprocessingml/2006/main"), []byte("http://purl.oclc.org/ooxml/wordprocessingml/main"))
		}), "Strict Open XML: save the template as a Word document (.docx), not Strict"},
		{"no margins", rezip(t, ref, editPart(t, "word/document.xml", "<w:pgMar ", "<w:pgMarX ")), "the template's page setup lacks the w:pgMar"},
	} {
		_, err := notice.ParseTemplate(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.what, err, c.want)
		}
	}
	withPicture := zipOf(t, append(partNames(t, ref), "word/_rels/footer1.xml.rels"), func() map[string][]byte {
		p := docxParts(t, ref)
		p["word/_rels/footer1.xml.rels"] = []byte(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/logo.png"/></Relationships>`)
		return p
	}())
	if _, err := notice.ParseTemplate(withPicture); err == nil || !strings.Contains(err.Error(), "the page-number footer (word/footer1.xml) refers to other files") {
		t.Errorf("a footer with a picture: %v", err)
	}
	if _, err := notice.LoadTemplateFile(filepath.Join(t.TempDir(), "missing.docx")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// partNames are a .docx's part names in the archive's order.
func partNames(t *testing.T, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range zr.File {
		out = append(out, f.Name)
	}
	return out
}
