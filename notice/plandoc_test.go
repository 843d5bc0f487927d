package notice_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
)

// TestPlanMarkdownGolden compares the Dongguan 整改方案 with
// testdata/dongguan-2021-09-14-plan.md. After an intended change: go test
// ./notice -run Golden -update, and read the diff.
func TestPlanMarkdownGolden(t *testing.T) {
	golden(t, "dongguan-2021-09-14-plan.md", notice.Markdown(published(t).planDoc(reportDay, "")))
}

// mdTable is the pipe table under the heading (### （一）问题清单): its
// header cells and its rows' cells, split at unescaped pipes.
func mdTable(t *testing.T, md, heading string) (header []string, rows [][]string) {
	t.Helper()
	i := strings.Index(md, "\n### "+heading+"\n\n")
	if i < 0 {
		t.Fatalf("no %s:\n%s", heading, md)
	}
	lines := strings.Split(md[i+len("\n### "+heading+"\n\n"):], "\n")
	var table [][]string
	for _, l := range lines {
		if !strings.HasPrefix(l, "|") {
			break
		}
		table = append(table, cells(l))
	}
	if len(table) < 2 || strings.Join(table[1], "") != strings.Repeat("---", len(table[0])) {
		t.Fatalf("%s is not a pipe table: %q", heading, table)
	}
	for j, r := range table[2:] {
		if len(r) != len(table[0]) {
			t.Errorf("%s row %d has %d cells, the header %d: %q", heading, j+1, len(r), len(table[0]), r)
		}
	}
	return table[0], table[2:]
}

// cells splits a pipe-table line at the pipes not escaped.
var unescapedPipe = regexp.MustCompile(`(^|[^\\])\|`)

func cells(line string) []string {
	line = strings.TrimSpace(line)
	var out []string
	last := 0
	for _, m := range unescapedPipe.FindAllStringIndex(line, -1) {
		at := m[1] - 1
		if at > 0 {
			out = append(out, strings.TrimSpace(line[last:at]))
		}
		last = at + 1
	}
	return out
}

func TestThePlanHasItsThreeLists(t *testing.T) {
	l := published(t)
	// An approved extension is news for the 通报, not the plan: the 任务清单
	// keeps the deadline the plan set.
	if _, err := l.store.ChangeDeadline(context.Background(), l.taskID("6(2)"), ledger.MustDate(2022, 6, 30), "尚有2份配套文件处于征求意见阶段。", models.CLIActor); err != nil {
		t.Fatal(err)
	}
	md := string(notice.Markdown(l.planDoc(reportDay, "")))
	wants(t, "the plan", md, "# 中共东莞市委政法委员会关于市委第六巡察组反馈意见的整改方案\n",
		"\n根据市委巡察工作统一部署，市委第六巡察组于2020年12月8日至2021年1月8日对中共东莞市委政法委员会（以下简称“市委政法委”）开展了巡察，并于2021年4月25日反馈了巡察意见。为抓好巡察反馈问题的整改落实，结合实际，制定本方案。\n",
		"\n## 一、整改目标\n\n我委对照巡察反馈的25个问题，逐项明确整改措施、",
		"\n## 二、整改清单\n", "\n中共东莞市委政法委员会\n\n2021年9月14日\n")
	order := []string{"## 一、整改目标", "## 二、整改清单", "### （一）问题清单", "### （二）任务清单", "### （三）责任清单", "\n中共东莞市委政法委员会\n"}
	for i := 1; i < len(order); i++ {
		if strings.Index(md, order[i-1]) > strings.Index(md, order[i]) {
			t.Errorf("%q comes after %q", order[i-1], order[i])
		}
	}

	recs := fixtureRecords(t)
	byCode := map[string]int{}
	for i, r := range recs {
		byCode[r.code] = i
	}
	for _, list := range []struct {
		heading string
		header  []string
	}{
		{"（一）问题清单", []string{"序号", "问题类别", "问题", "具体问题"}},
		{"（二）任务清单", []string{"序号", "问题", "整改措施", "整改时限"}},
		{"（三）责任清单", []string{"序号", "问题", "责任领导", "责任科室", "责任人"}},
	} {
		header, rows := mdTable(t, md, list.heading)
		if strings.Join(header, "|") != strings.Join(list.header, "|") {
			t.Errorf("%s header %q, want %q", list.heading, header, list.header)
		}
		if len(rows) != 25 {
			t.Fatalf("%s has %d rows, want 25", list.heading, len(rows))
		}
		for i, r := range rows {
			if r[0] != strconv.Itoa(i+1) {
				t.Errorf("%s row %d is numbered %q", list.heading, i+1, r[0])
			}
		}
	}

	_, problems := mdTable(t, md, "（一）问题清单")
	wants(t, "问题清单 row 1", strings.Join(problems[0], "|"), "1|政治建设有待进一步加强，党建工作不够扎实|理论学习不够深入|")
	wants(t, "问题清单 6(2)", strings.Join(problems[byCode["6(2)"]], "|"), "|一些重要工作的推动仍有差距|共建共治共享社会治理配套文件出台较慢。")
	wants(t, "问题清单 立行立改四", strings.Join(problems[byCode["立行立改四"]], "|"), "|立行立改|部分专项资金使用存在廉政风险|2016-2019年，市委政法委与4个公司签订8份合同")

	_, tasks := mdTable(t, md, "（二）任务清单")
	for code, deadline := range map[string]string{"6(2)": "2021年12月31日", "3": "长期坚持", "立行立改六": "2021年8月31日", "2": "2021年6月30日"} {
		if got := tasks[byCode[code]][3]; got != deadline {
			t.Errorf("任务清单 %s: 整改时限 %q, want %q", code, got, deadline)
		}
	}
	if m := tasks[byCode["1"]][2]; !strings.HasPrefix(m, "一是制定委机关理论学习中心组学习计划") || !strings.Contains(m, "三是强化理论学习宣传。") {
		t.Errorf("任务清单 1: 整改措施 %q", m)
	}

	// A sub-problem quoted whole is named without its quotes, and its
	// inner ‘’ become the outer “”.
	if got := tasks[byCode["7(2)"]][1]; got != "执行“三重一大”制度有偏差" {
		t.Errorf("任务清单 7(2) is named %q", got)
	}

	_, duties := mdTable(t, md, "（三）责任清单")
	if got := strings.Join(duties[byCode["立行立改四"]][2:], "|"); got != "分管社会治理副书记|信息化和网格管理指导科|周杰" {
		t.Errorf("责任清单 立行立改四: %q", got)
	}
	if got := strings.Join(duties[byCode["1"]][2:], "|"); got != "书记|机关党委|王芳" {
		t.Errorf("责任清单 1: %q", got)
	}

	// Another inspection named: 反馈意见 is added once.
	md = string(notice.Markdown(l.planDoc(reportDay, "十四届市委第十二轮巡察")))
	wants(t, "named inspection", md, "# 中共东莞市委政法委员会关于十四届市委第十二轮巡察反馈意见的整改方案\n")
}

