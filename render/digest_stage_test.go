package render

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// TestDigestCountsStageDoneAsDone: a ledger started from the plan, whose
// five long-term tasks were marked 阶段性完成, reads 22 done and 3 being
// worked on, as the 通报 does; the ongoing count says how many of them are
// done at their stage.
func TestDigestCountsStageDoneAsDone(t *testing.T) {
	d := ledger.Digest{AsOf: ledger.MustDate(2021, 11, 1), Total: 25,
		ByStatus:  map[ledger.Status]int{ledger.StatusClosed: 17, ledger.StatusOngoing: 5, ledger.StatusInProgress: 3},
		StageDone: 5, ByLight: map[ledger.Light]int{ledger.LightGreen: 25},
		Departments: []ledger.DepartmentSummary{{Name: "基层社会治理科", Total: 2,
			ByStatus: map[ledger.Status]int{ledger.StatusOngoing: 1, ledger.StatusInProgress: 1}, StageDone: 1}}}
	zh := Digest(d, LangZh, FormatHTML)
	for _, want := range []string{
		"已销号 17 · 整改中 3 · 待销号 0 · 未开始 0 · 长期坚持 5（其中阶段性完成 5）",
		"已完成 22 项（含长期坚持阶段性完成 5 项），正在整改 3 项",
		"基层社会治理科 2 项：整改中 1，长期坚持 1（其中阶段性完成 1）",
	} {
		if !strings.Contains(zh, want) {
			t.Errorf("missing %q in\n%s", want, zh)
		}
	}
	en := Digest(d, LangEn, FormatPlain)
	if !strings.Contains(en, "Done: 22 (of them long-term, done at their stage: 5) · still being worked on: 3") ||
		!strings.Contains(en, "5 ongoing (stage done: 5)") {
		t.Errorf("English digest:\n%s", en)
	}
	// Without a stage-done task the line is the 通报's plain counts.
	d.StageDone, d.ByStatus, d.Departments = 0, map[ledger.Status]int{ledger.StatusClosed: 22, ledger.StatusInProgress: 3}, nil
	if zh := Digest(d, LangZh, FormatHTML); !strings.Contains(zh, "已完成 22 项，正在整改 3 项") || strings.Contains(zh, "阶段性完成") {
		t.Errorf("digest without stage done:\n%s", zh)
	}
}
