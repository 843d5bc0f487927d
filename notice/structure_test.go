package notice_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/zhtypo"
)

// parts splits a report's Markdown at its three ## headings: what comes
// before 一、, and each part's text up to the next.
func parts(t *testing.T, md string) (opening, work, done, next string) {
	t.Helper()
	heads := []string{"\n## 一、整改工作开展情况\n", "\n## 二、整改落实情况\n", "\n## 三、下一步工作计划\n"}
	var at []int
	for _, h := range heads {
		i := strings.Index(md, h)
		if i < 0 || strings.Count(md, h) != 1 {
			t.Fatalf("%q is not in the report once:\n%s", strings.TrimSpace(h), md)
		}
		if len(at) > 0 && i < at[len(at)-1] {
			t.Fatalf("%q comes before the part above it", strings.TrimSpace(h))
		}
		at = append(at, i)
	}
	return md[:at[0]], md[at[0]:at[1]], md[at[1]:at[2]], md[at[2]:]
}

func TestTheReportIsInTheSeedsThreeParts(t *testing.T) {
	l := published(t)
	ctx := context.Background()
	if _, err := l.store.ChangeDeadline(ctx, l.taskID("6(2)"), ledger.MustDate(2022, 6, 30), "尚有2份配套文件处于征求意见阶段。", models.CLIActor); err != nil {
		t.Fatal(err)
	}
	r := l.report(reportDay, "")
	md := string(notice.Markdown(r))
	opening, work, done, next := parts(t, md)

	wants(t, "the opening", opening,
		"根据市委巡察工作统一部署，市委第六巡察组于2020年12月8日至2021年1月8日对中共东莞市委政法委员会（以下简称“市委政法委”）开展了巡察，并于2021年4月25日反馈了巡察意见。")
	// 一、: 组织领导, 督促检查, then the counts and the result figures.
	wants(t, "一、整改工作开展情况", work, "\n我委高度重视巡察整改工作，", "对照巡察反馈的25个问题逐项制定整改措施",
		"\n坚持把督促检查贯穿整改全过程，", "每半月梳理汇总",
		"\n目前，已完成问题整改22个；正在整改的问题3个。通过整改，共新建、修订制度19项，追回资金1.44万元。\n")
	if strings.Index(work, "我委高度重视") > strings.Index(work, "督促检查") || strings.Index(work, "督促检查") > strings.Index(work, "目前，") {
		t.Errorf("一、 is not 组织领导, 督促检查, counts in that order:\n%s", work)
	}
	// 二、: the categories as before, the 立行立改 items numbered on under
	// their own heading and intro, each with its code.
	wants(t, "二、整改落实情况", done, "\n### （一）在政治建设有待进一步加强，党建工作不够扎实方面\n",
		"\n### （五）立行立改问题\n\n对巡察期间指出的6个立行立改问题，我委坚持即知即改、立行立改，整改情况如下：\n\n#### 12.关于“惩腐打伞”工作成效不明显的问题（立行立改一）\n",
		"\n#### 15.关于部分专项资金使用存在廉政风险的问题（立行立改四）\n")
	// 三、: each unfinished item by title — found in 二、 as well — with
	// what is done, why not yet, the next step and the approved deadline.
	if len(r.Unfinished) != 3 {
		t.Fatalf("%d unfinished", len(r.Unfinished))
	}
	for i, u := range r.Unfinished {
		line, title := lineStarting(next, fmt.Sprintf("%d.", i+1)), zhtypo.Punctuate(u.Title)
		if !strings.Contains(done, title) {
			t.Errorf("三、 names %s by %q, which 二、 does not have", u.Code, title)
		}
		if !strings.Contains(line, title) || !strings.Contains(line, "目前进展：") || !strings.Contains(line, "下一步：") {
			t.Errorf("unfinished %s reads %q", u.Code, line)
		}
	}
	wants(t, "三、 on 6(2)", lineStarting(next, "1."), "1.关于“共建共治共享社会治理配套文件出台较慢”的问题。目前进展：",
		"目前已出台35份，尚有2份未出台", "尚未完成的原因：尚有2份配套文件处于征求意见阶段。",
		"下一步：与尚未出台文件的牵头单位沟通", "原定整改时限为2021年12月31日，经批准调整为2022年6月30日。")
	wants(t, "三、 on 8(2)", lineStarting(next, "2."), "2.关于“机关干部管理工作不够严格”的问题。目前进展：加强干部职工出国（境）管理。",
		"下一步：一是逐条对照", "二是根据干部人事档案材料管理有关规定", "整改时限为2021年11月30日。")
	wants(t, "三、 on 立行立改四", lineStarting(next, "3."), "3.关于部分专项资金使用存在廉政风险的问题（立行立改四）。目前进展：该问题涉及8份合同")
	if strings.Contains(md, "问题6(2)") || strings.Contains(md, "问题8(2)") {
		t.Error("the report names a task by its internal code")
	}
	// The closing paragraph invites 监督 with the contact; then the unit
	// and the date.
	wants(t, "the end", next, "\n欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我委反映。联系电话：0769-12345678；电子邮箱：zhenggai@example.cn。\n\n中共东莞市委政法委员会\n\n2021年9月14日\n")
}

