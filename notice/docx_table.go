package notice

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/zhtypo"
)

// table is a table of a document (the 整改方案's 三个清单): a header row
// and rows of cells, each cell its lines (a cell of measures has one a
// line). widths are the columns' relative widths; centred columns (序号)
// are centred, the others aligned left (justified, a narrow cell's short
// line would be spread out character by character).
type table struct {
	header  []string
	widths  []int
	centred []bool
	rows    [][][]string
}

// punctuated is a copy of the table in standard Chinese punctuation.
func (t *table) punctuated() *table {
	out := &table{widths: t.widths, centred: t.centred, header: make([]string, len(t.header)), rows: make([][][]string, len(t.rows))}
	for i, h := range t.header {
		out.header[i] = zhtypo.Punctuate(h)
	}
	for i, row := range t.rows {
		out.rows[i] = make([][]string, len(row))
		for j, cell := range row {
			out.rows[i][j] = make([]string, len(cell))
			for k, l := range cell {
				out.rows[i][j][k] = zhtypo.Punctuate(l)
			}
		}
	}
	return out
}

// markdownTable writes t as a GitHub pipe table; a cell's lines are one
// paragraph (paragraph), and | in a cell is escaped (escapeMarkdown) so it
// does not end the cell.
func markdownTable(b *bytes.Buffer, t *table) {
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	head := make([]string, len(t.header))
	rule := make([]string, len(t.header))
	for i, h := range t.header {
		head[i], rule[i] = escapeMarkdown(h, false), "---"
	}
	row(head)
	row(rule)
	for _, r := range t.rows {
		cells := make([]string, len(t.header))
		for i := range cells {
			if i < len(r) {
				cells[i] = escapeMarkdown(paragraph(r[i]), false)
			}
		}
		row(cells)
	}
}

// The table's layout: the width of the type area (the template's paper
// less its margins, Template.typeWidth), text in 四号 (14 pt) 仿宋 — the
// header in 黑体 — at a fixed 20 pt line, off the page's line grid (which
// would space each line of a cell at the body's 28.95 pt), single borders
// all round.
const (
	tableTextSz  = "28"
	tableLine    = "400"
	tableBorders = `<w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`</w:tblBorders>`
)

// writeTable writes t as a w:tbl: fixed column widths, borders, the
// header row repeated at the top of every page it runs onto (w:tblHeader),
// a short row kept on one page, a long one (a row of measures may fill a
// page) free to break across pages.
func writeTable(body *bytes.Buffer, t *table, width int) error {
	widths := columnTwips(t.widths, len(t.header), width)
	body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(width) + `" w:type="dxa"/><w:jc w:val="center"/>` +
		tableBorders + `<w:tblLayout w:type="fixed"/>` +
		`<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>` +
		`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		body.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	body.WriteString(`</w:tblGrid>`)
	header := make([][]string, len(t.header))
	for i, h := range t.header {
		header[i] = []string{h}
	}
	if err := writeRow(body, header, widths, nil, true); err != nil {
		return err
	}
	for _, r := range t.rows {
		if err := writeRow(body, r, widths, t.centred, false); err != nil {
			return err
		}
	}
	body.WriteString(`</w:tbl>`)
	return nil
}

// writeRow writes one w:tr; every cell gets at least one paragraph, as
// the schema wants.
func writeRow(body *bytes.Buffer, cells [][]string, widths []int, centred []bool, header bool) error {
	body.WriteString(`<w:tr>`)
	switch {
	case header:
		body.WriteString(`<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	case shortRow(cells):
		body.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
	}
	for i, w := range widths {
		var lines []string
		if i < len(cells) {
			lines = cells[i]
		}
		if len(lines) == 0 {
			lines = []string{""}
		}
		body.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(w) + `" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`)
		jc := "left"
		if header || i < len(centred) && centred[i] {
			jc = "center"
		}
		for _, l := range lines {
			body.WriteString(`<w:p><w:pPr>` + noAutoSpace + `<w:snapToGrid w:val="0"/>` +
				`<w:spacing w:before="0" w:after="0" w:line="` + tableLine + `" w:lineRule="exact"/>` + noIndent +
				`<w:jc w:val="` + jc + `"/></w:pPr>`)
			if l != "" {
				body.WriteString(`<w:r><w:rPr>`)
				if header {
					body.WriteString(fonts(fontPart))
				}
				body.WriteString(`<w:sz w:val="` + tableTextSz + `"/><w:szCs w:val="` + tableTextSz + `"/></w:rPr><w:t xml:space="preserve">`)
				if err := xml.EscapeText(body, []byte(l)); err != nil {
					return fmt.Errorf("docx table: %w", err)
				}
				body.WriteString(`</w:t></w:r>`)
			}
			body.WriteString(`</w:p>`)
		}
		body.WriteString(`</w:tc>`)
	}
	body.WriteString(`</w:tr>`)
	return nil
}

// shortRowRunes is the most text a cell of a row kept on one page holds:
// a few lines of a narrow column, far less than a page.
const shortRowRunes = 120

// shortRow reports whether no cell of a row holds more than
// shortRowRunes characters.
func shortRow(cells [][]string) bool {
	for _, c := range cells {
		n := 0
		for _, l := range c {
			n += utf8.RuneCountInString(l)
		}
		if n > shortRowRunes {
			return false
		}
	}
	return true
}

// columnTwips shares the type area's width among n columns by their
// relative widths (equal when none are given); the last column takes what
// rounding leaves.
func columnTwips(rel []int, n, width int) []int {
	total := 0
	for i := 0; i < n; i++ {
		total += relWidth(rel, i)
	}
	out := make([]int, n)
	left := width
	for i := range out {
		if i == n-1 {
			out[i] = left
			break
		}
		out[i] = width * relWidth(rel, i) / total
		left -= out[i]
	}
	return out
}

func relWidth(rel []int, i int) int {
	if i < len(rel) && rel[i] > 0 {
		return rel[i]
	}
	return 1
}

// cellLines is a cell of text: its non-empty lines.
func cellLines(s string) []string { return lines(strings.TrimSpace(s)) }
