package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/internal/fixture"
)

const dongguanTitle = "市委第六巡察组反馈意见整改"

// TestPlansAndResultsOnTheCommandLine: the office lists its plans, sets
// what the 通报 says beyond the ledger, enters the result figures, and the
// 通报 carries them; bad input is refused with the exit code of its kind
// and changes nothing.
func TestPlansAndResultsOnTheCommandLine(t *testing.T) {
	c := newCLI(t)
	if out := c.mustRun("plans"); !strings.Contains(out, "no plans yet") {
		t.Errorf("plans of an empty ledger:\n%s", out)
	}
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"), "--unit-short", "市委政法委", "--unit-self", "我委")
	wants(t, "plans", c.mustRun("plans"), "ID  TITLE", "1   "+dongguanTitle+"  中共东莞市委政法委员会  25     -          -        default       default", "1 plans")

	out := c.mustRun("plans", "set", dongguanTitle, "--inspected", "2020-12-08..2021-01-08",
		"--contact", "联系电话：0769-12345678；电子邮箱：zhenggai@example.cn")
	wants(t, "plans set", out, "inspected 2020-12-08..2021-01-08", "contact 联系电话：0769-12345678；电子邮箱：zhenggai@example.cn", "organisation default")
	wants(t, "plans set --organisation", c.mustRun("plans", "set", "1", "--organisation", "成立由书记任组长的巡察整改工作领导小组，统筹推进整改工作。"),
		"organisation 成立由书记任组长的巡察整改工作领…")
	wants(t, "plans after set", c.mustRun("plans"), "2020-12-08..2021-01-08", "联系电话：0769-12345678", "成立由书记任组长的巡察整改工作领…  default")

	wants(t, "results of none", c.mustRun("results", "1"), "has no result figures yet")
	c.mustRun("results", "add", "1", "--kind", "rules", "--amount", "12", "--note", "委机关制度")
	wants(t, "results add", c.mustRun("results", "add", dongguanTitle, "--kind", "rules", "--amount", "7"),
		"rules 7项; rules now total 19项")
	wants(t, "results add --task", c.mustRun("results", "add", "1", "--kind", "funds", "--amount", "1.44", "--task", "立行立改三", "--note", "多发、重发交通补助和差旅补贴"),
		"to task 立行立改三 of plan 1", "funds 1.44万元")
	out = c.mustRun("results", "1")
	wants(t, "results", out, "rules  19项      2", "funds  1.44万元  1", "委机关制度", "立行立改三", "多发、重发交通补助和差旅补贴", "cli")

	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plans", "set", dongguanTitle}, exitUsage, "nothing to set"},
		{[]string{"plans", "set", dongguanTitle, "--inspected", "2021-01-08..2020-12-08"}, exitUsage, "cannot end before it starts"},
		{[]string{"plans", "set", dongguanTitle, "--inspected", "2020/12/08"}, exitUsage, "FROM..TO"},
		{[]string{"plans", "set", "没有这个方案", "--contact", "x"}, exitBadInput, "1 " + dongguanTitle},
		{[]string{"plans", "set"}, exitUsage, "usage"},
		{[]string{"results", "add", "1", "--kind", "money", "--amount", "1"}, exitUsage, "rules, funds, accountability or clues"},
		{[]string{"results", "add", "1", "--kind", "rules", "--amount", "1.5"}, exitUsage, "not a whole number of 项"},
		{[]string{"results", "add", "1", "--kind", "funds", "--amount", "1.444"}, exitUsage, "more than two decimals"},
		{[]string{"results", "add", "1", "--kind", "funds", "--amount", "0"}, exitUsage, "zero"},
		{[]string{"results", "add", "1", "--kind", "clues"}, exitUsage, "--amount"},
		{[]string{"results", "add", "1", "--kind", "clues", "--amount", "2", "--task", "99"}, exitBadInput, `task "99" is not in the plan`},
		{[]string{"results", "add", "1", "--kind", "rules", "--amount", "-20"}, exitBadInput, "the plan's total is 19项"},
		{[]string{"results", "add", "没有这个方案", "--kind", "clues", "--amount", "2"}, exitBadInput, "the plans are 1 " + dongguanTitle},
		{[]string{"results", "没有这个方案"}, exitBadInput, "the plans are"},
	} {
		r := c.run(bad.args...)
		if r.code != bad.code || r.err == nil || !strings.Contains(r.err.Error(), bad.want) {
			t.Errorf("rectibot %s: exit %d (%v), want %d with %q", strings.Join(bad.args, " "), r.code, r.err, bad.code, bad.want)
		}
	}
	// A correction within the total is taken.
	wants(t, "a correction", c.mustRun("results", "add", "1", "--kind", "rules", "--amount", "-1", "--note", "更正"), "rules now total 18项")

	// The 通报 says it all.
	md := filepath.Join(t.TempDir(), "通报.md")
	c.mustRun("notice", "--as-of", "2021-09-14", "-o", md)
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	wants(t, "the 通报", string(text),
		"市委第六巡察组于2020年12月8日至2021年1月8日对中共东莞市委政法委员会（以下简称“市委政法委”）开展了巡察",
		"\n成立由书记任组长的巡察整改工作领导小组，统筹推进整改工作。\n",
		"目前，已完成问题整改22个；正在整改的问题3个。通过整改，共新建、修订制度18项，追回资金1.44万元。",
		"\n## 三、下一步工作计划\n",
		"请及时向我委反映。联系电话：0769-12345678；电子邮箱：zhenggai@example.cn。")
}

// TestTheNoticeOfAUnitThatIsNoPartyBody: 青禾县教育局 is named as it is —
// no 中共 in front — and its long title breaks at a word boundary in the
// .docx.
func TestTheNoticeOfAUnitThatIsNoPartyBody(t *testing.T) {
	c := newCLI(t)
	c.importUnit("县委第二巡察组反馈意见整改", "--unit", unitB, "--team", "县委第二巡察组")
	dir := t.TempDir()
	md := filepath.Join(dir, "通报.md")
	c.mustRun("notice", "--as-of", "2021-09-14", "-o", md)
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	// (The ledger's own text, Dongguan's, names 中共 bodies of its own.)
	if strings.Contains(string(text), "中共"+unitB) {
		t.Errorf("中共 put in front of %s", unitB)
	}
	wants(t, "the 通报", string(text), "# 青禾县教育局关于县委第二巡察组反馈意见整改阶段性进展情况的通报\n", "\n青禾县教育局\n\n2021年9月14日\n")

	docx := filepath.Join(dir, "通报.docx")
	c.mustRun("notice", "--as-of", "2021-09-14", "-o", docx)
	zr, err := zip.OpenReader(docx)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			if !strings.Contains(string(b), `青禾县教育局关于县委第二巡察组反馈意见</w:t></w:r><w:r><w:br/><w:t xml:space="preserve">整改阶段性进展情况的通报`) {
				t.Error("the .docx title is not broken before 整改阶段性进展情况的通报")
			}
		}
	}
}
