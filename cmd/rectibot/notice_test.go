package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/notice"
)

func TestNoticeWritesTheReportAsDOCXAndMarkdown(t *testing.T) {
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	dir := t.TempDir()

	md := filepath.Join(dir, "通报.md")
	out := c.mustRun("notice", "--as-of", "2021-09-14", "--inspection", "十四届市委第十二轮巡察", "-o", md)
	if !strings.Contains(out, "目前，已完成问题整改22个；正在整改的问题3个") {
		t.Errorf("notice says:\n%s", out)
	}
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# 中共东莞市委政法委员会关于十四届市委第十二轮巡察整改阶段性进展情况的通报\n",
		"目前，已完成问题整改22个；正在整改的问题3个。", "## 二、整改落实情况\n", "### （五）立行立改问题", "\n2021年9月14日\n",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}

	docx := filepath.Join(dir, "通报.docx")
	c.mustRun("notice", "--plan", "市委第六巡察组反馈意见整改", "--as-of", "2021-11-01", "-o", docx)
	zr, err := zip.OpenReader(docx)
	if err != nil {
		t.Fatalf("the .docx does not open: %v", err)
	}
	defer zr.Close()
	var doc string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			doc = string(b)
		}
	}
	if !strings.Contains(doc, "目前，已完成问题整改22个；正在整改的问题3个。其中，已超过整改时限尚未完成的问题1个：“部分专项资金使用存在廉政风险”问题（立行立改四）") {
		t.Error("the .docx of 2021-11-01 lacks the counts and the overdue 立行立改四")
	}
	if fi, err := os.Stat(docx); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("the .docx: %v, mode %v", err, fi.Mode())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".rectibot-notice-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestNoticeRefusesABadFileNameOrDate(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"notice", "-o", filepath.Join(dir, "report.pdf")},
		{"notice"},
		{"notice", "-o", filepath.Join(dir, "report.docx"), "--as-of", "14/9/2021"},
		{"notice", "extra", "-o", filepath.Join(dir, "report.md")},
	} {
		if r := c.run(args...); r.code != exitUsage {
			t.Errorf("rectibot %s: exit %d (%v), want %d", strings.Join(args, " "), r.code, r.err, exitUsage)
		}
	}
	// No plan yet: a failure, not a usage error, and no file.
	path := filepath.Join(dir, "report.md")
	if r := c.run("notice", "-o", path); r.code != exitFailure || !strings.Contains(r.err.Error(), "no plan") {
		t.Errorf("notice without a plan: exit %d, %v", r.code, r.err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a report was written without a plan: %v", err)
	}
}

