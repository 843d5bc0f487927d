package render

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/ledger"
	"github.com/xuri/excelize/v2"
)

// longDepartment has every character Excel forbids in a sheet name and is
// longer than a sheet name may be.
const longDepartment = "巡察整改/督办[专班]:联络*协调?工作组\\综合协调与材料汇总办公室"

// officeFixture is exportFixture with what the office's columns show: 1
// closed (on 2021年10月20日, approved by 李娜, 3 files), 8(2) with its
// deadline moved twice and 2 of 3 measures done, and a fifth task of a
// department whose name is no sheet name.
func officeFixture() []ExportRow {
	rows := exportFixture()
	rows[0].ClosedOn, rows[0].ClosedBy, rows[0].Evidence = ledger.MustDate(2021, 10, 20), "李娜", 3
	rows[1].DeadlineMoves = []ledger.DeadlineMove{
		{From: ledger.MustDate(2021, 9, 30), To: ledger.MustDate(2021, 10, 31), ApprovedBy: "政治部主任", Reason: "档案散件需向原单位调取"},
		{From: ledger.MustDate(2021, 10, 31), To: ledger.MustDate(2021, 11, 30), Reason: "出国(境)管理制度待上级文件出台后修订"},
	}
	rows[1].Evidence = 1
	return append(rows, ExportRow{Row: ledger.Row{
		Seq: 5, Category: "立行立改", ProblemCode: "立行立改五", ProblemTitle: "督办台账更新不及时",
		Measures: []string{"每周更新台账"}, Leader: "常务副书记", Department: longDepartment, Officer: "陈静",
		Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)}, Status: ledger.StatusInProgress,
	}, Light: ledger.LightGreen, MeasuresDone: []bool{false}})
}

var officeAsOf = ledger.MustDate(2021, 11, 1)

func writeOffice(t *testing.T, rows []ExportRow, opts XLSXOptions) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "市委第六巡察组反馈意见整改", rows, opts); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sheetRows is a sheet's cells, every row as wide as the header.
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	width := len(Columns) + len(OfficeColumns)
	for i := range rows {
		rows[i] = append(rows[i], make([]string, max(0, width-len(rows[i])))...)
	}
	return rows
}

