package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// qingheLedger is a small 台账 of a second unit: one task a fortnight
// late, one closed (imported: on time).
const qingheLedger = `序号,问题类别,问题编号,问题,具体问题,整改措施,责任领导,责任科室,责任人,整改时限,整改状态,整改情况
1,党的建设,1,校园安全制度落实不到位,,一是修订制度。,分管副局长,办公室,张伟,2021-10-15,整改中,
2,党的建设,2,经费管理不规范,,一是完善制度。,分管副局长,办公室,张伟,2021-12-31,已完成,
`

func TestOverviewRanksTheUnits(t *testing.T) {
	c := newCLI(t)
	c.importUnit("市委第六巡察组反馈意见整改", "--unit", unitA, "--unit-short", "市委政法委")
	path := filepath.Join(t.TempDir(), "qinghe.csv")
	if err := os.WriteFile(path, []byte(qingheLedger), 0o600); err != nil {
		t.Fatal(err)
	}
	c.mustRun("import", path, "--plan-title", "青禾县教育局整改方案", "--unit", unitB)

	out := c.mustRun("overview", "--as-of", "2021-11-01")
	wants(t, "overview", out, "各单位整改红黄榜（截至2021年11月1日）", "共 2 个单位",
		// Dongguan: 17 imported closures on time, 立行立改四 a day late.
		"1. 市委政法委：按期完成率 94.4%（17/18） · 共 25 项，已完成 22 · 🔴 逾期 1 · 🟡 临期 0 · 待销号 0 · 待审核延期 0 · 尚未报送进展",
		"2. 青禾县教育局：按期完成率 50%（1/2） · 共 2 项，已完成 1 · 🔴 逾期 1",
		"长期坚持事项不计入")
	if strings.ContainsAny(out, "<>") {
		t.Errorf("the command-line overview carries HTML:\n%s", out)
	}
	// On 09-14 nothing of Dongguan's open tasks was late yet.
	wants(t, "overview of 09-14", c.mustRun("overview", "--as-of", "2021-09-14", "--lang", "en"),
		"Units ranked by on-time closure (as of 2021-09-14)", "2 units",
		"1. 市委政法委: on time 100% (17/17) · tasks 25, done 22 · 🔴 overdue 0", "2. 青禾县教育局: on time 100% (1/1)")

	for _, args := range [][]string{{"overview", "--as-of", "11/01"}, {"overview", "--lang", "fr"}, {"overview", "x"}} {
		if r := c.run(args...); r.code != exitUsage {
			t.Errorf("rectibot %s: exit %d", strings.Join(args, " "), r.code)
		}
	}
}