func TestPlanTableCellsEscapePipesAndMarkup(t *testing.T) {
	rows := []models.LedgerRow{{TaskID: 1, Row: ledger.Row{Seq: 1, Category: "纪律建设", ProblemCode: "1",
		ProblemTitle: "台账A|B不一致", Measures: []string{"一是核对A|B两套数据;", "二是*逐项*整改。"},
		Leader: "副局长", Department: "办公室", Officer: "李四", Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)}}}}
	md := string(notice.Markdown(notice.BuildPlanDoc(models.Plan{Title: "县委第二巡察组反馈意见整改", Unit: "青禾县教育局", Team: "县委第二巡察组"}, rows, notice.Extra{}, reportDay)))
	wants(t, "the plan", md, "# 青禾县教育局关于县委第二巡察组反馈意见的整改方案\n",
		"| 1 | 纪律建设 | 台账A\\|B不一致 |  |\n",
		"| 1 | 台账A\\|B不一致 | 一是核对A\\|B两套数据；二是\\*逐项\\*整改。 | 2021年12月31日 |\n",
		"| 1 | 台账A\\|B不一致 | 副局长 | 办公室 | 李四 |\n")
	for _, h := range []string{"（一）问题清单", "（二）任务清单", "（三）责任清单"} {
		if _, rows := mdTable(t, md, h); len(rows) != 1 {
			t.Errorf("%s: %d rows", h, len(rows))
		}
	}
}

func TestThePlanDOCXHasTablesWithRepeatedHeaders(t *testing.T) {
	data, err := notice.DOCX(published(t).planDoc(reportDay, ""))
	if err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, data)
	wellFormedParts(t, parts)
	doc := string(parts["word/document.xml"])
	tables := regexp.MustCompile(`(?s)<w:tbl>.*?</w:tbl>`).FindAllString(doc, -1)
	if len(tables) != 3 {
		t.Fatalf("%d tables, want 3", len(tables))
	}
	headers := [][]string{{"序号", "问题类别", "问题", "具体问题"}, {"序号", "问题", "整改措施", "整改时限"}, {"序号", "问题", "责任领导", "责任科室", "责任人"}}
	for i, tbl := range tables {
		rows := regexp.MustCompile(`(?s)<w:tr>.*?</w:tr>`).FindAllString(tbl, -1)
		if len(rows) != 26 {
			t.Errorf("table %d has %d rows, want a header and 25", i+1, len(rows))
		}
		// The header row repeats on every page; no other row is marked.
		if strings.Count(tbl, "<w:tblHeader/>") != 1 || !strings.Contains(rows[0], "<w:tblHeader/>") {
			t.Errorf("table %d: the header row is not the one marked w:tblHeader", i+1)
		}
		for _, h := range headers[i] {
			if !strings.Contains(rows[0], ">"+h+"</w:t>") {
				t.Errorf("table %d's header lacks %s", i+1, h)
			}
		}
		if !strings.Contains(rows[0], `w:eastAsia="黑体"`) || !strings.Contains(tbl, `<w:sz w:val="28"/>`) {
			t.Errorf("table %d: the header is not 黑体 or the text not 四号", i+1)
		}
		for _, b := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			if !strings.Contains(tbl, "<w:"+b+` w:val="single"`) {
				t.Errorf("table %d has no %s border", i+1, b)
			}
		}
		// The columns fill the type area: A4 less the margins.
		sum := 0
		for _, m := range regexp.MustCompile(`<w:gridCol w:w="(\d+)"/>`).FindAllStringSubmatch(tbl, -1) {
			n, _ := strconv.Atoi(m[1])
			sum += n
		}
		if sum != 11906-1587-1474 {
			t.Errorf("table %d is %d twips wide", i+1, sum)
		}
	}
	// Each table comes after its heading, and the signature after the last.
	ps := docxParagraphs(t, parts["word/document.xml"])
	if sig := ps[len(ps)-2]; sig.text != "中共东莞市委政法委员会" || sig.style != "Signature" {
		t.Errorf("the plan ends in %+v", sig)
	}
	text := documentText(t, parts["word/document.xml"])
	wants(t, "the .docx", text, "（二）任务清单\n序号\n问题\n整改措施\n整改时限\n1\n理论学习不够深入\n一是制定委机关理论学习中心组学习计划",
		"信息化和网格管理指导科\n周杰\n")
}
