package importer

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// toFullWidth writes ASCII digits and parentheses the way a Chinese input
// method does.
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if (r >= '0' && r <= '9') || r == '(' || r == ')' {
			return r + 0xFEE0
		}
		return r
	}, s)
}

// xlsxOf builds a workbook whose first sheet holds recs, every cell a string.
func xlsxOf(t testing.TB, recs [][]string, edit func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, rec := range recs {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f, sheet)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestVariantsReadTheSame reads copies of ledger.csv that differ only in the
// ways real files differ, and expects exactly the rows of the original.
func TestVariantsReadTheSame(t *testing.T) {
	orig := fixtureBytes(t, "ledger.csv")
	want := readCSVOK(t, orig)
	recs := fixtureRecords(t, "ledger.csv")

	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(orig)
	if err != nil {
		t.Fatal(err)
	}
	english := cloneRecords(recs)
	english[0] = strings.Split("No,Category,Problem No,Problem,Specific problem,Measures,Leader,Department,Officer,Deadline,Status,Progress", ",")
	english[0][2], english[0][7] = " problem_code ", "DEPARTMENT："

	reordered := cloneRecords(recs)
	perm := []int{9, 2, 0, 11, 1, 3, 10, 4, 8, 5, 7, 6}
	for i, rec := range recs {
		for j, from := range perm {
			reordered[i][j] = rec[from]
		}
	}
	fullWidth := cloneRecords(recs)
	seqCol, codeCol := colIndex(t, recs, "序号"), colIndex(t, recs, "问题编号")
	for _, rec := range fullWidth[1:] {
		rec[seqCol], rec[codeCol] = toFullWidth(rec[seqCol]), " "+toFullWidth(rec[codeCol])+"\u3000"
	}
	fullWidth[0][seqCol] = "序\u3000号：" // how templates align two-character headers
	titled := append([][]string{{"中共东莞市委政法委员会巡察整改台账"}, {""}}, recs...)
	withNotes := cloneRecords(recs)
	for i := range withNotes {
		withNotes[i] = append(withNotes[i], "", "")
	}
	withNotes[0][12] = "备注"
	withNotes[3][12] = "已报委务会"

	variants := []struct {
		name, file string
		data       []byte
		firstRow   int
	}{
		{"BOM", "a.csv", append([]byte("\xEF\xBB\xBF"), orig...), 2},
		{"CRLF", "a.csv", bytes.ReplaceAll(orig, []byte("\n"), []byte("\r\n")), 2},
		{"GB18030", "a.csv", gb, 2},
		{"English headers", "a.csv", writeCSV(t, english), 2},
		{"columns reordered", "a.csv", writeCSV(t, reordered), 2},
		{"full-width codes", "a.csv", writeCSV(t, fullWidth), 2},
		{"title row above the header", "a.csv", writeCSV(t, titled), 4},
		{"备注 column and trailing empty column", "a.csv", writeCSV(t, withNotes), 2},
		{"blank lines and rows", "a.csv", bytes.Replace(orig, []byte("\n3,"), []byte("\n\n,,,,,,,,,,,\n3,"), 1), 2},
		{"xlsx", "a.xlsx", xlsxOf(t, recs, nil), 2},
		{"xlsx under a .csv name", "a.csv", xlsxOf(t, recs, nil), 2},
		{"xlsx, reordered", "a.xlsx", xlsxOf(t, reordered, nil), 2},
		{"CSV under an .xlsx name", "a.xlsx", orig, 2},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			got, err := Read(bytes.NewReader(v.data), v.file, Options{PlanYear: planYear})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			sameRows(t, got.Rows, want.Rows)
			if got.HasStatus != want.HasStatus || got.HasProgress != want.HasProgress {
				t.Errorf("HasStatus %v, HasProgress %v", got.HasStatus, got.HasProgress)
			}
			if got.Rows[0].SourceRow != v.firstRow {
				t.Errorf("first row is spreadsheet row %d, want %d", got.Rows[0].SourceRow, v.firstRow)
			}
			wantFormat := FormatCSV
			if bytes.HasPrefix(v.data, []byte("PK")) {
				wantFormat = FormatXLSX
			}
			if got.Format != wantFormat {
				t.Errorf("format %q, want %q", got.Format, wantFormat)
			}
		})
	}
}

// TestXLSXCellsAsUsersMakeThem: a real deadline cell is an Excel date shown
// in a locale format, and a template merges 问题类别/问题 over a problem's
// rows; both must read like the CSV.
func TestXLSXCellsAsUsersMakeThem(t *testing.T) {
	recs := fixtureRecords(t, "plan.csv")
	want := readCSVOK(t, fixtureBytes(t, "plan.csv"))
	cat, title := colIndex(t, recs, "问题类别"), colIndex(t, recs, "问题")
	blanked := cloneRecords(recs)
	// Rows 7–9 are problem 6 (6(1)..6(3)); in a template only the top cell
	// of a merged range holds the value.
	for _, r := range []int{7, 8} { // record index = row - 1
		blanked[r][cat], blanked[r][title] = "", ""
	}
	data := xlsxOf(t, blanked, func(f *excelize.File, sheet string) {
		for _, c := range []int{cat, title} {
			top, _ := excelize.CoordinatesToCellName(c+1, 7)
			bottom, _ := excelize.CoordinatesToCellName(c+1, 9)
			if err := f.MergeCell(sheet, top, bottom); err != nil {
				t.Fatal(err)
			}
		}
		// Row 2 (problem 1): a date cell shown as 12/31/21; row 3: 2021/6/30.
		style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			t.Fatal(err)
		}
		deadline := colIndex(t, recs, "整改时限") + 1
		for row, serial := range map[int]float64{2: 44561, 3: 44377} {
			cell, _ := excelize.CoordinatesToCellName(deadline, row)
			if err := f.SetCellValue(sheet, cell, serial); err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				t.Fatal(err)
			}
		}
	})
	got, err := ReadXLSX(bytes.NewReader(data), Options{PlanYear: planYear})
	if err != nil {
		t.Fatalf("ReadXLSX: %v", err)
	}
	sameRows(t, got.Rows, want.Rows)
}

// sameRows compares rows read from two copies of a file; where a row sits
// in the file (SourceRow) may differ, its content may not.
func sameRows(t *testing.T, got, want []ledger.Row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if i > 0 && g.SourceRow <= got[i-1].SourceRow {
			t.Errorf("SourceRow %d after %d", g.SourceRow, got[i-1].SourceRow)
		}
		g.SourceRow, w.SourceRow = 0, 0
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("row %d differs:\n got %+v\nwant %+v", i+2, g, w)
		}
	}
}