func styleOf(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// column is the 1-based spreadsheet column of a header.
func column(t *testing.T, name string) int {
	t.Helper()
	for i, c := range append(append([]string{}, Columns...), OfficeColumns...) {
		if c == name {
			return i + 1
		}
	}
	t.Fatalf("no column %s", name)
	return 0
}

// TestTheXLSXLooksLikeTheOfficesLedger: the title over the whole table, the
// 截至 line, the 台账's columns then the office's, in the office's fonts.
func TestTheXLSXLooksLikeTheOfficesLedger(t *testing.T) {
	rows := officeFixture()
	f := writeOffice(t, rows, XLSXOptions{Unit: "中共东莞市委政法委员会", AsOf: officeAsOf})
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"台账"}) {
		t.Fatalf("sheets %q, want only 台账", got)
	}
	cells := sheetRows(t, f, SheetName)
	if cells[0][0] != "中共东莞市委政法委员会巡察整改台账" || cells[1][0] != "截至2021年11月1日" {
		t.Errorf("title %q, date line %q", cells[0][0], cells[1][0])
	}
	merges, err := f.GetMergeCells(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	var merged []string
	for _, m := range merges {
		merged = append(merged, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if !reflect.DeepEqual(merged, []string{"A1:T1", "A2:T2"}) {
		t.Errorf("merged %q, want the title and the date line across A:T", merged)
	}
	wantHeader := []string{"序号", "问题类别", "问题编号", "问题", "具体问题", "整改措施", "责任领导", "责任科室", "责任人", "整改时限", "整改状态", "整改情况", "备注",
		"原定时限", "调整后时限", "调整理由", "销号日期", "审核人", "佐证材料（件）", "措施完成"}
	if !reflect.DeepEqual(cells[2], wantHeader) {
		t.Errorf("header:\n got %q\nwant %q", cells[2], wantHeader)
	}
	if len(cells) != 3+len(rows) {
		t.Fatalf("%d rows, want title, date, header and %d tasks", len(cells), len(rows))
	}

	at := func(row int, col string) string { return cells[row-1][column(t, col)-1] }
	// Row 4 is 序号 1, closed; row 5 is 8(2), moved twice.
	if at(4, "销号日期") != "2021年10月20日" || at(4, "审核人") != "李娜" || at(4, "佐证材料（件）") != "3" || at(4, "措施完成") != "2/2" {
		t.Errorf("the closed row: 销号日期 %q 审核人 %q 佐证材料 %q 措施完成 %q", at(4, "销号日期"), at(4, "审核人"), at(4, "佐证材料（件）"), at(4, "措施完成"))
	}
	if at(4, "原定时限") != "" || at(4, "调整后时限") != "" || at(4, "调整理由") != "" {
		t.Errorf("a deadline never moved shows 原定 %q 调整后 %q 理由 %q", at(4, "原定时限"), at(4, "调整后时限"), at(4, "调整理由"))
	}
	if at(5, "原定时限") != "2021年9月30日" || at(5, "调整后时限") != "2021年11月30日" || at(5, "调整理由") != "出国(境)管理制度待上级文件出台后修订" {
		t.Errorf("the moved deadline: 原定 %q 调整后 %q 理由 %q", at(5, "原定时限"), at(5, "调整后时限"), at(5, "调整理由"))
	}
	if at(5, "措施完成") != "2/3" || at(5, "销号日期") != "" || at(5, "审核人") != "" || at(5, "佐证材料（件）") != "1" || at(5, "整改时限") != "2021-11-30" {
		t.Errorf("8(2): 措施完成 %q 销号日期 %q 审核人 %q 佐证材料 %q 整改时限 %q", at(5, "措施完成"), at(5, "销号日期"), at(5, "审核人"), at(5, "佐证材料（件）"), at(5, "整改时限"))
	}
	if at(7, "措施完成") != "" || at(7, "佐证材料（件）") != "0" {
		t.Errorf("the long-term row without measures marks: 措施完成 %q 佐证材料 %q", at(7, "措施完成"), at(7, "佐证材料（件）"))
	}
	// 佐证材料 is a number, for sums; 措施完成 stays text, never a date.
	evidence, _ := excelize.CoordinatesToCellName(column(t, "佐证材料（件）"), 4)
	if typ, _ := f.GetCellType(SheetName, evidence); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("佐证材料 is of type %v, want a number", typ)
	}

	title, date, header, body := styleOf(t, f, SheetName, "A1"), styleOf(t, f, SheetName, "A2"), styleOf(t, f, SheetName, "C3"), styleOf(t, f, SheetName, "F5")
	if title.Font == nil || title.Font.Family != "方正小标宋简体" || title.Font.Size != 18 || title.Alignment == nil || title.Alignment.Horizontal != "center" {
		t.Errorf("title font %+v alignment %+v", title.Font, title.Alignment)
	}
	if date.Alignment == nil || date.Alignment.Horizontal != "center" {
		t.Errorf("date line alignment %+v", date.Alignment)
	}
	if header.Font == nil || header.Font.Family != "黑体" || header.Font.Size != 11 || header.Font.Bold || fill(header) != "D9D9D9" {
		t.Errorf("header font %+v fill %q, want 黑体 11 not bold on light grey", header.Font, fill(header))
	}
	if body.Font == nil || body.Font.Family != "仿宋_GB2312" || body.Font.Size != 11 {
		t.Errorf("body font %+v, want 仿宋_GB2312 11", body.Font)
	}
	// The lights fill the whole row, the office's columns too.
	for _, c := range []string{"A6", "M6", "T6"} {
		if st := styleOf(t, f, SheetName, c); fill(st) != "F8CBAD" || st.Font == nil || st.Font.Family != "仿宋_GB2312" {
			t.Errorf("%s of the red row: fill %q font %+v", c, fill(st), st.Font)
		}
	}

	panes, err := f.GetPanes(SheetName)
	if err != nil || !panes.Freeze || panes.YSplit != 3 || panes.TopLeftCell != "A4" {
		t.Errorf("panes %+v (%v), want frozen below the header", panes, err)
	}
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Scope+" "+dn.Name] = dn.RefersTo
	}
	if got := names["台账 _xlnm.Print_Titles"]; got != "'台账'!$1:$3" {
		t.Errorf("print titles %q, want '台账'!$1:$3", got)
	}
	if got := names["台账 _xlnm._FilterDatabase"]; !strings.Contains(got, "$A$3:$T$8") {
		t.Errorf("autofilter %q, want the header row over A:T", got)
	}
	layout, err := f.GetPageLayout(SheetName)
	if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v (%v), want landscape one page wide", layout, err)
	}
}

