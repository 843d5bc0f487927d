package render

import (
	"fmt"
	"io"

	"github.com/rectibot/rectibot/ledger"
	"github.com/xuri/excelize/v2"
)

// SheetName is the name of the worksheet the ledger is exported to.
const SheetName = "台账"

// columnWidths are in Excel character units (a CJK character takes about
// two). Short values (序号, codes, names, dates) get narrow columns; prose
// gets wide ones and wraps.
var columnWidths = []float64{6, 16, 10, 22, 36, 60, 14, 18, 9, 12, 10, 60, 20}

// lightFills are pastel fills in Excel's own "good/neutral/bad" family, so
// black text stays readable on all three and the sheet prints in grey
// without losing the text.
var lightFills = map[ledger.Light]string{
	ledger.LightRed:    "F8CBAD",
	ledger.LightYellow: "FFE699",
	ledger.LightGreen:  "C6EFCE",
}

// WriteXLSX writes the ledger as an XLSX workbook with one sheet, 台账: the
// Columns header (bold, frozen, with an autofilter), then one row per task
// filled in the colour of its traffic light. Every cell is text except 序号,
// a plain integer, so the importer reads the file back unchanged.
// sheetTitle becomes the workbook's Title property (shown by Excel's file
// info and used by some viewers as the document name).
func WriteXLSX(w io.Writer, sheetTitle string, rows []ExportRow) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), SheetName); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: sheetTitle, Creator: "rectibot", Language: "zh-CN"}); err != nil {
		return err
	}
	styles, err := newExportStyles(f)
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(Columns))

	if err := f.SetSheetRow(SheetName, "A1", &Columns); err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetName, "A1", last+"1", styles.header); err != nil {
		return err
	}
	for i, r := range rows {
		row := i + 2
		cells := ExportRowCells(r)
		values := make([]any, len(cells))
		for j, c := range cells {
			values[j] = c
		}
		values[0] = r.Seq // 序号 as a number, so Excel sorts it numerically
		if err := f.SetSheetRow(SheetName, fmt.Sprintf("A%d", row), &values); err != nil {
			return err
		}
		if err := f.SetCellStyle(SheetName, fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row), styles.data(r.Light)); err != nil {
			return err
		}
	}

	for i, wd := range columnWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetName, col, col, wd); err != nil {
			return err
		}
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	if err := f.AutoFilter(SheetName, fmt.Sprintf("A1:%s%d", last, len(rows)+1), nil); err != nil {
		return err
	}
	if err := setPrintLayout(f); err != nil {
		return err
	}
	return f.Write(w)
}

// setPrintLayout prints the sheet landscape, one page wide, with the header
// on every page: a 台账 is often printed for a meeting.
func setPrintLayout(f *excelize.File) error {
	landscape, one, auto := "landscape", 1, 0
	fit := true
	if err := f.SetSheetProps(SheetName, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(SheetName, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: "'" + SheetName + "'!$1:$1", Scope: SheetName,
	})
}

// exportStyles are the style ids of one workbook.
type exportStyles struct {
	header int
	plain  int // a row without a light
	lights map[ledger.Light]int
}

func (s exportStyles) data(l ledger.Light) int {
	if id, ok := s.lights[l]; ok {
		return id
	}
	return s.plain
}

func newExportStyles(f *excelize.File) (exportStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	s := exportStyles{lights: map[ledger.Light]int{}}
	var err error
	s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Border:    border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return s, err
	}
	// Data cells wrap (measures and progress are multi-line) and align to
	// the top, so a tall row still reads from its first line.
	dataStyle := func(fill string) (int, error) {
		st := &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}
		if fill != "" {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
		}
		return f.NewStyle(st)
	}
	if s.plain, err = dataStyle(""); err != nil {
		return s, err
	}
	for l, fill := range lightFills {
		if s.lights[l], err = dataStyle(fill); err != nil {
			return s, err
		}
	}
	return s, nil
}
