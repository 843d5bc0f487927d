package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// oleMagic starts an OLE2 compound file: an old .xls workbook, or an .xlsx
// protected with a password (Excel encrypts those into OLE2).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// unzipFactor bounds how far an XLSX may unpack, relative to MaxBytes, so a
// small zip bomb cannot exhaust memory. Real workbooks unpack 5–10×.
const unzipFactor = 20

// Merged cells are filled within these bounds, so a workbook merging
// A1:XFD1048576 costs nothing. A 台账 has 12 columns and at most a few
// thousand rows.
const (
	mergeMaxCols  = 256
	mergeMaxCells = 1 << 20
)

// ReadXLSX reads a 台账 from the first sheet of an .xlsx workbook. Cells are
// read as the spreadsheet displays them, except that a date-formatted
// 整改时限 is read as YYYY-MM-DD whatever its display format. A merged cell
// (问题类别 spanning a problem's rows, as 台账 templates do) counts as its
// value in every cell it covers.
func ReadXLSX(r io.Reader, opts Options) (*Result, error) {
	data, err := readLimited(r, opts)
	if err != nil {
		return nil, err
	}
	return readXLSXBytes(data, opts)
}

func readXLSXBytes(data []byte, opts Options) (res *Result, err error) {
	// excelize parses attacker-supplied XML; a panic in it must not take
	// the bot down, and any such workbook is unreadable to us anyway.
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("%w: the workbook could not be read (%v)", ErrNotATable, p)
		}
	}()
	if bytes.HasPrefix(data, oleMagic) {
		return nil, fmt.Errorf("%w: this is an old .xls workbook or a password-protected one; save it as .xlsx without a password, or as CSV", ErrNotATable)
	}
	limit := opts.maxBytes() * unzipFactor
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    limit,
		UnzipXMLSizeLimit: min(limit, excelize.StreamChunkSize),
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") { // excelize has no sentinel for it
			return nil, fmt.Errorf("%w: the workbook unpacks to more than %s", ErrTooLarge, megabytes(limit))
		}
		return nil, fmt.Errorf("%w: not a readable .xlsx workbook: %w", ErrNotATable, err)
	}
	defer f.Close()

	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no sheets", ErrNotATable)
	}
	sheet := sheets[0]
	shown, err := f.GetRows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q could not be read: %w", ErrNotATable, sheet, err)
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q could not be read: %w", ErrNotATable, sheet, err)
	}
	if merges, err := f.GetMergeCells(sheet, true); err == nil {
		shown, raw = fillMerged(shown, merges), fillMerged(raw, merges)
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}

	recs := make([]record, len(shown))
	for i, cells := range shown {
		recs[i] = record{num: i + 1, cells: cells}
	}
	res, err = parseTable(recs, nil, opts, FormatXLSX, false, func(h *header) {
		if h.index < len(raw) {
			fixDates(recs[h.index+1:], raw[h.index+1:], h.pos[colDeadline], date1904)
		}
	})
	if errors.Is(err, ErrNotATable) {
		err = fmt.Errorf("%w (only the first sheet, %q, is read)", err, sheet)
	}
	return res, err
}

// fixDates replaces a date cell's display text in column col with
// YYYY-MM-DD. Excel shows a date in the reader's locale format (6/30/21,
// 30-06-21), which cannot be parsed reliably; the stored serial can. A cell
// is a date when its stored value is a number and its display differs.
func fixDates(shown []record, raw [][]string, col int, date1904 bool) {
	if col < 0 {
		return
	}
	for i, rec := range shown {
		if i >= len(raw) || col >= len(raw[i]) || col >= len(rec.cells) || raw[i][col] == rec.cells[col] {
			continue
		}
		serial, err := strconv.ParseFloat(raw[i][col], 64)
		if err != nil || serial < 1 || serial > 2958465 { // 9999-12-31
			continue
		}
		t, err := excelize.ExcelDateToTime(serial, date1904)
		if err == nil {
			rec.cells[col] = t.Format(time.DateOnly)
		}
	}
}

// fillMerged copies each merged range's top-left value into the other cells
// of the range.
func fillMerged(grid [][]string, merges []excelize.MergeCell) [][]string {
	budget := mergeMaxCells
	for _, m := range merges {
		if len(m) == 0 {
			continue
		}
		from, to, ok := strings.Cut(m[0], ":")
		if !ok {
			continue
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(from)
		c2, r2, err2 := excelize.CellNameToCoordinates(to)
		if err1 != nil || err2 != nil || r1 > len(grid) || c1 > len(grid[r1-1]) {
			continue
		}
		v := grid[r1-1][c1-1]
		if v == "" {
			continue
		}
		for r := r1; r <= min(r2, len(grid)); r++ {
			for c := c1; c <= min(c2, mergeMaxCols); c++ {
				if budget--; budget < 0 {
					return grid
				}
				for len(grid[r-1]) < c {
					grid[r-1] = append(grid[r-1], "")
				}
				grid[r-1][c-1] = v
			}
		}
	}
	return grid
}
