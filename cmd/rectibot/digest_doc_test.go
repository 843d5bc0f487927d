package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/internal/fixture"
)

// TestDigestWritesTheCompilationAsADocument: digest --since -o writes the
// half-monthly compilation as Markdown or .docx; -o without --since, or
// to another kind of file, is a usage error that writes nothing.
func TestDigestWritesTheCompilationAsADocument(t *testing.T) {
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	dir := t.TempDir()

	md := filepath.Join(dir, "梳理汇总.md")
	out := c.mustRun("digest", "--as-of", "2021-11-01", "--since", "2021-10-16", "-o", md)
	if !strings.Contains(out, "wrote the half-monthly compilation 2021-10-16 to 2021-11-01") {
		t.Errorf("digest -o says:\n%s", out)
	}
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# 中共东莞市委政法委员会巡察整改工作半月梳理汇总", "（2021年10月16日至2021年11月1日）",
		"## 三、未完成事项", "进展滞后的科室：信息化和网格管理指导科（逾期1项）"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the compilation lacks %q:\n%s", want, text)
		}
	}
	docx := filepath.Join(dir, "梳理汇总.docx")
	c.mustRun("digest", "--as-of", "2021-11-01", "--since", "2021-10-16", "-o", docx)
	if data, err := os.ReadFile(docx); err != nil || len(data) < 4 || string(data[:2]) != "PK" {
		t.Errorf("the .docx: %v, %d bytes", err, len(data))
	}

	for _, args := range [][]string{
		{"digest", "--as-of", "2021-11-01", "-o", filepath.Join(dir, "no-since.md")},
		{"digest", "--as-of", "2021-11-01", "--since", "2021-10-16", "-o", filepath.Join(dir, "x.pdf")},
	} {
		if r := c.run(args...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d (usage)", args, r.code, exitUsage)
		}
	}
	for _, name := range []string{"no-since.md", "x.pdf"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s was written", name)
		}
	}
}