func TestNoticeKindWritesTheRectificationReportAndPlan(t *testing.T) {
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	dir := t.TempDir()

	// 整改报告 without a 第一责任人: written, with a note saying how to set one.
	md := filepath.Join(dir, "整改报告.md")
	out := c.mustRun("notice", "--kind", "report", "--as-of", "2021-09-14", "-o", md)
	wants(t, "notice --kind report", out, "wrote the 整改报告 of plan", "目前，已完成问题整改22个；正在整改的问题3个",
		"note: no 第一责任人 set", "rectibot plans set 1 --principal NAME")
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	wants(t, "the 整改报告", string(text), "# 中共东莞市委政法委员会关于市委第六巡察组反馈意见整改情况的报告\n\n市委第六巡察组：\n",
		"\n## 三、问题线索处置和追责问责情况\n\n截至2021年9月14日，暂无移交问题线索和追责问责情况。\n", "\n第一责任人：　　　　（签字）\n")

	// With the 第一责任人 set and figures entered.
	wants(t, "plans set --principal", c.mustRun("plans", "set", "1", "--principal", "林志强"), "principal 林志强")
	c.mustRun("results", "add", "1", "--kind", "clues", "--amount", "2")
	out = c.mustRun("notice", "--kind", "report", "--as-of", "2021-09-14", "-o", md)
	if strings.Contains(out, "note:") {
		t.Errorf("a note though the 第一责任人 is set:\n%s", out)
	}
	text, _ = os.ReadFile(md)
	wants(t, "the signed 整改报告", string(text), "截至2021年9月14日，移交问题线索2件；暂无追责问责情况。", "\n2021年9月14日\n\n第一责任人：林志强（签字）\n")

	// 整改方案, Markdown and .docx.
	plan := filepath.Join(dir, "整改方案.md")
	wants(t, "notice --kind plan", c.mustRun("notice", "--kind", "plan", "--as-of", "2021-09-14", "-o", plan),
		"wrote the 整改方案 of plan", "问题清单, 任务清单 and 责任清单 of 25 tasks")
	text, _ = os.ReadFile(plan)
	wants(t, "the 整改方案", string(text), "# 中共东莞市委政法委员会关于市委第六巡察组反馈意见的整改方案\n",
		"| 序号 | 问题类别 | 问题 | 具体问题 |\n", "| 序号 | 问题 | 整改措施 | 整改时限 |\n", "| 序号 | 问题 | 责任领导 | 责任科室 | 责任人 |\n")
	docx := filepath.Join(dir, "整改方案.docx")
	c.mustRun("notice", "--kind", "plan", "--as-of", "2021-09-14", "-o", docx)
	zr, err := zip.OpenReader(docx)
	if err != nil {
		t.Fatalf("the .docx does not open: %v", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			if n := strings.Count(string(b), "<w:tbl>"); n != 3 {
				t.Errorf("the 整改方案 .docx has %d tables, want 3", n)
			}
		}
	}

	// The default is the 通报, as before.
	notice := filepath.Join(dir, "通报.md")
	c.mustRun("notice", "--kind", "notice", "--as-of", "2021-09-14", "-o", notice)
	text, _ = os.ReadFile(notice)
	wants(t, "--kind notice", string(text), "整改阶段性进展情况的通报\n")
}

func TestNoticeRefusesAnUnknownKind(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "x.md")
	for _, kind := range []string{"compilation", "", "Report"} {
		r := c.run("notice", "--kind", kind, "-o", path)
		if r.code != exitUsage || r.err == nil || !strings.Contains(r.err.Error(), "want notice, report or plan") {
			t.Errorf("--kind %q: exit %d, %v", kind, r.code, r.err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a file was written for an unknown kind: %v", err)
	}
}

// editedTemplate writes the embedded reference with part's old text
// replaced by new, as an office's edited copy.
func editedTemplate(t *testing.T, path, part, old, new string) {
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
		if f.Name == part {
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("%s lacks %s", part, old)
			}
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
		}
		w, _ := zw.Create(f.Name)
		_, _ = w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// docxPart is a part of a .docx file.
func docxPart(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s does not open: %v", path, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			return string(b)
		}
	}
	t.Fatalf("%s has no %s", path, name)
	return ""
}

const gbMargins = `<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`

func TestNoticeTemplateGivesTheDOCXTheOfficesLayout(t *testing.T) {
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	dir := t.TempDir()
	layout := filepath.Join(dir, "本单位版式.docx")
	editedTemplate(t, layout, "word/document.xml", gbMargins, `<w:pgMar w:top="1701" w:right="1701" w:bottom="1701" w:left="1701"`)

	plain, docx := filepath.Join(dir, "通报-默认.docx"), filepath.Join(dir, "通报.docx")
	c.mustRun("notice", "--as-of", "2021-09-14", "-o", plain)
	out := c.mustRun("notice", "--as-of", "2021-09-14", "--template", layout, "-o", docx)
	wants(t, "notice --template", out, "wrote the report", "layout: "+layout)
	doc, def := docxPart(t, docx, "word/document.xml"), docxPart(t, plain, "word/document.xml")
	if !strings.Contains(doc, `<w:pgMar w:top="1701" w:right="1701" w:bottom="1701" w:left="1701"`) || !strings.Contains(def, gbMargins) {
		t.Error("--template does not set the margins")
	}
	if doc[:strings.LastIndex(doc, "<w:sectPr>")] != def[:strings.LastIndex(def, "<w:sectPr>")] {
		t.Error("--template changes the text")
	}

	// RECTIBOT_DOCX_TEMPLATE is the layout when --template is not given;
	// the flag wins over it.
	c.env["RECTIBOT_DOCX_TEMPLATE"] = layout
	out = c.mustRun("notice", "--kind", "plan", "--as-of", "2021-09-14", "-o", docx)
	wants(t, "notice with RECTIBOT_DOCX_TEMPLATE", out, "layout: "+layout+" (RECTIBOT_DOCX_TEMPLATE)")
	if plan := docxPart(t, docx, "word/document.xml"); !strings.Contains(plan, `w:left="1701"`) || strings.Count(plan, `<w:tblW w:w="8504" w:type="dxa"/>`) != 3 {
		t.Error("the setting's layout is not taken, or the tables do not fill its type area")
	}
	other := filepath.Join(dir, "另一版式.docx")
	editedTemplate(t, other, "word/document.xml", gbMargins, `<w:pgMar w:top="2000" w:right="1500" w:bottom="1900" w:left="1500"`)
	c.mustRun("notice", "--template", other, "--as-of", "2021-09-14", "-o", docx)
	if !strings.Contains(docxPart(t, docx, "word/document.xml"), `w:top="2000"`) {
		t.Error("--template does not win over RECTIBOT_DOCX_TEMPLATE")
	}
}

