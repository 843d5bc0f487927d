package notice_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/zhtypo"
)

// dongguanPrincipal is an invented 第一责任人: the seed names no one.
const dongguanPrincipal = "林志强"

// rectReport builds the 整改报告 the way the command and the bot do.
func (l *ledgerDB) rectReport(asOf ledger.Date, inspection string) notice.RectReport {
	l.t.Helper()
	plan, rows, facts := l.facts()
	return notice.BuildRectReport(plan, rows, notice.Extra{Inspection: inspection, NoticeFacts: facts}, asOf)
}

// planDoc builds the 整改方案 the way the command and the bot do.
func (l *ledgerDB) planDoc(asOf ledger.Date, inspection string) notice.PlanDoc {
	l.t.Helper()
	plan, rows, facts := l.facts()
	return notice.BuildPlanDoc(plan, rows, notice.Extra{Inspection: inspection, NoticeFacts: facts}, asOf)
}

func (l *ledgerDB) facts() (models.Plan, []models.LedgerRow, models.NoticeFacts) {
	l.t.Helper()
	ctx := context.Background()
	plan, err := l.store.FindPlan(ctx, l.plan.Title)
	if err != nil {
		l.t.Fatal(err)
	}
	rows, err := l.store.LedgerRows(ctx, plan.ID)
	if err != nil {
		l.t.Fatal(err)
	}
	facts, err := l.store.NoticeFacts(ctx, plan)
	if err != nil {
		l.t.Fatal(err)
	}
	return plan, rows, facts
}

