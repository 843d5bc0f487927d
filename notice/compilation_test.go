package notice_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/zhtypo"
)

// compilation is the Dongguan ledger's half-monthly compilation of
// 2021-09-01 to 2021-11-01, after 刘洋 reported on 8(2) and 6(2)'s
// deadline moved.
func compilation(t *testing.T) notice.Compilation {
	t.Helper()
	l := importRows(t, readRows(t, "ledger.csv"))
	ctx := context.Background()
	task := func(code string) uint {
		items, err := l.store.TaskItemsByCode(ctx, code)
		if err != nil || len(items) != 1 {
			t.Fatalf("task %s: %v", code, err)
		}
		return items[0].ID
	}
	if _, err := l.store.AddProgress(ctx, models.NewProgress{TaskID: task("8(2)"), Text: "出国(境)管理制度已印发,正在组织学习。", Source: models.SourceCommand}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	if _, err := l.store.ChangeDeadline(ctx, task("6(2)"), ledger.MustDate(2022, 3, 31), "配套文件尚在征求意见", models.CLIActor); err != nil {
		t.Fatal(err)
	}
	since, asOf := ledger.MustDate(2021, 9, 1), ledger.MustDate(2021, 11, 1)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	f := models.DigestFilter{PlanID: l.plan.ID}
	d, err := l.store.Digest(ctx, f, asOf, ledger.DefaultLightThresholds)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := l.store.Changes(ctx, f, since, asOf, loc)
	if err != nil {
		t.Fatal(err)
	}
	return notice.BuildCompilation(dongguanSpec.Unit, d, ch)
}

func TestCompilationMarkdownGolden(t *testing.T) {
	golden(t, "dongguan-compilation-2021-11-01.md", notice.Markdown(compilation(t)))
}

// TestTheCompilationIsADocumentOfFourParts: the period, the rate against
// the period's start, what changed, every open task with its progress,
// why and next step, the lagging departments — in standard punctuation,
// signed by the unit.
func TestTheCompilationIsADocumentOfFourParts(t *testing.T) {
	c := compilation(t)
	md := string(notice.Markdown(c))
	wants(t, "the compilation", md,
		"# 中共东莞市委政法委员会巡察整改工作半月梳理汇总\n",
		"（2021年9月1日至2021年11月1日）",
		"## 一、总体进展", "巡察反馈问题共25项，已完成整改22项，正在整改3项，完成率88%",
		"## 二、本期进展", "### （二）新报送进展1项", "“机关干部管理工作不够严格”问题（政治部，刘洋）本期报送进展1次，最新进展：出国（境）管理制度已印发，正在组织学习。",
		"### （三）调整整改时限1项", "整改时限由2021年12月31日调整为2022年3月31日，调整原因：配套文件尚在征求意见。",
		"### （四）新增逾期1项",
		"## 三、未完成事项", "未完成原因：配套文件尚在征求意见；下一步：",
		"“部分专项资金使用存在廉政风险”问题（信息化和网格管理指导科，周杰）整改时限为2021年10月31日，已逾期；",
		"## 四、进展滞后的科室", "进展滞后的科室：信息化和网格管理指导科（逾期1项）。",
		"\n中共东莞市委政法委员会\n\n2021年11月1日\n")
	for _, want := range []string{"## 一、", "## 二、", "## 三、", "## 四、"} {
		if strings.Count(md, want) != 1 {
			t.Errorf("%q appears %d times", want, strings.Count(md, want))
		}
	}
	if i, j := strings.Index(md, "## 三、"), strings.Index(md, "## 四、"); i > j {
		t.Error("the parts are out of order")
	}
	for _, o := range zhtypo.Offences(md) {
		t.Errorf("half-width punctuation beside Chinese: %q", o)
	}
	data, err := notice.DOCX(c)
	if err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, data)
	wellFormedParts(t, parts)
	text := documentText(t, parts["word/document.xml"])
	if !strings.Contains(text, "四、进展滞后的科室") || len(zhtypo.Offences(text)) > 0 {
		t.Errorf("the .docx text: %v", zhtypo.Offences(text))
	}
}