func TestTheOfficesOwnParagraphsReplaceTheDefaults(t *testing.T) {
	l := published(t)
	org := "成立由书记任组长的巡察整改工作领导小组，召开专题会议研究部署整改工作。\n制定《整改工作方案》，建立问题、任务、责任“三个清单”。"
	sup := "领导小组办公室每半月梳理汇总整改进展，对进度滞后的科室发出督办函3份。"
	if _, err := l.store.SetPlanDetails(context.Background(), l.plan.Title, models.PlanDetails{Organisation: &org, Supervision: &sup}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	_, work, _, _ := parts(t, string(notice.Markdown(l.report(reportDay, ""))))
	wants(t, "一、", work, "\n成立由书记任组长的巡察整改工作领导小组，召开专题会议研究部署整改工作。\n\n制定《整改工作方案》，建立问题、任务、责任“三个清单”。\n\n领导小组办公室每半月梳理汇总整改进展，对进度滞后的科室发出督办函3份。\n\n目前，")
	if strings.Contains(work, "高度重视巡察整改工作") || strings.Contains(work, "贯穿整改全过程") {
		t.Errorf("the defaults are there beside the office's text:\n%s", work)
	}
}

// A unit that is no party body keeps its name: no 中共 in front, in the
// title, the opening or the signature; its self-name in the later text.
func TestAUnitThatIsNoPartyBodyKeepsItsName(t *testing.T) {
	rows := []models.LedgerRow{{TaskID: 1, Row: ledger.Row{Seq: 1, Category: "作风建设", ProblemCode: "1",
		ProblemTitle: "文风会风不实", Measures: []string{"一是精简文件；"}, Status: ledger.StatusInProgress,
		Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)}}}}
	plan := models.Plan{Title: "县委第二巡察组反馈意见整改", Team: "县委第二巡察组", Unit: "青禾县教育局"}
	extra := notice.Extra{NoticeFacts: models.NoticeFacts{Unit: models.Unit{Name: "青禾县教育局", SelfName: "我局"}}}
	r := notice.Build(plan, rows, extra, reportDay)
	md := string(notice.Markdown(r))
	if strings.Contains(md, "中共") {
		t.Errorf("中共 put in front of 青禾县教育局:\n%s", md)
	}
	wants(t, "the report", md, "# 青禾县教育局关于县委第二巡察组反馈意见整改阶段性进展情况的通报\n",
		"根据县委巡察工作统一部署，县委第二巡察组对青禾县教育局开展了巡察，", "\n我局高度重视巡察整改工作，",
		"请及时向我局反映。\n\n青禾县教育局\n\n2021年9月14日\n")
	// 31 characters: two lines, broken before 整改阶段性进展情况的通报 —
	// not inside 反馈意见 as a full line would.
	if got := strings.Join(r.TitleLines, "|"); got != "青禾县教育局关于县委第二巡察组反馈意见|整改阶段性进展情况的通报" {
		t.Errorf("title lines %q", got)
	}
}

func TestLongTitlesBreakAtWordBoundaries(t *testing.T) {
	for _, c := range []struct{ unit, inspection, want string }{
		// Fits a line (20 characters of 二号): not broken.
		{"某局", "专项巡察", "某局关于专项巡察整改阶段性进展情况的通报"},
		{"青禾县教育局", "县委第二巡察组反馈意见", "青禾县教育局关于县委第二巡察组反馈意见|整改阶段性进展情况的通报"},
		// Two lines would break the inspection's name: three at the
		// natural boundaries, as offices set such titles.
		{"中共东莞市委政法委员会", "市委第六巡察组反馈意见", "中共东莞市委政法委员会|关于市委第六巡察组反馈意见|整改阶段性进展情况的通报"},
		// An inspection too long for a line breaks after its team.
		{"中共东莞市委政法委员会", "十四届市委第十二轮巡察第六巡察组专项巡察反馈意见",
			"中共东莞市委政法委员会|关于十四届市委第十二轮巡察第六巡察组|专项巡察反馈意见整改阶段性进展情况的通报"},
	} {
		r := notice.Build(models.Plan{Unit: c.unit}, nil, notice.Extra{Inspection: c.inspection}, reportDay)
		if got := strings.Join(r.TitleLines, "|"); got != c.want {
			t.Errorf("%s: lines\n got %s\nwant %s", r.Title, got, c.want)
		}
		if strings.Join(r.TitleLines, "") != r.Title {
			t.Errorf("the lines %q are not the title %q", r.TitleLines, r.Title)
		}
		// The .docx breaks the title paragraph with a w:br between lines.
		data, err := notice.DOCX(r)
		if err != nil {
			t.Fatal(err)
		}
		title := docxParagraphs(t, docxParts(t, data)["word/document.xml"])[0]
		if title.style != "Title" || title.text != strings.Join(r.TitleLines, "\n") {
			t.Errorf("the .docx title is %+v", title)
		}
	}
}

