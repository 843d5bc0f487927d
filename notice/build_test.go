package notice_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/zhtypo"
)

func TestTheDongguanLedgerGivesTheSeedsStructure(t *testing.T) {
	l := importRows(t, readRows(t, "ledger.csv"))
	r := l.report(reportDay, "")
	if r.Title != "中共东莞市委政法委员会关于市委第六巡察组反馈意见整改阶段性进展情况的通报" {
		t.Errorf("title %q", r.Title)
	}
	if got := l.report(reportDay, "十四届市委第十二轮巡察").Title; got != "中共东莞市委政法委员会关于十四届市委第十二轮巡察整改阶段性进展情况的通报" {
		t.Errorf("title with --inspection: %q", got)
	}
	if r.Done != 22 || r.Open != 3 || r.CountsSentence() != "目前，已完成问题整改22个；正在整改的问题3个。" {
		t.Errorf("counts %d/%d: %q", r.Done, r.Open, r.CountsSentence())
	}
	if len(r.Overdue) != 0 {
		t.Errorf("overdue on 2021-09-14: %v", r.Overdue)
	}
	wantHeadings := []string{
		"（一）", "（二）", "（三）", "（四）", "（五）",
	}
	if len(r.Sections) != 5 {
		t.Fatalf("%d sections, want 5", len(r.Sections))
	}
	records := fixtureRecords(t)
	var problems, codes []string
	for i, s := range r.Sections {
		if s.Number != wantHeadings[i] || s.Immediate != (i == 4) {
			t.Errorf("section %d: %s immediate=%v", i, s.Number, s.Immediate)
		}
		for _, p := range s.Problems {
			problems = append(problems, p.Number+p.Code)
			for _, it := range p.Items {
				codes = append(codes, it.Code)
			}
		}
	}
	// Numbered on through every section, the 立行立改 items too, so that
	// each number names one problem.
	wantProblems := "1.1 2.2 3.3 4.4 5.5 6.6 7.7 8.8 9.9 10.10 11.11 " +
		"12.立行立改一 13.立行立改二 14.立行立改三 15.立行立改四 16.立行立改五 17.立行立改六"
	if got := strings.Join(problems, " "); got != wantProblems {
		t.Errorf("problems:\n got %s\nwant %s", got, wantProblems)
	}
	if len(codes) != 25 {
		t.Fatalf("%d tasks, want 25", len(codes))
	}
	for i, rec := range records {
		if codes[i] != rec.code {
			t.Errorf("task %d is %s, want %s (document order)", i+1, codes[i], rec.code)
		}
	}
	sixTwo := r.Sections[1].Problems[2].Items[1]
	if sixTwo.Number != "（2）" || sixTwo.Code != "6(2)" {
		t.Errorf("6(2) numbered %q", sixTwo.Number)
	}
	if n := r.Sections[0].Problems[0].Items[0].Number; n != "" {
		t.Errorf("problem 1 has no sub-problems but is numbered %q", n)
	}
	var open []string
	for _, u := range r.Unfinished {
		open = append(open, u.Code)
	}
	if got := strings.Join(open, " "); got != "6(2) 8(2) 立行立改四" {
		t.Errorf("unfinished: %s", got)
	}
	if r.Signature != "中共东莞市委政法委员会" || r.AsOf.Chinese() != "2021年9月14日" {
		t.Errorf("signature %q, date %s", r.Signature, r.AsOf.Chinese())
	}
	if !strings.Contains(strings.Join(r.Opening, ""), "市委第六巡察组") || !strings.Contains(strings.Join(r.Opening, ""), "2021年4月25日反馈") {
		t.Errorf("opening: %q", r.Opening)
	}
}

func TestEveryTasksMeasuresAndProgressAreInTheReport(t *testing.T) {
	l := importRows(t, readRows(t, "ledger.csv"))
	md := flat(string(notice.Markdown(l.report(reportDay, ""))))
	for _, rec := range fixtureRecords(t) {
		for what, text := range map[string]string{"具体问题": rec.detail, "整改措施": rec.measures, "整改情况": rec.progress} {
			// The Markdown prints each field as one paragraph, as the seed
			// does: the newlines the CSV inserted before 一是… are gone; and
			// in standard punctuation (the ledger keeps what was entered).
			if !strings.Contains(md, zhtypo.Punctuate(flat(text))) {
				t.Errorf("%s: the %s is not in the report", rec.code, what)
			}
		}
	}
}

