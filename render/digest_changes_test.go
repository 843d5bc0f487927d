package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

func compilationFixture() ledger.Digest {
	line := ledger.TaskLine{Code: "8(2)", Title: "机关干部管理工作不够严格", Department: "政治部", Officer: "刘洋", Leader: "政治部主任",
		Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 11, 30), Days: 2}
	late := ledger.TaskLine{Code: "立行立改四", Title: "部分专项资金使用存在廉政风险", Department: "信息化和网格管理指导科", Officer: "周杰",
		Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 10, 31)}
	return ledger.Digest{AsOf: ledger.MustDate(2021, 12, 2), Total: 25,
		ByStatus: map[ledger.Status]int{ledger.StatusClosed: 23, ledger.StatusInProgress: 2}, ByLight: map[ledger.Light]int{ledger.LightRed: 2},
		Departments: []ledger.DepartmentSummary{
			{Name: "信息化和网格管理指导科", Total: 3, ByLight: map[ledger.Light]int{ledger.LightRed: 1}},
			{Name: "政治部", Total: 3, ByLight: map[ledger.Light]int{ledger.LightRed: 1}},
			{Name: "委机关办公室", Total: 8, ByLight: map[ledger.Light]int{ledger.LightGreen: 8}},
		},
		Changes: &ledger.DigestChanges{
			Since: ledger.MustDate(2021, 11, 16), AsOf: ledger.MustDate(2021, 12, 2), DoneAtSince: 22,
			NewlyClosed:     []ledger.TaskLine{{Code: "6(2)", Title: "共建共治共享社会治理配套文件出台较慢", Department: "基层社会治理科", Officer: "黄敏"}},
			NewProgress:     []ledger.ProgressLine{{TaskLine: line, Reports: 3, Latest: "干部管理制度修订稿\n已起草完毕，正在征求意见。"}},
			DeadlineChanges: []ledger.DeadlineLine{{TaskLine: line, Old: ledger.MustDate(2021, 11, 30), New: ledger.MustDate(2022, 1, 31), Reason: "<待审定>"}},
			NewlyOverdue:    []ledger.TaskLine{line},
			Open: []ledger.OpenLine{
				{TaskLine: late, Latest: "7份合同已执行完毕。", NextStep: "督促合同执行"},
				{TaskLine: line, Latest: "干部管理制度修订稿已起草完毕，正在征求意见。", Reason: "需提交党组会审定", NextStep: "三是开展自查。"},
			},
		}}
}

// TestTheCompilationSaysWhatChangedAndWhatIsLeft: the half-monthly
// compilation names its period in Chinese dates, compares the completion
// rate with the period's start, quotes the latest report, lists every
// task still open with its progress, why it is not done and the next
// step, and names the departments lagging behind.
func TestTheCompilationSaysWhatChangedAndWhatIsLeft(t *testing.T) {
	d := compilationFixture()
	zh := Digest(d, LangZh, FormatHTML)
	for _, want := range []string{
		"半月梳理汇总（2021年11月16日至2021年12月2日）",
		"完成率 92%（23/25），较上期（2021年11月16日）的 88% 提高 4 个百分点。",
		"新销号 1 项", "✅ 6(2) 共建共治共享社会治理配套文件出台较慢 — 基层社会治理科 黄敏",
		"新报送进展 1 项", "，报送 3 次：“干部管理制度修订稿 已起草完毕，正在征求意见。”",
		"调整整改时限 1 项", "2021年11月30日 → 2022年1月31日（&lt;待审定&gt;）", "新增逾期 1 项", "已逾期 2 个工作日",
		"未完成事项 2 项",
		"🔴 立行立改四 部分专项资金使用存在廉政风险 — 信息化和网格管理指导科 周杰\n　目前进展：7份合同已执行完毕；下一步：督促合同执行。",
		"　目前进展：干部管理制度修订稿已起草完毕，正在征求意见；未完成原因：需提交党组会审定；下一步：三是开展自查。",
		"进展滞后的科室：信息化和网格管理指导科（逾期 1 项），政治部（逾期 1 项）。",
	} {
		if !strings.Contains(zh, want) {
			t.Errorf("the compilation lacks %q:\n%s", want, zh)
		}
	}
	if strings.Contains(zh, "委机关办公室（") {
		t.Errorf("a department with nothing overdue is named lagging:\n%s", zh)
	}
	en := Digest(d, LangEn, FormatPlain)
	for _, want := range []string{"Half-monthly compilation, 2021-11-16 to 2021-12-02", "up 4 points from 88% on 2021-11-16", "3 reports",
		"Still open: 2", "why not done: 需提交党组会审定", "Lagging departments: 信息化和网格管理指导科 (1 overdue)"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English compilation lacks %q:\n%s", want, en)
		}
	}
}

// TestTheCompilationOfAQuietPeriod: nothing changed and nothing is late —
// the lists say 0, the rate is as before, no department lags.
func TestTheCompilationOfAQuietPeriod(t *testing.T) {
	d := ledger.Digest{AsOf: ledger.MustDate(2021, 12, 2), Total: 4, ByStatus: map[ledger.Status]int{ledger.StatusClosed: 4}, ByLight: map[ledger.Light]int{},
		Changes: &ledger.DigestChanges{Since: ledger.MustDate(2021, 11, 16), AsOf: ledger.MustDate(2021, 12, 2), DoneAtSince: 4}}
	zh := Digest(d, LangZh, FormatHTML)
	for _, want := range []string{"与上期（2021年11月16日）持平", "新销号 0 项", "新报送进展 0 项", "未完成事项 0 项", "进展滞后的科室：无（暂无逾期事项）。"} {
		if !strings.Contains(zh, want) {
			t.Errorf("a quiet compilation lacks %q:\n%s", want, zh)
		}
	}
}

// TestTheCompilationListsAtMostTwentyOpenTasks: a filter over many units
// lists the first 20 open tasks and says how many more there are.
func TestTheCompilationListsAtMostTwentyOpenTasks(t *testing.T) {
	d := compilationFixture()
	d.Changes.Open = nil
	for i := range 45 {
		d.Changes.Open = append(d.Changes.Open, ledger.OpenLine{TaskLine: ledger.TaskLine{Code: fmt.Sprint(i + 1), Title: "问题"}})
	}
	zh := Digest(d, LangZh, FormatHTML)
	if !strings.Contains(zh, "未完成事项 45 项") || !strings.Contains(zh, "……另有 25 项未列出") || strings.Contains(zh, "⏳ 21 问题") {
		t.Errorf("45 open tasks:\n%s", zh)
	}
}