// signed is the published ledger with its 第一责任人 set.
func signed(t *testing.T) *ledgerDB {
	t.Helper()
	l := published(t)
	name := dongguanPrincipal
	if _, err := l.store.SetPlanDetails(context.Background(), l.plan.Title, models.PlanDetails{Principal: &name}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestRectReportMarkdownGolden compares the Dongguan 整改报告 as of the
// seed's date (the published ledger, its 第一责任人 set) with
// testdata/dongguan-2021-09-14-report.md. After an intended change: go
// test ./notice -run Golden -update, and read the diff.
func TestRectReportMarkdownGolden(t *testing.T) {
	golden(t, "dongguan-2021-09-14-report.md", notice.Markdown(signed(t).rectReport(reportDay, "")))
}

// reportParts splits a 整改报告's Markdown at its four ## headings.
func reportParts(t *testing.T, md string) []string {
	t.Helper()
	heads := []string{"\n## 一、整改工作开展情况\n", "\n## 二、反馈问题整改落实情况\n", "\n## 三、问题线索处置和追责问责情况\n", "\n## 四、下一步打算\n"}
	at := []int{0}
	for _, h := range heads {
		i := strings.Index(md, h)
		if i < 0 || strings.Count(md, h) != 1 {
			t.Fatalf("%q is not in the report once:\n%s", strings.TrimSpace(h), md)
		}
		if i < at[len(at)-1] {
			t.Fatalf("%q comes before the part above it", strings.TrimSpace(h))
		}
		at = append(at, i)
	}
	out := make([]string, len(at))
	for i := range at {
		end := len(md)
		if i+1 < len(at) {
			end = at[i+1]
		}
		out[i] = md[at[i]:end]
	}
	return out
}

func TestTheRectificationReportIsInFourPartsAndSigned(t *testing.T) {
	l := signed(t)
	md := string(notice.Markdown(l.rectReport(reportDay, "")))
	ps := reportParts(t, md)
	head, work, done, clues, next := ps[0], ps[1], ps[2], ps[3], ps[4]

	// The frame: the title, the team as 主送, the opening.
	wants(t, "the head", head, "# 中共东莞市委政法委员会关于市委第六巡察组反馈意见整改情况的报告\n\n市委第六巡察组：\n\n根据市委巡察工作统一部署，市委第六巡察组于2020年12月8日至2021年1月8日对中共东莞市委政法委员会（以下简称“市委政法委”）开展了巡察，并于2021年4月25日反馈了巡察意见。现将整改情况报告如下：\n")
	// 一、 as the 通报's: 组织领导, 督促检查, the counts and the result figures.
	wants(t, "一、", work, "\n我委高度重视巡察整改工作，", "\n坚持把督促检查贯穿整改全过程，",
		"\n目前，已完成问题整改22个；正在整改的问题3个。通过整改，共新建、修订制度19项，追回资金1.44万元。\n")
	// 二、: every problem with its measures and progress.
	wants(t, "二、", done, "\n### （一）在政治建设有待进一步加强，党建工作不够扎实方面\n", "\n#### 1.关于“理论学习不够深入”的问题\n",
		"\n### （五）立行立改问题\n", "\n#### 15.关于部分专项资金使用存在廉政风险的问题（立行立改四）\n")
	for _, rec := range fixtureRecords(t) {
		if !strings.Contains(flat(done), zhtypo.Punctuate(flat(rec.measures))) || !strings.Contains(flat(done), zhtypo.Punctuate(flat(rec.progress))) {
			t.Errorf("%s: measures or progress missing from 二、", rec.code)
		}
	}
	// 三、: what the ledger holds, which is nothing yet.
	wants(t, "三、 without figures", clues, "\n截至2021年9月14日，暂无移交问题线索和追责问责情况。\n")
	// 四、: the unfinished items as the 通报's, a commitment, 特此报告.
	wants(t, "四、", next, "\n截至2021年9月14日，尚有3个问题正在整改，具体情况和下一步工作计划如下：\n",
		"\n1.关于“共建共治共享社会治理配套文件出台较慢”的问题。目前进展：", "\n3.关于部分专项资金使用存在廉政风险的问题（立行立改四）。",
		"\n今后，我委将自觉接受监督，", "\n特此报告。\n")
	// The signature block closes it: the unit, the date, the 第一责任人.
	if !strings.HasSuffix(md, "\n特此报告。\n\n中共东莞市委政法委员会\n\n2021年9月14日\n\n第一责任人：林志强（签字）\n") {
		t.Errorf("the report does not end in its signature block:\n%s", md[len(md)-300:])
	}
	if strings.Contains(md, "监督。如有意见建议") {
		t.Error("the 整改报告 to the team carries the 通报's invitation to the public")
	}

	// Figures entered: the clues and the people held accountable, summed.
	ctx := context.Background()
	for _, r := range []models.NewResult{
		{Kind: models.ResultClues, Amount: 100, Note: "移交市纪委监委"},
		{Kind: models.ResultClues, Amount: 100, TaskCode: "立行立改四"},
		{Kind: models.ResultAccountability, Amount: 300, Note: "诫勉谈话"},
	} {
		r.PlanID = l.plan.ID
		if _, err := l.store.AddResult(ctx, r, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	rr := l.rectReport(reportDay, "")
	if got, want := rr.CluesSentence(), "截至2021年9月14日，移交问题线索2件，问责3人。"; got != want {
		t.Errorf("三、 reads %q, want %q", got, want)
	}
	wants(t, "三、 with figures", reportParts(t, string(notice.Markdown(rr)))[3], "\n截至2021年9月14日，移交问题线索2件，问责3人。\n")
	// One kind only: the other is said to be none.
	rr.Results = []models.ResultTotal{{Kind: models.ResultClues, Amount: 200}}
	if got, want := rr.CluesSentence(), "截至2021年9月14日，移交问题线索2件；暂无追责问责情况。"; got != want {
		t.Errorf("clues only: %q, want %q", got, want)
	}
	rr.Results = []models.ResultTotal{{Kind: models.ResultAccountability, Amount: 100}}
	if got, want := rr.CluesSentence(), "截至2021年9月14日，暂无移交问题线索；问责1人。"; got != want {
		t.Errorf("accountability only: %q, want %q", got, want)
	}
}

func TestARectReportWithoutPrincipalLeavesRoomToSign(t *testing.T) {
	l := published(t)
	md := string(notice.Markdown(l.rectReport(reportDay, "十四届市委第十二轮巡察")))
	wants(t, "the report", md, "# 中共东莞市委政法委员会关于十四届市委第十二轮巡察整改情况的报告\n")
	if !strings.HasSuffix(md, "\n2021年9月14日\n\n第一责任人：　　　　（签字）\n") {
		t.Errorf("no blank 第一责任人 line:\n%s", md[len(md)-200:])
	}
	// A plan without a team or unit still reads.
	r := notice.BuildRectReport(models.Plan{Title: "巡察整改", Unit: "青禾县教育局"}, nil, notice.Extra{}, reportDay)
	md = string(notice.Markdown(r))
	wants(t, "a bare plan", md, "# 青禾县教育局关于巡察整改情况的报告\n\n巡察组：\n", "巡察反馈的问题已全部完成整改。", "\n青禾县教育局\n\n2021年9月14日\n\n第一责任人：")
}

func TestTheRectReportDOCXIsSignedAndAddressed(t *testing.T) {
	data, err := notice.DOCX(signed(t).rectReport(reportDay, ""))
	if err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, data)
	wellFormedParts(t, parts)
	ps := docxParagraphs(t, parts["word/document.xml"])
	if ps[1].text != "市委第六巡察组：" || ps[1].style != "Addressee" {
		t.Errorf("the 主送 line is %+v", ps[1])
	}
	style := map[string]string{}
	for _, p := range ps {
		style[p.text] = p.style
	}
	for _, h := range []string{"一、整改工作开展情况", "二、反馈问题整改落实情况", "三、问题线索处置和追责问责情况", "四、下一步打算"} {
		if style[h] != "Heading1" {
			t.Errorf("%s: style %q, want Heading1", h, style[h])
		}
	}
	sig, date, principal := ps[len(ps)-3], ps[len(ps)-2], ps[len(ps)-1]
	if sig.text != "中共东莞市委政法委员会" || sig.style != "Signature" || date.text != "2021年9月14日" ||
		principal.text != "第一责任人：林志强（签字）" || principal.right != "640" {
		t.Errorf("signature block %+v / %+v / %+v", sig, date, principal)
	}
	if !strings.Contains(string(parts["word/styles.xml"]), `w:styleId="Addressee"`) {
		t.Error("styles.xml has no Addressee style")
	}
	if !strings.Contains(string(parts["docProps/core.xml"]), "<dc:title>中共东莞市委政法委员会关于市委第六巡察组反馈意见整改情况的报告</dc:title>") {
		t.Errorf("core.xml: %s", parts["docProps/core.xml"])
	}
}

// TestTheReportAndPlanAreInStandardPunctuation: the 整改报告 and the 整改方案
// — the tables' cells included — have no half-width punctuation beside
// Chinese, in Markdown and in the .docx, though the ledger's cells have
// plenty.
func TestTheReportAndPlanAreInStandardPunctuation(t *testing.T) {
	l := signed(t)
	for _, d := range []notice.Document{l.rectReport(reportDay, ""), l.planDoc(reportDay, "")} {
		md := string(notice.Markdown(d))
		for _, o := range zhtypo.Offences(md) {
			t.Errorf("the Markdown has half-width punctuation beside Chinese: %q", o)
		}
		data, err := notice.DOCX(d)
		if err != nil {
			t.Fatal(err)
		}
		text := documentText(t, docxParts(t, data)["word/document.xml"])
		if !strings.Contains(text, "政治建设有待进一步加强，党建工作不够扎实") {
			t.Fatalf("the .docx lacks the first category in standard punctuation:\n%s", text)
		}
		for _, o := range zhtypo.Offences(text) {
			t.Errorf("the .docx has half-width punctuation beside Chinese: %q", o)
		}
	}
}
