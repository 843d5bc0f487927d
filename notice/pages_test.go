package notice_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/notice"
)

// TestEveryDocumentRendersToPages converts each document — the 通报, the
// 整改报告, the 整改方案 and the half-monthly compilation — as an office
// opens it (LibreOffice → PDF) and renders its pages to PNG
// (pdftoppm), into RECTIBOT_DOC_PAGES when set: CI keeps them as
// artefacts, to be looked at. Every document must come out with pages whose
// text starts with its title.
func TestEveryDocumentRendersToPages(t *testing.T) {
	office := ""
	for _, name := range []string{"libreoffice", "soffice"} {
		if p, err := exec.LookPath(name); err == nil {
			office = p
			break
		}
	}
	pdftoppm, perr := exec.LookPath("pdftoppm")
	pdftotext, terr := exec.LookPath("pdftotext")
	if office == "" || perr != nil || terr != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI needs libreoffice and poppler-utils (pdftoppm, pdftotext) for this test")
		}
		t.Skip("libreoffice or poppler-utils is not installed: apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk")
	}
	if testing.Short() {
		t.Skip("-short: no LibreOffice conversion")
	}
	out := os.Getenv("RECTIBOT_DOC_PAGES")
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	docs := []struct {
		name string
		doc  notice.Document
	}{
		{"tongbao", published(t).report(reportDay, "")},
		{"zhenggai-baogao", signed(t).rectReport(reportDay, "")},
		{"zhenggai-fangan", published(t).planDoc(reportDay, "")},
		{"banyue-huizong", compilation(t)},
	}
	dir := t.TempDir()
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir}
	for _, d := range docs {
		data, err := notice.DOCX(d.doc)
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, d.name+".docx")
		if err := os.WriteFile(in, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, in)
	}
	cmd := exec.Command(office, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, b)
	}
	for _, d := range docs {
		pdf := filepath.Join(dir, d.name+".pdf")
		first, err := exec.Command(pdftotext, "-enc", "UTF-8", "-l", "1", pdf, "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", d.name, err)
		}
		title := notice.DocTitle(d.doc)
		if !strings.Contains(flat(string(first)), flat(title)) {
			t.Errorf("%s: the first page does not start with the title %q:\n%s", d.name, title, first)
		}
		if b, err := exec.Command(pdftoppm, "-png", "-r", "60", pdf, filepath.Join(out, d.name)).CombinedOutput(); err != nil {
			t.Fatalf("%s: pdftoppm: %v\n%s", d.name, err, b)
		}
		pages, _ := filepath.Glob(filepath.Join(out, d.name+"-*.png"))
		if len(pages) == 0 {
			t.Errorf("%s: no page rendered", d.name)
		}
		t.Logf("%s: %d pages in %s", d.name, len(pages), out)
	}
}
