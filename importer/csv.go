package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// ReadCSV reads a 台账 saved as CSV: UTF-8 with or without a BOM, or GB18030
// (what Excel on Chinese Windows writes for "CSV (逗号分隔)"); CRLF or LF;
// RFC 4180 quoting with line breaks inside quoted cells.
func ReadCSV(r io.Reader, opts Options) (*Result, error) {
	data, err := readLimited(r, opts)
	if err != nil {
		return nil, err
	}
	return readCSVBytes(data, opts)
}

func readCSVBytes(data []byte, opts Options) (*Result, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	recs, syntax := splitCSV(text)
	return parseTable(recs, syntax, opts, FormatCSV, true, nil)
}

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

// decodeText turns the file's bytes into a string. Valid UTF-8 is taken as
// it is; anything else is decoded as GB18030, a superset of GBK, because
// that is the only other encoding a Chinese office's CSV is found in.
func decodeText(data []byte) (string, error) {
	if bytes.HasPrefix(data, utf16LEBOM) || bytes.HasPrefix(data, utf16BEBOM) {
		return "", fmt.Errorf("%w: the file is UTF-16 text (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or .xlsx", ErrNotATable)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if bytes.IndexByte(data, 0) >= 0 {
		return "", fmt.Errorf("%w: the file is binary data, not CSV text; expected a CSV or .xlsx file with the header row %s",
			ErrNotATable, ExpectedHeader)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("%w: the text is neither UTF-8 nor GB18030: %w", ErrNotATable, err)
	}
	return string(out), nil
}

// splitCSV splits text into records numbered the way a spreadsheet shows
// them. encoding/csv skips empty lines but Excel shows each as a row, so
// the lines between the end of one record and the start of the next are
// counted too. Quotes are read leniently, as Excel does: a stray quote in a
// cell is kept as text instead of failing the file, and an unclosed quote
// shows up as a row with too few cells.
func splitCSV(text string) ([]record, []Problem) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var (
		recs     []record
		problems []Problem
		row      int
		nextLine = 1 // the line a record would start on with no empty lines before it
		prevOff  int64
	)
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		var start int
		pe, isParse := errors.AsType[*csv.ParseError](err)
		switch {
		case isParse:
			start = pe.StartLine
		case err != nil: // cannot happen reading a string; stop rather than loop
			problems = append(problems, Problem{Row: row + 1, Found: "unreadable CSV: " + err.Error()})
			return recs, problems
		default:
			start, _ = cr.FieldPos(0)
		}
		if start > nextLine {
			row += start - nextLine
		}
		row++
		off := cr.InputOffset()
		nextLine += strings.Count(text[prevOff:off], "\n")
		prevOff = off
		if isParse {
			problems = append(problems, Problem{Row: row,
				Found:    fmt.Sprintf("CSV syntax error at line %d, column %d: %v", pe.Line, pe.Column, pe.Err),
				Expected: `cells with a comma, quote or line break wrapped in double quotes, inner quotes doubled ("")`})
			continue
		}
		for i, f := range fields {
			fields[i] = unquoteCell(f)
		}
		recs = append(recs, record{num: row, cells: fields})
	}
	return recs, problems
}

// formulaStarts are the characters render.InertCell protects a CSV cell
// against (a spreadsheet would start a formula with them).
const formulaStarts = "=+-@\t\r"

// unquoteCell undoes render.InertCell: the apostrophe the export put before
// a cell that would start a formula is dropped, so an exported CSV imports
// as it was written.
func unquoteCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}
