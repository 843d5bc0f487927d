package notice_test

// Templates as Word and LibreOffice save them: renamed style ids, a theme,
// a real LibreOffice round trip.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/notice"
)

// TestATemplateSavedWithRenamedStylesIsMatchedByName: Word in Chinese and
// LibreOffice give the built-in styles ids of their own when they save
// (heading 1 → 1, Date → a5); the writer finds the styles by name and
// refers to them by the template's ids.
func TestATemplateSavedWithRenamedStylesIsMatchedByName(t *testing.T) {
	r := signed(t).rectReport(reportDay, "")
	ref := notice.ReferenceDOCX()
	for id, renamed := range map[string]string{"Heading1": "1", "NoticeDate": "a5", "Addressee": "a7"} {
		ref = rezip(t, ref, editPart(t, "word/styles.xml", `w:styleId="`+id+`"`, `w:styleId="`+renamed+`"`))
	}
	def, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(laidOut(t, ref, r)["word/document.xml"])
	want := strings.NewReplacer(`<w:pStyle w:val="Heading1"/>`, `<w:pStyle w:val="1"/>`, `<w:pStyle w:val="NoticeDate"/>`, `<w:pStyle w:val="a5"/>`,
		`<w:pStyle w:val="Addressee"/>`, `<w:pStyle w:val="a7"/>`).Replace(string(docxParts(t, def)["word/document.xml"]))
	if doc != want {
		t.Error("document.xml does not refer to the renamed styles by their new ids")
	}
	for _, id := range []string{"1", "a5", "a7"} {
		if !strings.Contains(doc, `<w:pStyle w:val="`+id+`"/>`) {
			t.Errorf("no paragraph takes the style %s", id)
		}
	}
}

// TestATemplateWithAThemeCarriesIt: a template Word saved has a theme its
// styles may take fonts from; the .docx carries it, declared.
func TestATemplateWithAThemeCarriesIt(t *testing.T) {
	const theme = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"/>`
	ref := notice.ReferenceDOCX()
	parts := docxParts(t, ref)
	parts["word/theme/theme1.xml"] = []byte(theme)
	parts["word/_rels/document.xml.rels"] = []byte(strings.Replace(string(parts["word/_rels/document.xml.rels"]), "</Relationships>",
		`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>`, 1))
	out := laidOut(t, zipOf(t, append(partNames(t, ref), "word/theme/theme1.xml"), parts), published(t).report(reportDay, ""))
	if string(out["word/theme/theme1.xml"]) != theme {
		t.Error("the theme is not carried over")
	}
	if !strings.Contains(string(out["[Content_Types].xml"]), `<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>`) ||
		!strings.Contains(string(out["word/_rels/document.xml.rels"]), `Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"`) {
		t.Error("the theme is not declared")
	}
}

// TestAReferenceSavedByLibreOfficeIsATemplate: the office opens the
// reference in LibreOffice, makes the headings larger and saves it as a
// Word document; the saved file is a template (LibreOffice renames some
// styles' ids and the footer's relationship) and the documents take the
// change. CI installs LibreOffice; elsewhere the test is skipped without
// it.
func TestAReferenceSavedByLibreOfficeIsATemplate(t *testing.T) {
	office := ""
	for _, name := range []string{"libreoffice", "soffice"} {
		if p, err := exec.LookPath(name); err == nil {
			office = p
			break
		}
	}
	if office == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI needs libreoffice (libreoffice-writer-nogui) for this test")
		}
		t.Skip("libreoffice is not installed: apt-get install libreoffice-writer-nogui")
	}
	if testing.Short() {
		t.Skip("-short: no LibreOffice conversion")
	}
	// The edit an office makes in the styles dialog, made in the file:
	// the 一、 headings in 小标宋 rather than 黑体.
	ref := rezip(t, notice.ReferenceDOCX(), editPart(t, "word/styles.xml",
		`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hAnsi="黑体" w:cs="黑体" w:hint="eastAsia"/>`,
		`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体" w:hAnsi="方正小标宋简体" w:cs="方正小标宋简体" w:hint="eastAsia"/>`))
	dir := t.TempDir()
	in := filepath.Join(dir, "edited.docx")
	if err := os.WriteFile(in, ref, 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "saved")
	cmd := exec.Command(office, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", outDir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	tpl, err := notice.LoadTemplateFile(filepath.Join(outDir, "edited.docx"))
	if err != nil {
		t.Fatalf("the reference LibreOffice saved is refused: %v", err)
	}
	r := signed(t).rectReport(reportDay, "")
	data, err := tpl.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, data)
	wellFormedParts(t, parts)
	styles, doc := string(parts["word/styles.xml"]), string(parts["word/document.xml"])
	if !strings.Contains(styleXML(t, styles, "Heading1"), `w:eastAsia="方正小标宋简体"`) {
		t.Errorf("the .docx's Heading1 does not carry the edit:\n%s", styleXML(t, styles, "Heading1"))
	}
	// Every style a paragraph refers to is in the styles.
	for _, m := range regexp.MustCompile(`<w:pStyle w:val="([^"]+)"/>`).FindAllStringSubmatch(doc, -1) {
		if !strings.Contains(styles, `w:styleId="`+m[1]+`"`) {
			t.Errorf("document.xml refers to the style %s, which styles.xml lacks", m[1])
		}
	}
	if !strings.Contains(doc, `<w:pgMar `) || !strings.Contains(doc, `w:left="1587"`) {
		t.Errorf("the page setup is lost: %s", doc[strings.LastIndex(doc, "<w:sectPr>"):])
	}
	if !strings.Contains(documentText(t, parts["word/document.xml"]), "截至2021年9月14日") {
		t.Error("the text is not the 整改报告's")
	}
}
