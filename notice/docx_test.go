package notice_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/zhtypo"
)

// docxParts opens a .docx and returns its parts by name.
func docxParts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the .docx is not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	return parts
}

// wellFormed decodes a part token by token; it fails on any XML error.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// documentText is the text of word/document.xml, a line per paragraph.
func documentText(t *testing.T, doc []byte) string {
	t.Helper()
	var b strings.Builder
	d := xml.NewDecoder(bytes.NewReader(doc))
	inText := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return b.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if tok.Name.Local == "p" {
				b.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				b.Write(tok)
			}
		}
	}
}

func TestTheDOCXIsWellFormedAndCarriesTheReport(t *testing.T) {
	r := importRows(t, readRows(t, "ledger.csv")).report(reportDay, "")
	data, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, data)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
		"word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml", "docProps/core.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("the .docx lacks %s", name)
		}
	}
	wellFormedParts(t, parts)
	text := documentText(t, parts["word/document.xml"])
	for _, want := range append([]string{r.Title, "目前，已完成问题整改22个；正在整改的问题3个。", "2021年9月14日"}, headings(r)...) {
		if !strings.Contains(text, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	for _, rec := range fixtureRecords(t) {
		if !strings.Contains(flat(text), zhtypo.Punctuate(flat(rec.measures))) || !strings.Contains(flat(text), zhtypo.Punctuate(flat(rec.progress))) {
			t.Errorf("%s: measures or progress missing from document.xml", rec.code)
		}
	}
	// The layout of GB/T 9704: A4, the margins, the fonts named.
	doc, styles := string(parts["word/document.xml"]), string(parts["word/styles.xml"])
	for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	for _, want := range []string{`w:eastAsia="方正小标宋简体"`, `w:eastAsia="仿宋_GB2312"`, `w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`,
		`<w:sz w:val="44"/>`, `<w:sz w:val="32"/>`, `w:firstLineChars="200"`, `w:lineRule="exact"`, `<w:jc w:val="right"/>`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	if !strings.Contains(string(parts["word/fontTable.xml"]), `<w:altName w:val="仿宋"/>`) {
		t.Error("fontTable.xml names no fallback for 仿宋_GB2312")
	}
	// Same report, same bytes.
	again, _ := notice.DOCX(r)
	if !bytes.Equal(data, again) {
		t.Error("two .docx of one report differ")
	}
}

// headings are the section headings' text, the 立行立改 one included.
func headings(r notice.Report) []string {
	var out []string
	for _, s := range r.Sections {
		out = append(out, zhtypo.Punctuate(s.Heading()))
	}
	return out
}

// TestTheDOCXConvertsToAPDFThatReadsTheSame converts the .docx with
// LibreOffice, as an office would open it, and reads the PDF back with
// pdftotext. CI installs both (libreoffice-writer-nogui, poppler-utils,
// fonts-noto-cjk); elsewhere the test is skipped when they are missing.
func TestTheDOCXConvertsToAPDFThatReadsTheSame(t *testing.T) {
	office := ""
	for _, name := range []string{"libreoffice", "soffice"} {
		if p, err := exec.LookPath(name); err == nil {
			office = p
			break
		}
	}
	pdftotext, perr := exec.LookPath("pdftotext")
	if office == "" || perr != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI needs libreoffice (libreoffice-writer-nogui) and pdftotext (poppler-utils) for this test")
		}
		t.Skip("libreoffice or pdftotext is not installed: apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk")
	}
	if testing.Short() {
		t.Skip("-short: no LibreOffice conversion")
	}
	r := importRows(t, readRows(t, "ledger.csv")).report(reportDay, "")
	data, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "notice.docx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// A profile of its own, so a running LibreOffice (or a parallel test)
	// does not take the conversion over.
	cmd := exec.Command(office, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", filepath.Join(dir, "notice.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// LibreOffice breaks lines wherever the page ends them.
	text := flat(string(out))
	for _, want := range append([]string{"已完成问题整改22个", "目前，已完成问题整改22个；正在整改的问题3个", flat(r.Title)}, headings(r)...) {
		if !strings.Contains(text, flat(want)) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", out)
	}
}
