package render

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/xuri/excelize/v2"
)

func exportFixture() []ExportRow {
	return []ExportRow{
		{Row: ledger.Row{
			Seq: 1, Category: "政治建设有待进一步加强,党建工作不够扎实", ProblemCode: "1", ProblemTitle: "理论学习不够深入",
			Measures: []string{"一是制定年度学习计划。", "二是开展专题研讨。"},
			Leader:   "书记", Department: "机关党委", Officer: "王芳",
			Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)},
			Status:   ledger.StatusClosed, Progress: "一是已印发学习计划。\n二是已开展研讨3次。",
		}, Light: ledger.LightGreen, MeasuresDone: []bool{true, true}},
		{Row: ledger.Row{
			Seq: 2, Category: "队伍建设不够夯实,规矩意识不够牢固", ProblemCode: "8(2)", ProblemTitle: "机关干部管理工作不够严格",
			Detail:   "“档案管理不规范”。",
			Measures: []string{"一是补齐档案散件。", "二是修订出国(境)管理制度。", "三是开展自查。"},
			Leader:   "政治部主任", Department: "政治部", Officer: "刘洋",
			Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 11, 30)},
			Status:   ledger.StatusInProgress,
		}, Light: ledger.LightYellow, MeasuresDone: []bool{true, false, true}},
		{Row: ledger.Row{
			Seq: 3, Category: "立行立改", ProblemCode: "立行立改四", ProblemTitle: "部分专项资金使用存在廉政风险",
			Detail:   "8份合同中, 7份已执行完毕。",
			Measures: []string{"督促合同执行"},
			Leader:   "分管社会治理副书记", Department: "信息化和网格管理指导科", Officer: "周杰",
			Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 10, 31)},
			Status:   ledger.StatusInProgress, Progress: "基本执行完毕, \"尚待\"出版",
		}, Light: ledger.LightRed, MeasuresDone: []bool{false}},
		{Row: ledger.Row{
			Seq: 4, Category: "财经纪律执行不够严格,风险防范有漏洞", ProblemCode: "10", ProblemTitle: "预算执行监控不到位",
			Measures: []string{"按月填列预算执行情况"},
			Leader:   "常务副书记", Department: "委机关办公室", Officer: "张伟",
			Deadline: ledger.Deadline{LongTerm: true, Recurrence: ledger.DefaultRecurrence},
			Status:   ledger.StatusOngoing,
		}, Light: ledger.LightGreen},
	}
}

func TestExportRowCells(t *testing.T) {
	rows := exportFixture()
	got := ExportRowCells(rows[1])
	want := []string{"2", "队伍建设不够夯实,规矩意识不够牢固", "8(2)", "机关干部管理工作不够严格", "“档案管理不规范”。",
		"一是补齐档案散件。\n二是修订出国(境)管理制度。\n三是开展自查。", "政治部主任", "政治部", "刘洋", "2021-11-30", "整改中", "", "措施完成 2/3（第1、3项）"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cells:\n got %q\nwant %q", got, want)
	}
	if len(got) != len(Columns) {
		t.Errorf("%d cells for %d columns", len(got), len(Columns))
	}
	lt := ExportRowCells(rows[3])
	if lt[9] != "长期坚持" || lt[10] != "长期坚持" || lt[4] != "" {
		t.Errorf("long-term row: deadline %q status %q detail %q", lt[9], lt[10], lt[4])
	}
}

func TestWriteXLSX(t *testing.T) {
	rows := exportFixture()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "市委第六巡察组反馈意见整改", rows, XLSXOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{SheetName}) {
		t.Fatalf("sheets %q", got)
	}
	got, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	header := append(append([]string{}, Columns...), OfficeColumns...)
	if len(got) != len(rows)+HeaderRow || !reflect.DeepEqual(got[HeaderRow-1], header) {
		t.Fatalf("header %q, %d rows", got[HeaderRow-1], len(got))
	}
	for i, r := range rows {
		want := append(ExportRowCells(r), OfficeRowCells(r)...)
		// GetRows drops trailing empty cells.
		got := got[HeaderRow+i]
		row := append(got, make([]string, len(want)-len(got))...)
		if !reflect.DeepEqual(row, want) {
			t.Errorf("row %d:\n got %q\nwant %q", HeaderRow+i+1, row, want)
		}
	}

	panes, err := f.GetPanes(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != HeaderRow || panes.TopLeftCell != "A4" {
		t.Errorf("header not frozen: %+v", panes)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "市委第六巡察组反馈意见整改" {
		t.Errorf("title %q, %v", props.Title, err)
	}

	if hs := cellStyle(t, f, "B3"); hs.Font == nil || hs.Font.Family != "黑体" || fill(hs) != "D9D9D9" {
		t.Errorf("header font %+v fill %q, want 黑体 on D9D9D9", hs.Font, fill(hs))
	}
	green, yellow, red := cellStyle(t, f, "D4"), cellStyle(t, f, "D5"), cellStyle(t, f, "D6")
	if fill(green) == fill(red) || fill(green) == fill(yellow) || fill(red) == fill(yellow) || fill(red) == "" {
		t.Errorf("fills: green %q yellow %q red %q", fill(green), fill(yellow), fill(red))
	}
	if !strings.EqualFold(fill(red), "F8CBAD") {
		t.Errorf("red fill %q", fill(red))
	}
	if red.Alignment == nil || !red.Alignment.WrapText || red.Alignment.Vertical != "top" {
		t.Errorf("data alignment %+v", red.Alignment)
	}
	if w, _ := f.GetColWidth(SheetName, "F"); w < 40 {
		t.Errorf("整改措施 column width %v", w)
	}
	if v, _ := f.GetCellValue(SheetName, "A5"); v != "2" {
		t.Errorf("序号 %q", v)
	}
}

func cellStyle(t *testing.T, f *excelize.File, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(SheetName, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func fill(st *excelize.Style) string {
	if len(st.Fill.Color) == 0 {
		return ""
	}
	return strings.TrimPrefix(strings.ToUpper(st.Fill.Color[0]), "#")
}

func TestWriteCSV(t *testing.T) {
	rows := exportFixture()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no BOM: % x", data[:3])
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(rows)+1 || !reflect.DeepEqual(recs[0], Columns) {
		t.Fatalf("header %q, %d records", recs[0], len(recs))
	}
	for i, r := range rows {
		if want := ExportRowCells(r); !reflect.DeepEqual(recs[i+1], want) {
			t.Errorf("record %d:\n got %q\nwant %q", i+1, recs[i+1], want)
		}
	}
	if bytes.Contains(data, []byte("\r")) {
		t.Error("CSV has CR; records and cells are LF")
	}
}