func TestALedgerWithoutProgressYet(t *testing.T) {
	l := importRows(t, readRows(t, "plan.csv"))
	r := l.report(reportDay, "")
	if r.Done != 0 || r.Open != 25 || len(r.Unfinished) != 25 {
		t.Fatalf("counts %d/%d, %d unfinished", r.Done, r.Open, len(r.Unfinished))
	}
	md := string(notice.Markdown(r))
	if !strings.Contains(md, "目前，已完成问题整改0个；正在整改的问题25个。") {
		t.Error("counts sentence missing")
	}
	// With nothing done, the 13 tasks due before 2021-09-14 are late.
	if len(r.Overdue) != 13 || !strings.Contains(md, "其中，已超过整改时限尚未完成的问题13个：“落实意识形态工作责任制不够到位”问题、") {
		t.Errorf("no overdue sentence:\n%s", md)
	}
	if n := strings.Count(md, "**整改情况**：正在推进整改。"); n != 20 {
		t.Errorf("%d tasks read 正在推进整改, want the 20 dated ones", n)
	}
	if n := strings.Count(md, "**整改情况**：该问题需长期坚持，正在持续推进。"); n != 5 {
		t.Errorf("%d long-term tasks read 长期坚持, want 5", n)
	}
}

func TestAnAllClosedLedgerSaysSo(t *testing.T) {
	rows := readRows(t, "ledger.csv")
	for i := range rows {
		rows[i].Status = ledger.StatusClosed
	}
	r := importRows(t, rows).report(reportDay, "")
	md := string(notice.Markdown(r))
	if r.Done != 25 || r.Open != 0 || len(r.Unfinished) != 0 {
		t.Fatalf("counts %d/%d", r.Done, r.Open)
	}
	if strings.Contains(md, "尚未完成整改的问题") || !strings.Contains(md, "巡察反馈的问题已全部完成整改。") {
		t.Errorf("all-closed closing part:\n%s", md[len(md)-600:])
	}
}

func TestLongTermTasksAreNeverOverdueAndSayHowTheyGoOn(t *testing.T) {
	l := importRows(t, readRows(t, "plan.csv"))
	r := l.report(ledger.MustDate(2030, 1, 1), "")
	next := nextPart(t, string(notice.Markdown(r)))
	longTerm := 0
	for i, u := range r.Unfinished {
		if !u.Deadline.LongTerm {
			continue
		}
		longTerm++
		line := lineStarting(next, fmt.Sprintf("%d.关于", i+1))
		if !strings.Contains(line, "该问题需长期坚持") || strings.Contains(line, "超过整改时限") {
			t.Errorf("long-term %s reads %q", u.Code, line)
		}
	}
	if longTerm != 5 || len(r.Overdue) != 20 {
		t.Fatalf("%d long-term unfinished, %d overdue in 2030", longTerm, len(r.Overdue))
	}
}