// The heading levels of GB/T 9704 7.3.3 and the unsealed signature of
// 7.3.5.2: the unit two characters from the right margin, the date's first
// character two right of the unit's; the date two from the margin when it
// is the wider.
func TestTheDOCXHeadingsAndSignatureFollowGBT9704(t *testing.T) {
	data, err := notice.DOCX(published(t).report(reportDay, ""))
	if err != nil {
		t.Fatal(err)
	}
	ps := docxParagraphs(t, docxParts(t, data)["word/document.xml"])
	style := map[string]string{}
	for _, p := range ps {
		style[p.text] = p.style
	}
	for text, want := range map[string]string{
		"一、整改工作开展情况": "Heading1", "三、下一步工作计划": "Heading1",
		"（一）在政治建设有待进一步加强，党建工作不够扎实方面": "Heading2", "（五）立行立改问题": "Heading2",
		"1.关于“理论学习不够深入”的问题": "Heading3", "15.关于部分专项资金使用存在廉政风险的问题（立行立改四）": "Heading3",
	} {
		if style[text] != want {
			t.Errorf("%s: style %q, want %s", text, style[text], want)
		}
	}
	styles := string(docxParts(t, data)["word/styles.xml"])
	for id, font := range map[string]string{"Heading1": "黑体", "Heading2": "楷体_GB2312", "Heading3": "仿宋_GB2312"} {
		def := regexp.MustCompile(`<w:style [^>]*w:styleId="` + id + `">.*?</w:style>`).FindString(styles)
		if !strings.Contains(def, `w:eastAsia="`+font+`"`) || strings.Contains(def, "<w:b/>") {
			t.Errorf("%s is not %s (not bold): %s", id, font, def)
		}
	}
	// 中共东莞市委政法委员会 is 11 characters, 2021年9月14日 6.5: the unit
	// 2 (640 twips) from the margin, the date 11 - 6.5 = 4.5 (1440).
	sig, date := ps[len(ps)-2], ps[len(ps)-1]
	if sig.text != "中共东莞市委政法委员会" || sig.right != "640" || date.text != "2021年9月14日" || date.right != "1440" {
		t.Errorf("signature %+v, date %+v", sig, date)
	}
	// 青禾县教育局 (6) is narrower than the date: the date 2 from the margin,
	// the unit 6.5 + 4 - 6 = 4.5.
	data, err = notice.DOCX(notice.Build(models.Plan{Unit: "青禾县教育局"}, nil, notice.Extra{}, reportDay))
	if err != nil {
		t.Fatal(err)
	}
	ps = docxParagraphs(t, docxParts(t, data)["word/document.xml"])
	sig, date = ps[len(ps)-2], ps[len(ps)-1]
	if sig.text != "青禾县教育局" || sig.right != "1440" || date.right != "640" {
		t.Errorf("signature %+v, date %+v", sig, date)
	}
}

// docxParagraph is a paragraph of document.xml: its style, right indent
// (twips) and text, a w:br read as a newline.
type docxParagraph struct{ style, right, text string }

func docxParagraphs(t *testing.T, doc []byte) []docxParagraph {
	t.Helper()
	var out []docxParagraph
	var cur *docxParagraph
	var text strings.Builder
	inText := false
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := func(name string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch tok.Name.Local {
			case "p":
				cur = &docxParagraph{}
				text.Reset()
			case "pStyle":
				cur.style = attr("val")
			case "ind":
				cur.right = attr("right")
			case "br":
				text.WriteString("\n")
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "t":
				inText = false
			case "p":
				cur.text = text.String()
				out = append(out, *cur)
			}
		case xml.CharData:
			if inText {
				text.Write(tok)
			}
		}
	}
}

func wants(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}
