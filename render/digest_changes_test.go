package render

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

func TestTheCompilationListsEveryKindOfChange(t *testing.T) {
	line := ledger.TaskLine{Code: "8(2)", Title: "机关干部管理工作不够严格", Department: "政治部", Officer: "刘洋", Leader: "政治部主任",
		Status: ledger.StatusInProgress, Deadline: ledger.MustDate(2021, 11, 30), Days: 2}
	d := ledger.Digest{AsOf: ledger.MustDate(2021, 12, 2), ByStatus: map[ledger.Status]int{}, ByLight: map[ledger.Light]int{},
		Changes: &ledger.DigestChanges{
			Since:           ledger.MustDate(2021, 11, 16),
			NewProgress:     []ledger.ProgressLine{{TaskLine: line, Reports: 3}},
			DeadlineChanges: []ledger.DeadlineLine{{TaskLine: line, Old: ledger.MustDate(2021, 11, 30), New: ledger.MustDate(2022, 1, 31), Reason: "<待审定>"}},
			NewlyOverdue:    []ledger.TaskLine{line},
		}}
	zh := Digest(d, LangZh, FormatHTML)
	for _, want := range []string{"半月梳理汇总（自2021年11月16日以来）", "新销号 0 项", "新报送进展 1 项", "报送 3 次",
		"调整整改时限 1 项", "2021年11月30日 → 2022年1月31日（&lt;待审定&gt;）", "新增逾期 1 项", "已逾期 2 个工作日"} {
		if !strings.Contains(zh, want) {
			t.Errorf("the compilation lacks %q:\n%s", want, zh)
		}
	}
	if en := Digest(d, LangEn, FormatPlain); !strings.Contains(en, "Changes since 2021-11-16") || !strings.Contains(en, "3 reports") {
		t.Errorf("English compilation:\n%s", en)
	}
}
