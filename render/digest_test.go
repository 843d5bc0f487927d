package render

import (
	"regexp"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// sampleDigest is the Dongguan ledger as of 2021-11-01 (fixture README):
// 22 closed, 3 in progress, 立行立改四 one day overdue.
func sampleDigest() ledger.Digest {
	return ledger.Digest{
		AsOf:      ledger.MustDate(2021, 11, 1),
		PlanTitle: "市委第六巡察组反馈意见整改",
		Total:     25,
		ByStatus:  map[ledger.Status]int{ledger.StatusClosed: 22, ledger.StatusInProgress: 3},
		ByLight:   map[ledger.Light]int{ledger.LightRed: 1, ledger.LightYellow: 1, ledger.LightGreen: 23},
		Overdue:   1,
		Departments: []ledger.DepartmentSummary{
			{Name: "委机关办公室", Total: 8, ByStatus: map[ledger.Status]int{ledger.StatusClosed: 8}, ByLight: map[ledger.Light]int{ledger.LightGreen: 8}},
			{Name: "政治部", Total: 3, ByStatus: map[ledger.Status]int{ledger.StatusClosed: 2, ledger.StatusInProgress: 1},
				ByLight: map[ledger.Light]int{ledger.LightGreen: 2, ledger.LightYellow: 1}},
			{Name: "信息化和网格管理指导科", Total: 3, ByStatus: map[ledger.Status]int{ledger.StatusClosed: 2, ledger.StatusInProgress: 1},
				ByLight: map[ledger.Light]int{ledger.LightGreen: 2, ledger.LightRed: 1}},
		},
		OverdueList: []ledger.TaskLine{{
			Code: "立行立改四", Title: "部分专项资金使用存在廉政风险", Department: "信息化和网格管理指导科",
			Officer: "周杰", Leader: "分管社会治理副书记", Status: ledger.StatusInProgress,
			Deadline: ledger.MustDate(2021, 10, 31), Days: 1,
		}},
		DueSoon: []ledger.TaskLine{{
			Code: "8(2)", Title: "机关干部管理工作不够严格", Department: "政治部",
			Officer: "刘洋", Leader: "政治部主任", Status: ledger.StatusPendingVerification,
			Deadline: ledger.MustDate(2021, 11, 5), Days: 4,
		}},
	}
}

func TestDigestChinese(t *testing.T) {
	got := Digest(sampleDigest(), LangZh, FormatHTML)
	for _, want := range []string{
		"<b>整改进展汇总</b>（截至2021年11月1日）",
		"市委第六巡察组反馈意见整改",
		"共 25 项：已销号 22 · 整改中 3 · 待销号 0 · 未开始 0 · 长期坚持 0",
		"🔴 红灯 1 · 🟡 黄灯 1 · 🟢 绿灯 23 · 逾期 1",
		"<b>各责任科室</b>",
		"委机关办公室 8 项：已销号 8 · 🔴0 🟡0",
		"政治部 3 项：已销号 2，整改中 1 · 🔴0 🟡1",
		"<b>逾期事项</b>（1）",
		"🔴 立行立改四 部分专项资金使用存在廉政风险 — 信息化和网格管理指导科 周杰（责任领导：分管社会治理副书记），已逾期 1 个工作日",
		"<b>即将到期</b>（1）",
		"🟡 8(2) 机关干部管理工作不够严格【待销号】 — 政治部 刘洋（责任领导：政治部主任），距整改时限 4 天（2021年11月5日）",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	// Departments keep the order given.
	if strings.Index(got, "委机关办公室") > strings.Index(got, "政治部 3 项") {
		t.Error("departments reordered")
	}
}

func TestDigestEnglish(t *testing.T) {
	got := Digest(sampleDigest(), LangEn, FormatHTML)
	for _, want := range []string{
		"<b>Rectification progress</b> (as of 2021-11-01)",
		"25 tasks: 22 closed · 3 in progress · 0 pending verification · 0 not started · 0 ongoing",
		"🔴 1 red · 🟡 1 yellow · 🟢 23 green · 1 overdue",
		"<b>By department</b>",
		"政治部: 3 tasks (2 closed, 1 in progress) · 🔴0 🟡1",
		"<b>Overdue</b> (1)",
		"🔴 立行立改四 部分专项资金使用存在廉政风险 — 信息化和网格管理指导科 周杰 (leader: 分管社会治理副书记), 1 working day overdue",
		"🟡 8(2) 机关干部管理工作不够严格 [pending verification] — 政治部 刘洋 (leader: 政治部主任), 4 days left (2021-11-05)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

func TestDigestEmptyLists(t *testing.T) {
	d := ledger.Digest{AsOf: ledger.MustDate(2021, 9, 14), Department: "政治部", Total: 1,
		ByStatus: map[ledger.Status]int{ledger.StatusClosed: 1}, ByLight: map[ledger.Light]int{ledger.LightGreen: 1}}
	zh := Digest(d, LangZh, FormatPlain)
	for _, want := range []string{"全部整改方案 · 政治部", "共 1 项：已销号 1", "逾期事项（0）\n无逾期事项", "无即将到期事项"} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh missing %q in\n%s", want, zh)
		}
	}
	en := Digest(d, LangEn, FormatPlain)
	for _, want := range []string{"All rectification plans · 政治部", "1 task: 1 closed", "No overdue tasks", "Nothing due soon"} {
		if !strings.Contains(en, want) {
			t.Errorf("en missing %q in\n%s", want, en)
		}
	}
	if strings.Contains(zh, "各责任科室") {
		t.Error("department heading without departments")
	}
}

func TestDigestEscapesHTML(t *testing.T) {
	d := sampleDigest()
	d.PlanTitle = "A&B <plan>"
	d.OverdueList[0].Title = "<script>alert(1)</script>&"
	d.OverdueList[0].Officer = "<i>周</i>"
	html := Digest(d, LangZh, FormatHTML)
	if strings.Contains(html, "<script>") || strings.Contains(html, "<i>") || strings.Contains(html, "<plan>") {
		t.Errorf("unescaped user text:\n%s", html)
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;&amp;", "A&amp;B &lt;plan&gt;", "&lt;i&gt;周&lt;/i&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The only tags are the headings' <b>.
	for _, tag := range regexp.MustCompile(`</?[a-z]+>`).FindAllString(html, -1) {
		if tag != "<b>" && tag != "</b>" {
			t.Errorf("unexpected tag %q", tag)
		}
	}

	plain := Digest(d, LangZh, FormatPlain)
	if strings.Contains(plain, "<b>") || strings.Contains(plain, "&lt;") || strings.Contains(plain, "&amp;") {
		t.Errorf("plain has markup or entities:\n%s", plain)
	}
	if !strings.Contains(plain, "<script>alert(1)</script>&") {
		t.Error("plain should keep the title as written")
	}
}

func TestDigestTruncatesTitles(t *testing.T) {
	d := sampleDigest()
	long := strings.Repeat("长", 35) + "&<" + strings.Repeat("题", 20)
	d.OverdueList[0].Title = long
	got := Digest(d, LangZh, FormatHTML)
	want := strings.Repeat("长", 35) + "&amp;&lt;" + strings.Repeat("题", 2) + "…"
	if !strings.Contains(got, " "+want+" — ") {
		t.Errorf("want truncated title %q in\n%s", want, got)
	}
	if truncateRunes("短标题", 40) != "短标题" || truncateRunes("abcdef", 4) != "abc…" {
		t.Error("truncateRunes")
	}
}