func TestNoticeTemplateRefusesABadFile(t *testing.T) {
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	dir := t.TempDir()
	notZip := filepath.Join(dir, "版式.docx")
	if err := os.WriteFile(notZip, []byte("这不是Word文档"), 0o644); err != nil {
		t.Fatal(err)
	}
	noHeading2 := filepath.Join(dir, "缺样式.docx")
	editedTemplate(t, noHeading2, "word/styles.xml", `w:styleId="Heading2"><w:name w:val="heading 2"/>`, `w:styleId="Heading2x"><w:name w:val="heading 2x"/>`)
	out := filepath.Join(dir, "通报.docx")
	for _, c2 := range []struct {
		file string
		want []string
	}{
		{notZip, []string{"--template " + notZip, "the template is not a .docx (a zip archive)", "nothing was written"}},
		{noHeading2, []string{"--template " + noHeading2, "the template lacks the paragraph style Heading2 (（一） headings)", "nothing was written"}},
		{filepath.Join(dir, "missing.docx"), []string{"missing.docx", "no such file"}},
	} {
		r := c.run("notice", "--template", c2.file, "-o", out)
		if r.code != exitBadInput || r.err == nil {
			t.Errorf("--template %s: exit %d, %v; want %d", c2.file, r.code, r.err, exitBadInput)
			continue
		}
		wants(t, "--template "+c2.file, r.err.Error(), c2.want...)
	}
	// A bad RECTIBOT_DOCX_TEMPLATE is bad configuration.
	c.env["RECTIBOT_DOCX_TEMPLATE"] = noHeading2
	r := c.run("notice", "-o", out)
	if r.code != exitConfig || r.err == nil {
		t.Fatalf("a bad RECTIBOT_DOCX_TEMPLATE: exit %d, %v; want %d", r.code, r.err, exitConfig)
	}
	wants(t, "RECTIBOT_DOCX_TEMPLATE", r.err.Error(), "RECTIBOT_DOCX_TEMPLATE "+noHeading2, "Heading2 (（一） headings)")
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a document was written with a bad template: %v", err)
	}
}

// TestServeRefusesABadDOCXTemplate: the bot loads the office's layout at
// start; a bad file stops it before it reaches Telegram, as bad
// configuration, naming the setting and what is wrong.
func TestServeRefusesABadDOCXTemplate(t *testing.T) {
	c := newCLI(t)
	bad := filepath.Join(t.TempDir(), "版式.docx")
	editedTemplate(t, bad, "word/styles.xml", `w:styleId="Title"><w:name w:val="Title"/>`, `w:styleId="Caption"><w:name w:val="Caption"/>`)
	c.env["TELEGRAM_BOT_TOKEN"] = "123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOpp"
	c.env["TELEGRAM_API_URL"] = "http://127.0.0.1:1" // never reached
	c.env["RECTIBOT_DOCX_TEMPLATE"] = bad
	r := c.run("serve")
	if r.code != exitConfig || r.err == nil {
		t.Fatalf("serve with a bad template: exit %d, %v; want %d", r.code, r.err, exitConfig)
	}
	wants(t, "serve", r.err.Error(), "RECTIBOT_DOCX_TEMPLATE "+bad, "the template lacks the paragraph style Title (the title)")
}