// lineStarting returns the first line of s that starts with prefix.
func lineStarting(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// nextPart is 三、下一步工作计划 of a report's Markdown, up to its end.
func nextPart(t *testing.T, md string) string {
	t.Helper()
	_, next, ok := strings.Cut(md, "\n## 三、下一步工作计划\n")
	if !ok {
		t.Fatalf("no 三、下一步工作计划:\n%s", md)
	}
	return next
}

func TestOverdueTasksAreNamedAndAMovedDeadlineGivesItsReason(t *testing.T) {
	l := importRows(t, readRows(t, "ledger.csv"))
	ctx := context.Background()
	id := l.taskID("6(2)")
	reason := "尚有2份配套文件处于征求意见阶段。"
	if _, err := l.store.ChangeDeadline(ctx, id, ledger.MustDate(2022, 3, 31), "第一次调整", models.CLIActor); err != nil {
		t.Fatal(err)
	}
	if _, err := l.store.ChangeDeadline(ctx, id, ledger.MustDate(2022, 6, 30), reason, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	changes, err := l.store.DeadlineChangesOf(ctx, l.plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	ch := changes[id]
	if len(changes) != 1 || ch.Original != ledger.MustDate(2021, 12, 31) || ch.Deadline != ledger.MustDate(2022, 6, 30) || ch.Reason != reason || ch.Changes != 2 {
		t.Errorf("changes: %+v", changes)
	}
	md := string(notice.Markdown(l.report(ledger.MustDate(2021, 11, 1), "")))
	if !strings.Contains(md, "其中，已超过整改时限尚未完成的问题1个：“部分专项资金使用存在廉政风险”问题（立行立改四）。") {
		t.Errorf("overdue sentence of 2021-11-01 missing:\n%s", lineWith(md, "目前"))
	}
	// By its title, not 问题6(2): what is done (the last item of the
	// imported 整改情况, here all of it), why not yet (the reason of the move), the next
	// step (its measure, not ticked) and the approved new deadline.
	want := "1.关于“共建共治共享社会治理配套文件出台较慢”的问题。目前进展：3月30日，召开东莞市2020年市域社会治理现代化试点工作总结暨第二批创新实践项目经验交流会，对完善配套文件作出部署。计划2022年底出台共建共治共享社会治理配套文件共37份，" +
		"目前已出台35份，尚有2份未出台：一是已形成《东莞市物业服务企业参与基层社会治理若干意见（征求意见稿）》，正在征求意见中；" +
		"二是已形成《东莞市关于加强心理服务管理若干意见（征求意见稿）》，完成两轮征求意见，市卫健局正在修改完善。37份配套文件将提前到今年底前全部出台。" +
		"尚未完成的原因：尚有2份配套文件处于征求意见阶段。" +
		"下一步：与尚未出台文件的牵头单位沟通，明确任务清单，明确时间节点，明确责任人，确保政策文件按时高质出台，并抓好落实执行。" +
		"原定整改时限为2021年12月31日，经批准调整为2022年6月30日。"
	next := nextPart(t, md)
	if line := lineWith(next, "配套文件出台较慢"); line != want {
		t.Errorf("moved deadline:\n got %s\nwant %s", line, want)
	}
	if strings.Contains(md, "问题6(2)") {
		t.Error("the report names a task by its internal code 问题6(2)")
	}
	if line := lineWith(next, "3.关于部分专项资金使用存在廉政风险的问题（立行立改四）。"); !strings.HasSuffix(line, "整改时限为2021年10月31日，已超过整改时限。") {
		t.Errorf("overdue item: %s", line)
	}
}

func TestParagraphsAreJoinedWithoutRunningSentencesTogether(t *testing.T) {
	rows := []models.LedgerRow{{TaskID: 1, Row: ledger.Row{Seq: 1, Category: "作风建设", ProblemCode: "1",
		ProblemTitle: "文风会风不实", Measures: []string{"一是精简文件；", "二是压缩会议。"},
		Progress: "已印发精简文件通知\n会议数量同比下降三成", Status: ledger.StatusInProgress,
		Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)}}}}
	md := string(notice.Markdown(notice.Build(models.Plan{Title: "专项巡察整改", Unit: "某某局"}, rows, notice.Extra{}, reportDay)))
	for _, want := range []string{
		"# 某某局关于专项巡察整改阶段性进展情况的通报",
		"### （一）在作风建设方面", "#### 1.关于“文风会风不实”的问题",
		"**整改措施**：一是精简文件；二是压缩会议。",
		"**整改情况**：已印发精简文件通知。会议数量同比下降三成\n",
		"巡察组对某某局开展了巡察，并反馈了巡察意见。",
		// The next step: the measures, numbered again, their marks kept.
		"下一步：一是精简文件；二是压缩会议。整改时限为2021年12月31日。",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
}

// lineWith returns the first line of s containing sub.
func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
