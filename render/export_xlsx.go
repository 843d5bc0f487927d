package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/rectibot/rectibot/ledger"
	"github.com/xuri/excelize/v2"
)

// SheetName is the name of the worksheet the whole ledger is exported to;
// it is the first sheet, the one the importer reads.
const SheetName = "台账"

// The layout of every sheet: the title, the 截至 line, then the header.
// The importer looks for the header in the first rows, so the file imports
// back as it is.
const (
	titleRow     = 1
	asOfRow      = 2
	HeaderRow    = 3 // the spreadsheet row of the column headers
	FirstDataRow = HeaderRow + 1
)

// Fonts of the office's documents. An XLSX names one font per cell, with no
// fallback list; Excel and WPS substitute a font the machine lacks.
const (
	titleFont  = "方正小标宋简体"
	headerFont = "黑体"
	bodyFont   = "仿宋_GB2312"
)

// columnWidths are in Excel character units (a CJK character takes about
// two), for Columns then OfficeColumns. Short values (序号, codes, names,
// dates) get narrow columns; prose gets wide ones and wraps.
var columnWidths = []float64{6, 16, 10, 22, 36, 60, 14, 18, 9, 12, 10, 60, 20, 15, 15, 30, 15, 10, 10, 10}

// lightFills are pastel fills in Excel's own "good/neutral/bad" family, so
// black text stays readable on all three and the sheet prints in grey
// without losing the text.
var lightFills = map[ledger.Light]string{
	ledger.LightRed:    "F8CBAD",
	ledger.LightYellow: "FFE699",
	ledger.LightGreen:  "C6EFCE",
}

// XLSXOptions say what the office's copy carries besides the rows.
type XLSXOptions struct {
	// Unit is the inspected unit's name: the title reads
	// "<Unit>巡察整改台账", or "<plan title>台账" when it is "".
	Unit string
	// AsOf is the day the ledger stands at (截至…); zero leaves the line
	// blank.
	AsOf ledger.Date
	// ByDepartment adds, after the whole 台账, one sheet per 责任科室 in
	// the order the departments first appear in the rows.
	ByDepartment bool
}

