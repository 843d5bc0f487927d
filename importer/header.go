package importer

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// column identifies one 台账 column, whatever its header says in the file.
type column int

const (
	colSeq column = iota
	colCategory
	colCode
	colTitle
	colDetail
	colMeasures
	colLeader
	colDepartment
	colOfficer
	colDeadline
	colStatus
	colProgress
	numColumns
	colIgnored column = -1 // a known column the ledger has no place for (备注)
	colUnknown column = -2
	colUnnamed column = -3 // empty header cell: fine while its cells are empty
)

// columnNames are the canonical headers, in 台账 order; Problems name
// columns this way.
var columnNames = [numColumns]string{
	"序号", "问题类别", "问题编号", "问题", "具体问题", "整改措施",
	"责任领导", "责任科室", "责任人", "整改时限", "整改状态", "整改情况",
}

func (c column) String() string {
	if c < 0 || c >= numColumns {
		return fmt.Sprintf("column(%d)", int(c))
	}
	return columnNames[c]
}

// optionalColumn: a plan has no 整改状态/整改情况 yet; every other column
// must be present (具体问题 must exist but its cells may be empty).
func optionalColumn(c column) bool { return c == colStatus || c == colProgress }

// ExpectedHeader is the header row an import needs, as shown to users.
const ExpectedHeader = "序号,问题类别,问题编号,问题,具体问题,整改措施,责任领导,责任科室,责任人,整改时限[,整改状态,整改情况]"

// headerAliases maps a normalised header (see normHeader) to its column.
// Besides the SPEC's Chinese and English names it takes a few synonyms that
// offices' templates use for the same thing. 备注 (remarks) is in almost
// every template; it is accepted and ignored rather than reported.
var headerAliases = map[string]column{
	"序号": colSeq, "no": colSeq, "seq": colSeq, "seqno": colSeq,
	"问题类别": colCategory, "类别": colCategory, "category": colCategory,
	"问题编号": colCode, "编号": colCode, "problemno": colCode, "problemcode": colCode, "problemnumber": colCode, "code": colCode,
	"问题": colTitle, "problem": colTitle, "title": colTitle,
	"具体问题": colDetail, "detail": colDetail, "details": colDetail, "specificproblem": colDetail,
	"整改措施": colMeasures, "measures": colMeasures, "measure": colMeasures,
	"责任领导": colLeader, "leader": colLeader,
	"责任科室": colDepartment, "责任部门": colDepartment, "department": colDepartment, "dept": colDepartment,
	"责任人": colOfficer, "officer": colOfficer, "responsible": colOfficer,
	"整改时限": colDeadline, "整改期限": colDeadline, "完成时限": colDeadline, "deadline": colDeadline,
	"整改状态": colStatus, "status": colStatus,
	"整改情况": colProgress, "整改进展": colProgress, "progress": colProgress,
	"备注": colIgnored, "remarks": colIgnored, "remark": colIgnored, "notes": colIgnored, "note": colIgnored,
	// The office's columns of rectibot's own XLSX export (render.OfficeColumns):
	// derived from the bot's records, so nothing to import, but an export
	// must import back.
	"原定时限": colIgnored, "调整后时限": colIgnored, "调整理由": colIgnored, "销号日期": colIgnored,
	"审核人": colIgnored, "佐证材料(件)": colIgnored, "措施完成": colIgnored,
}

// toHalfWidth maps the full-width ASCII block (０-９, （）, Ａ-Ｚ, ：…) and the
// ideographic space to ASCII. Chinese input methods produce these easily,
// and "6（2）" must be the same problem code as "6(2)".
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}

// normHeader folds the ways one header gets written: full-width forms, case,
// spaces (templates write "序  号" to align two-character headers, and cells
// wrap as "整改\n时限"), underscores and hyphens, a trailing colon or full
// stop ("No."), and the asterisk that templates put on required columns.
func normHeader(s string) string {
	s = strings.ToLower(toHalfWidth(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '*' {
			return -1
		}
		return r
	}, s)
	return strings.TrimRight(s, ":.")
}

// header is the located header row and where each column is.
type header struct {
	row   int             // spreadsheet row number of the header
	index int             // position of the header in the record list
	pos   [numColumns]int // cell index of each column, -1 when absent
	cols  []column        // column of each cell of the header row
}

// maxTitleRows is how far down a header row is looked for: an xlsx 台账
// usually has a title ("XX单位巡察整改台账") and maybe a date line above it.
const maxTitleRows = 10

// minKnownHeaders cells must be known headers for a row to be the header:
// enough that a sentence or a data row is never mistaken for one, few enough
// that a header with typos is still found and its typos reported.
const minKnownHeaders = 3

// findHeader returns the first of the first maxTitleRows non-blank records
// that looks like a header, or ErrNotATable.
func findHeader(recs []record) (*header, error) {
	seen := 0
	for i, rec := range recs {
		if rec.blank() {
			continue
		}
		if seen++; seen > maxTitleRows {
			break
		}
		known := 0
		for _, c := range rec.cells {
			if col, ok := headerAliases[normHeader(c)]; ok && col != colIgnored {
				known++
			}
		}
		if known >= minKnownHeaders {
			return newHeader(rec, i), nil
		}
	}
	return nil, fmt.Errorf("%w: no header row found in the first %d rows; expected a header row with %s",
		ErrNotATable, maxTitleRows, ExpectedHeader)
}

func newHeader(rec record, index int) *header {
	h := &header{row: rec.num, index: index, cols: make([]column, len(rec.cells))}
	for c := range h.pos {
		h.pos[c] = -1
	}
	for i, cell := range rec.cells {
		col, ok := headerAliases[normHeader(cell)]
		switch {
		case strings.TrimSpace(cell) == "":
			col = colUnnamed
		case !ok:
			col = colUnknown
		case col >= 0 && h.pos[col] < 0:
			h.pos[col] = i
		}
		h.cols[i] = col
	}
	return h
}

// problems reports unknown, duplicate and missing columns. Unknown headers
// are errors rather than ignored, so that a typo in an optional column
// (整改状况 for 整改情况) does not silently drop a column of data.
func (h *header) problems(rec record) []Problem {
	var ps []Problem
	for c := range numColumns {
		if h.pos[c] < 0 && !optionalColumn(c) {
			ps = append(ps, Problem{Column: c.String(), Expected: "a header row with " + ExpectedHeader})
		}
	}
	for i, col := range h.cols {
		cell := strings.TrimSpace(rec.cells[i])
		switch {
		case col == colUnknown:
			ps = append(ps, Problem{Row: h.row,
				Found:    fmt.Sprintf("unknown column %q (column %s)", cell, colLetter(i)),
				Expected: "only the columns " + ExpectedHeader + " (or 备注); rename or delete it"})
		case col >= 0 && h.pos[col] != i:
			ps = append(ps, Problem{Row: h.row, Column: col.String(), Found: cell,
				Expected: fmt.Sprintf("one %s column, but column %s is one already", col, colLetter(h.pos[col]))})
		}
	}
	return ps
}

// colLetter names a cell index the way the spreadsheet does (0 → A).
func colLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}