// TestTheOfficesXLSXImportsBack: the importer finds the header below the
// title, ignores the office's columns, and reads the rows as they were.
func TestTheOfficesXLSXImportsBack(t *testing.T) {
	rows := officeFixture()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "市委第六巡察组反馈意见整改", rows, XLSXOptions{Unit: "中共东莞市委政法委员会", AsOf: officeAsOf, ByDepartment: true}); err != nil {
		t.Fatal(err)
	}
	res, err := importer.Read(bytes.NewReader(buf.Bytes()), "台账.xlsx", importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatalf("the export does not import back: %v", err)
	}
	if len(res.Rows) != len(rows) {
		t.Fatalf("%d rows read back, want %d", len(res.Rows), len(rows))
	}
	for i, got := range res.Rows {
		got.SourceRow = 0
		if !reflect.DeepEqual(got, rows[i].Row) {
			t.Errorf("row %d read back as\n%+v\nwant\n%+v", i+1, got, rows[i].Row)
		}
	}
}

// TestTheXLSXHasASheetPerDepartment: ByDepartment adds a sheet per 责任科室
// after the whole 台账, in the order they first appear, each laid out the same.
func TestTheXLSXHasASheetPerDepartment(t *testing.T) {
	rows := officeFixture()
	rows[3].Department = "政治部" // a department's second task, after others
	f := writeOffice(t, rows, XLSXOptions{AsOf: officeAsOf, ByDepartment: true})
	long := "巡察整改／督办〔专班〕：联络＊协调？工作组＼综合协调与材料汇总"
	want := []string{"台账", "机关党委", "政治部", "信息化和网格管理指导科", long}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets:\n got %q\nwant %q", got, want)
	}
	if n := utf8.RuneCountInString(long); n != 31 {
		t.Errorf("the long name has %d characters, want Excel's 31", n)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("the workbook opens on sheet %d, want 台账", f.GetActiveSheetIndex())
	}
	whole := sheetRows(t, f, SheetName)
	if whole[0][0] != "市委第六巡察组反馈意见整改台账" || len(whole) != 3+len(rows) {
		t.Errorf("台账: title %q, %d rows", whole[0][0], len(whole))
	}
	seqs := map[string][]string{"机关党委": {"1"}, "政治部": {"2", "4"}, "信息化和网格管理指导科": {"3"}, long: {"5"}}
	for _, sheet := range want[1:] {
		cells := sheetRows(t, f, sheet)
		dept := cells[3][column(t, "责任科室")-1]
		if cells[0][0] != "市委第六巡察组反馈意见整改台账（"+dept+"）" || cells[1][0] != "截至2021年11月1日" || cells[2][0] != "序号" || cells[2][19] != "措施完成" {
			t.Errorf("%s: title %q, date %q, header %q", sheet, cells[0][0], cells[1][0], cells[2])
		}
		var got []string
		for _, r := range cells[3:] {
			got = append(got, r[0])
			if r[column(t, "责任科室")-1] != dept {
				t.Errorf("%s holds a task of %s", sheet, r[7])
			}
		}
		if !reflect.DeepEqual(got, seqs[sheet]) {
			t.Errorf("%s: 序号 %q, want %q", sheet, got, seqs[sheet])
		}
		if st := styleOf(t, f, sheet, "C3"); st.Font == nil || st.Font.Family != "黑体" {
			t.Errorf("%s: header font %+v", sheet, st.Font)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 3 {
			t.Errorf("%s: panes %+v (%v)", sheet, panes, err)
		}
	}
	if cells := sheetRows(t, f, long); cells[3][column(t, "责任科室")-1] != longDepartment {
		t.Errorf("the sheet of %s shows %q", longDepartment, cells[3][7])
	}
	prints := 0
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && strings.HasSuffix(dn.RefersTo, "!$1:$3") {
			prints++
		}
	}
	if prints != len(want) {
		t.Errorf("%d sheets print their title and header on every page, want %d", prints, len(want))
	}
}

func TestSheetNamesAreValidAndDistinct(t *testing.T) {
	used := map[string]bool{"台账": true}
	for _, tc := range []struct{ in, want string }{
		{"办公室", "办公室"},
		{"办公室", "办公室（2）"},
		{"台账", "台账（2）"},
		{"'政治部'", "政治部"},
		{"a/b", "a／b"},
		{"A/B", "A／B（2）"}, // Excel compares sheet names without case
		{"", "科室"},
		{"History", "History（2）"},
		{strings.Repeat("科", 40), strings.Repeat("科", 31)},
		{strings.Repeat("科", 40), strings.Repeat("科", 28) + "（2）"},
	} {
		if got := sheetName(tc.in, used); got != tc.want {
			t.Errorf("sheetName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
