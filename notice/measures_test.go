package notice_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
)

// tick ticks the n-th (from 1) measure of the task with code.
func (l *ledgerDB) tick(code string, n int) {
	l.t.Helper()
	card, err := l.store.Card(context.Background(), l.taskID(code))
	if err != nil {
		l.t.Fatal(err)
	}
	if _, err := l.store.SetMeasureDone(context.Background(), card.Measures[n-1].ID, true, models.CLIActor); err != nil {
		l.t.Fatal(err)
	}
}

// TestAnOpenTasksTickedMeasuresReadAsDone: in the Markdown and the DOCX, a
// measure ticked on a task still being rectified says (已完成) before its
// full stop; the others and every closed task's measures read as written.
func TestAnOpenTasksTickedMeasuresReadAsDone(t *testing.T) {
	l := importRows(t, readRows(t, "ledger.csv"))
	l.tick("8(2)", 2)
	l.tick("立行立改四", 1)
	r := l.report(reportDay, "")
	md := string(notice.Markdown(r))
	data, err := notice.DOCX(r)
	if err != nil {
		t.Fatal(err)
	}
	doc := documentText(t, docxParts(t, data)["word/document.xml"])
	for _, want := range []string{
		"或对无法找回的缺失材料作出说明（已完成）。三是严格落实我市干部出国（境）管理办法",
		"**整改措施**：一是逐条对照",
		"要求提供完整的验收材料，办结相关业务（已完成）。二是对于4个未做先付尚未办结的合同，按照要求办结相关业务。\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, lineWith(md, want[:9]))
		}
	}
	for _, want := range []string{"作出说明（已完成）。三是", "办结相关业务（已完成）。二是"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the DOCX lacks %q", want)
		}
	}
	if n := strings.Count(md, "（已完成）"); n != 2 {
		t.Errorf("%d measures read (已完成), want the 2 ticked (closed tasks read as written)", n)
	}
}

func TestADoneMarkKeepsSentencesApart(t *testing.T) {
	rows := []models.LedgerRow{{TaskID: 1, MeasuresDone: []bool{true, false, true}, Row: ledger.Row{Seq: 1, Category: "作风建设",
		ProblemCode: "1", ProblemTitle: "文风会风不实", Measures: []string{"一是精简文件", "二是压缩会议；", "三是改进文风\n并常态化坚持。"},
		Status: ledger.StatusInProgress, Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)}}}}
	md := string(notice.Markdown(notice.Build(models.Plan{Title: "专项巡察整改", Unit: "某某局"}, rows, notice.Extra{}, reportDay)))
	if want := "**整改措施**：一是精简文件（已完成）。二是压缩会议；三是改进文风。并常态化坚持（已完成）。\n"; !strings.Contains(md, want) {
		t.Errorf("lacks %q:\n%s", want, lineWith(md, "整改措施"))
	}
	rows[0].Status = ledger.StatusClosed
	md = string(notice.Markdown(notice.Build(models.Plan{Title: "专项巡察整改", Unit: "某某局"}, rows, notice.Extra{}, reportDay)))
	if strings.Contains(md, "（已完成）") {
		t.Errorf("a closed task's measures are marked:\n%s", lineWith(md, "整改措施"))
	}
}
