package ledger

import "testing"

func TestTaskCodesAndTitles(t *testing.T) {
	cases := []struct{ code, number, problem, detail, title string }{
		{"6(2)", "6", "社会治理", "“执行‘三重一大’制度有偏差”。", "执行‘三重一大’制度有偏差"},
		{"8(2)", "8", "队伍建设", "机关干部管理工作不够严格。", "机关干部管理工作不够严格"},
		{"10", "10", "预算执行监控不到位", "", "预算执行监控不到位"},
		// 立行立改四 has a paragraph of facts as its 具体问题: the title stays the problem's.
		{"立行立改四", "立行立改四", "部分专项资金使用存在廉政风险", "2019年以来,…", "部分专项资金使用存在廉政风险"},
		{"7(1)", "7", "x", "  ", "x"},
	}
	for _, c := range cases {
		if got := ProblemNumber(c.code); got != c.number {
			t.Errorf("ProblemNumber(%q) = %q, want %q", c.code, got, c.number)
		}
		if got := TaskTitle(c.code, c.problem, c.detail); got != c.title {
			t.Errorf("TaskTitle(%q) = %q, want %q", c.code, got, c.title)
		}
	}
}
