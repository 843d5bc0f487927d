package notice_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/zhtypo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestMarkdownGolden compares the report of ledger.csv as of the seed's
// date, with the plan's details and result figures as the seed gives them
// (published), with testdata/dongguan-2021-09-14.md, byte for byte. After
// an intended change: go test ./notice -run Golden -update, and read the
// diff.
func TestMarkdownGolden(t *testing.T) {
	golden(t, "dongguan-2021-09-14.md", notice.Markdown(published(t).report(reportDay, "")))
}

// TestTheReportIsInStandardPunctuation: the Dongguan 通报 and the .docx's
// text have no half-width , ; : ! ? ( ) beside Chinese text, though the
// ledger's cells have many (GB/T 15834; the ledger keeps what was entered).
func TestTheReportIsInStandardPunctuation(t *testing.T) {
	ledgerText := ""
	for _, rec := range fixtureRecords(t) {
		ledgerText += rec.category + rec.detail + rec.measures + rec.progress
	}
	if len(zhtypo.Offences(ledgerText)) == 0 {
		t.Fatal("the fixture's cells have no half-width punctuation: the test would prove nothing")
	}
	r := published(t).report(reportDay, "")
	for _, o := range zhtypo.Offences(string(notice.Markdown(r))) {
		t.Errorf("the Markdown has half-width punctuation beside Chinese: %q", o)
	}
	data, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range zhtypo.Offences(documentText(t, docxParts(t, data)["word/document.xml"])) {
		t.Errorf("the .docx has half-width punctuation beside Chinese: %q", o)
	}
}

func TestMarkdownEscapesMarkupInStandardPunctuation(t *testing.T) {
	rows := []models.LedgerRow{{TaskID: 1, Row: ledger.Row{Seq: 1, Category: "在纪律建设方面", ProblemCode: "1",
		ProblemTitle: "执行<制度>不严", Detail: "",
		Measures: []string{"# 不是标题；", "1. 不是列表,*不是强调*,[不是链接](x) `code` a_b 5|6 ~~删~~ &amp;"},
		Progress: "- 不是列表项。“引号”、（括号）保留。", Status: ledger.StatusClosed}}}
	md := string(notice.Markdown(notice.Build(models.Plan{Title: "巡察整改", Unit: "中共某局"}, rows, notice.Extra{}, reportDay)))
	for _, want := range []string{
		"# 中共某局关于巡察整改阶段性进展情况的通报\n", // 中共 is not doubled
		"## （一）在纪律建设方面\n",
		"### 1.关于“执行\\<制度\\>不严”的问题\n",
		"**整改措施**：# 不是标题；1. 不是列表，\\*不是强调\\*,\\[不是链接\\](x) \\`code\\` a\\_b 5\\|6 \\~\\~删\\~\\~ \\&amp;\n",
		"**整改情况**：- 不是列表项。“引号”、（括号）保留。\n",
		"\n2021年9月14日\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	// A paragraph that starts with a block marker is escaped.
	rows[0].Detail = "1. 第一条\n> 引用"
	rows[0].ProblemCode = "1(1)"
	md = string(notice.Markdown(notice.Build(models.Plan{Title: "巡察整改"}, rows, notice.Extra{}, reportDay)))
	if !strings.Contains(md, "\n（1）1. 第一条。\\> 引用\n") {
		t.Errorf("sub-problem line:\n%s", md)
	}
	rows[0].ProblemCode = "1"
	md = string(notice.Markdown(notice.Build(models.Plan{Title: "巡察整改"}, rows, notice.Extra{}, reportDay)))
	if !strings.Contains(md, "\n1\\. 第一条。\\> 引用\n") {
		t.Errorf("a detail paragraph starting with \"1. \" is not escaped:\n%s", md)
	}
}
