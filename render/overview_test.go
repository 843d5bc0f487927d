package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

func sampleOverview() ledger.Overview {
	asOf := ledger.MustDate(2021, 11, 1)
	return ledger.Overview{AsOf: asOf, Units: []ledger.UnitSummary{
		{UnitID: 2, Name: "乙县教育局", Tasks: 4, Done: 2, Due: 3, OnTime: 2, Overdue: 1},
		{UnitID: 1, Name: "甲县财政局", ShortName: "县<财政>局", Tasks: 7, Done: 4, Due: 4, OnTime: 2, Overdue: 1, Yellow: 1,
			AwaitingClosure: 1, DeadlineRequests: 1, LastReport: ledger.MustDate(2021, 10, 28)},
		{UnitID: 3, Name: "丙县林业局", ShortName: "县林业局", LastReport: asOf},
		{UnitID: 4},
	}}
}

func TestOverviewInChinese(t *testing.T) {
	got := Overview(sampleOverview(), LangZh, FormatHTML)
	for _, want := range []string{
		"<b>各单位整改红黄榜</b>（截至2021年11月1日）",
		"共 4 个单位，按按期完成率排名：",
		"1. 乙县教育局：按期完成率 66.7%（2/3） · 共 4 项，已完成 2 · 🔴 逾期 1 · 🟡 临期 0 · 待销号 0 · 待审核延期 0 · 尚未报送进展",
		"2. 县&lt;财政&gt;局：按期完成率 50%（2/4） · 共 7 项，已完成 4 · 🔴 逾期 1 · 🟡 临期 1 · 待销号 1 · 待审核延期 1 · 4 天前报送",
		"3. 县林业局：按期完成率 —（尚无到期事项）",
		"今日有报送",
		"4. 未命名单位（4 号）：",
		"长期坚持事项不计入",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("overview lacks %q:\n%s", want, got)
		}
	}
}

func TestOverviewInEnglishAndPlain(t *testing.T) {
	got := Overview(sampleOverview(), LangEn, FormatPlain)
	for _, want := range []string{
		"Units ranked by on-time closure (as of 2021-11-01)",
		"4 units, ranked by on-time rate:",
		"1. 乙县教育局: on time 66.7% (2/3) · tasks 4, done 2 · 🔴 overdue 1",
		"2. 县<财政>局: on time 50% (2/4)",
		"last report 4 days ago",
		"3. 县林业局: on time — (nothing due yet)",
		"reported today",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("overview lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<b>") {
		t.Errorf("plain text with tags:\n%s", got)
	}
	empty := Overview(ledger.Overview{AsOf: ledger.MustDate(2021, 11, 1)}, LangZh, FormatPlain)
	if !strings.Contains(empty, "暂无可查看的被巡察单位") {
		t.Errorf("an empty overview:\n%s", empty)
	}
}

// TestOverviewPagesKeepEveryUnitWhole: a long ranking is paged at line
// ends, each page within the limit, every unit once with its rank.
func TestOverviewPagesKeepEveryUnitWhole(t *testing.T) {
	ov := ledger.Overview{AsOf: ledger.MustDate(2021, 11, 1)}
	for i := range 300 {
		ov.Units = append(ov.Units, ledger.UnitSummary{UnitID: uint(i + 1), Name: fmt.Sprintf("第%03d号单位", i), Tasks: 25, Due: 10, OnTime: 10 - i%10})
	}
	pages := OverviewPages(ov, LangZh, FormatHTML, TelegramMaxText)
	if len(pages) < 3 {
		t.Fatalf("%d pages for 300 units", len(pages))
	}
	all := strings.Join(pages, "\n")
	for i := range 300 {
		if n := strings.Count(all, fmt.Sprintf("\n%d. 第%03d号单位：", i+1, i)); n != 1 {
			t.Fatalf("unit %d appears %d times", i, n)
		}
	}
	for i, p := range pages {
		if n := utf16Len(p); n > TelegramMaxText {
			t.Errorf("page %d is %d units long", i, n)
		}
	}
	// A slice of the ranking keeps the ranks of the whole.
	page := OverviewPage(ov, LangZh, FormatPlain, 10, 20)
	if !strings.Contains(page, "11. 第010号单位") || strings.Contains(page, "21. ") || strings.Contains(page, "\n10. ") {
		t.Errorf("units 11–20:\n%s", page)
	}
}

// TestOverviewBriefFitsOneMessage: a province's ranking in a group is its
// best 10 and its last 20 in one message, saying how many are left out
// and where the whole ranking is; a short ranking is whole.
func TestOverviewBriefFitsOneMessage(t *testing.T) {
	ov := ledger.Overview{AsOf: ledger.MustDate(2021, 11, 1)}
	for i := range 10000 {
		ov.Units = append(ov.Units, ledger.UnitSummary{UnitID: uint(i + 1), Name: fmt.Sprintf("第%05d号被巡察单位党组", i), Tasks: 25, Due: 10, OnTime: 10 - i%10})
	}
	brief := OverviewBrief(ov, LangZh, FormatHTML)
	if n := utf16Len(brief); n > TelegramMaxText {
		t.Fatalf("the brief ranking is %d units long, over one message", n)
	}
	for _, want := range []string{"共 10000 个单位", "\n1. 第00000号", "\n10. 第00009号", "……（中间 9970 个单位从略）……",
		"\n9981. 第09980号", "\n10000. 第09999号", "完整排名请私聊本助手发送 /overview 查看。"} {
		if !strings.Contains(brief, want) {
			t.Errorf("the brief ranking lacks %q:\n%s", want, brief)
		}
	}
	if strings.Contains(brief, "\n11. ") || strings.Contains(brief, "\n9980. ") {
		t.Errorf("the brief ranking shows a unit from the middle:\n%s", brief)
	}
	ov.Units = ov.Units[:30]
	if whole := OverviewBrief(ov, LangZh, FormatHTML); whole != Overview(ov, LangZh, FormatHTML) {
		t.Errorf("30 units are not shown whole:\n%s", whole)
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		rate  float64
		short bool
		want  string
	}{{2.0 / 3, true, "66.7"}, {0.5, true, "50"}, {1, false, "100"}, {999.0 / 1000, true, "99.9"}, {9999.0 / 10000, true, "99.9"}, {0, true, "0"}} {
		if got := Percent(c.rate, c.short); got != c.want {
			t.Errorf("Percent(%v) = %s, want %s", c.rate, got, c.want)
		}
	}
}