// WriteXLSX writes the ledger as an XLSX workbook laid out as an office
// keeps its 台账: a title merged across the columns, the 截至 date, the
// header (frozen, with an autofilter, repeated on every printed page),
// then one row per task in Columns and OfficeColumns order, filled in the
// colour of its traffic light. Every cell is text except 序号 and 佐证材料,
// plain integers, so the importer reads the first sheet back unchanged.
// planTitle becomes the workbook's Title property (shown by Excel's file
// info and used by some viewers as the document name).
func WriteXLSX(w io.Writer, planTitle string, rows []ExportRow, opts XLSXOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), SheetName); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: planTitle, Creator: "rectibot", Language: "zh-CN"}); err != nil {
		return err
	}
	styles, err := newExportStyles(f)
	if err != nil {
		return err
	}
	title := ledgerTitle(opts.Unit, planTitle)
	if err := writeSheet(f, styles, SheetName, title, opts.AsOf, rows); err != nil {
		return err
	}
	if opts.ByDepartment {
		used := map[string]bool{strings.ToLower(SheetName): true}
		for _, d := range byDepartment(rows) {
			name := sheetName(d.name, used)
			if _, err := f.NewSheet(name); err != nil {
				return fmt.Errorf("sheet %q: %w", name, err)
			}
			if err := writeSheet(f, styles, name, title+"（"+d.name+"）", opts.AsOf, d.rows); err != nil {
				return err
			}
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// ledgerTitle is the title line of the sheets.
func ledgerTitle(unit, planTitle string) string {
	if unit = strings.TrimSpace(unit); unit != "" {
		return unit + "巡察整改台账"
	}
	if planTitle = strings.TrimSpace(planTitle); planTitle != "" {
		return planTitle + "台账"
	}
	return "整改台账"
}

// department is one 责任科室's rows.
type department struct {
	name string
	rows []ExportRow
}

// byDepartment groups rows by 责任科室, departments in order of first
// appearance, rows in their order.
func byDepartment(rows []ExportRow) []department {
	var out []department
	at := map[string]int{}
	for _, r := range rows {
		i, ok := at[r.Department]
		if !ok {
			i = len(out)
			at[r.Department] = i
			out = append(out, department{name: r.Department})
		}
		out[i].rows = append(out[i].rows, r)
	}
	return out
}

// sheetMaxLen is Excel's limit on a sheet name, in UTF-16 code units.
const sheetMaxLen = 31

// sheetName makes a department's name a valid sheet name not in used (which
// it joins; keys are lower case, as Excel compares names without case).
// The characters Excel forbids, []:*?/\, become their full-width forms,
// which read the same in a Chinese name; a name too long is cut, and a
// name taken gets a number.
func sheetName(dept string, used map[string]bool) string {
	base := strings.Map(func(r rune) rune {
		switch r {
		case '[':
			return '〔'
		case ']':
			return '〕'
		case ':', '*', '?', '/', '\\':
			return r + 0xFEE0 // ：＊？／＼
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, dept)
	// Excel refuses a name that starts or ends with an apostrophe.
	base = strings.Trim(strings.TrimSpace(base), "'")
	if base == "" {
		base = "科室"
	}
	name := cutUTF16(base, sheetMaxLen)
	for n := 2; used[strings.ToLower(name)] || strings.EqualFold(name, "History"); n++ {
		suffix := "（" + strconv.Itoa(n) + "）"
		name = cutUTF16(base, sheetMaxLen-len(utf16.Encode([]rune(suffix)))) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

// cutUTF16 cuts s to at most n UTF-16 code units, on a rune boundary.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > n {
			return s[:i]
		}
	}
	return s
}

// writeSheet lays out one sheet: title, 截至 line, header, rows.
func writeSheet(f *excelize.File, st exportStyles, sheet, title string, asOf ledger.Date, rows []ExportRow) error {
	header := append(append([]string{}, Columns...), OfficeColumns...)
	last, _ := excelize.ColumnNumberToName(len(header))
	cell := func(col string, row int) string { return col + strconv.Itoa(row) }

	asOfText := ""
	if !asOf.IsZero() {
		asOfText = "截至" + asOf.Chinese()
	}
	for _, line := range []struct {
		row    int
		text   string
		style  int
		height float64
	}{{titleRow, title, st.title, 36}, {asOfRow, asOfText, st.asOf, 22}} {
		if err := f.SetCellStr(sheet, cell("A", line.row), line.text); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, cell("A", line.row), cell(last, line.row)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell("A", line.row), cell(last, line.row), line.style); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, line.row, line.height); err != nil {
			return err
		}
	}

	if err := f.SetSheetRow(sheet, cell("A", HeaderRow), &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, cell("A", HeaderRow), cell(last, HeaderRow), st.header); err != nil {
		return err
	}
	for i, r := range rows {
		row := FirstDataRow + i
		cells := append(ExportRowCells(r), OfficeRowCells(r)...)
		values := make([]any, len(cells))
		for j, c := range cells {
			values[j] = c
		}
		// Counts as numbers, so Excel sorts and sums them.
		values[0] = r.Seq
		values[len(Columns)+officeEvidence] = r.Evidence
		if err := f.SetSheetRow(sheet, cell("A", row), &values); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell("A", row), cell(last, row), st.data(r.Light)); err != nil {
			return err
		}
	}

	for i, wd := range columnWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	first := cell("A", FirstDataRow)
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: HeaderRow, TopLeftCell: first, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: first, ActiveCell: first, Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, cell("A", HeaderRow)+":"+cell(last, HeaderRow+len(rows)), nil); err != nil {
		return err
	}
	return setPrintLayout(f, sheet)
}

// setPrintLayout prints the sheet landscape, one page wide, with the title
// and header on every page: a 台账 is often printed for a meeting.
func setPrintLayout(f *excelize.File, sheet string) error {
	landscape, one, auto := "landscape", 1, 0
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto}); err != nil {
		return err
	}
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("%s!$1:$%d", quoted, HeaderRow), Scope: sheet,
	})
}

// exportStyles are the style ids of one workbook.
type exportStyles struct {
	title, asOf, header int
	plain               int // a row without a light
	lights              map[ledger.Light]int
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
	if s.title, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: titleFont, Size: 18},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	}); err != nil {
		return s, err
	}
	if s.asOf, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: bodyFont, Size: 12},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	}); err != nil {
		return s, err
	}
	// 黑体 is heavy already; bold on it only smears in print.
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: headerFont, Size: 11},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Border:    border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	}); err != nil {
		return s, err
	}
	// Data cells wrap (measures and progress are multi-line) and align to
	// the top, so a tall row still reads from its first line.
	dataStyle := func(fill string) (int, error) {
		st := &excelize.Style{Font: &excelize.Font{Family: bodyFont, Size: 11}, Border: border,
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}
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
