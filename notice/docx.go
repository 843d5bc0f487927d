package notice

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"time"
)

// DOCX lays a document (the 通报, 整改报告 or 整改方案) out as a Word
// document in the conventions of official documents (GB/T 9704-2012,
// 党政机关公文格式): A4, the title centred in 二号 小标宋, the body in 三号
// 仿宋 with a first-line indent of two characters and fixed line spacing,
// the headings by the levels of GB/T 9704 7.3.3 (一、 in 黑体, （一） in 楷体,
// 1. in 仿宋 like the body), the title broken at word boundaries
// (title.go), the unit and the date as a document without a seal places
// them (signatureIndents), page numbers "— 1 —" at the foot.
//
// It is a small OOXML writer of its own (archive/zip and encoding/xml's
// escaping): no maintained Go DOCX library is served here —
// github.com/gomutex/godocx and github.com/fumiama/go-docx have no versions
// on the module proxy and unioffice needs a paid licence — and the
// documents need only styled paragraphs and plain tables (docx_table.go).
// The parts are [Content_Types].xml, _rels/.rels, word/document.xml with
// its relationships, word/styles.xml, word/settings.xml,
// word/fontTable.xml, word/footer1.xml and docProps/core.xml; the output
// is the same bytes for the same document.
func DOCX(d Document) ([]byte, error) {
	var body bytes.Buffer
	blocks := d.blocks()
	docTitle, asOf := d.header()
	var signature, date string
	for _, b := range blocks {
		switch b.kind {
		case kindSignature:
			signature = b.text
		case kindDate:
			date = b.text
		}
	}
	sigRight, dateRight := signatureIndents(signature, date)
	for _, b := range blocks {
		if b.kind == kindTable {
			if err := writeTable(&body, b.table); err != nil {
				return nil, err
			}
			continue
		}
		body.WriteString("<w:p>")
		if style := paragraphStyles[b.kind]; style != "" {
			body.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/>`)
			switch b.kind {
			case kindSignature:
				body.WriteString(noAutoSpace + rightIndent(sigRight))
			case kindDate:
				body.WriteString(noAutoSpace + rightIndent(dateRight))
			case kindPrincipal:
				body.WriteString(noAutoSpace + rightIndent(2))
			}
			body.WriteString(`</w:pPr>`)
		}
		// The title's lines are runs apart by a line break (w:br): one
		// paragraph, so that it stays one heading and centres each line.
		runs := []string{b.label + b.text}
		if b.kind == kindTitle && len(b.lines) > 1 {
			runs = b.lines
		}
		for i, text := range runs {
			body.WriteString(`<w:r>`)
			if i > 0 {
				body.WriteString(`<w:br/>`)
			}
			body.WriteString(`<w:t xml:space="preserve">`)
			if err := xml.EscapeText(&body, []byte(text)); err != nil {
				return nil, fmt.Errorf("docx: %w", err)
			}
			body.WriteString("</w:t></w:r>")
		}
		body.WriteString("</w:p>")
	}
	var title bytes.Buffer
	if err := xml.EscapeText(&title, []byte(docTitle)); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", packageRelsXML},
		{"docProps/core.xml", fmt.Sprintf(coreXML, title.String(), asOf.String())},
		{"word/document.xml", xml.Header + `<w:document ` + wordNS + `><w:body>` + body.String() + sectionXML + `</w:body></w:document>`},
		{"word/_rels/document.xml.rels", documentRelsXML},
		{"word/styles.xml", stylesXML},
		{"word/settings.xml", settingsXML},
		{"word/fontTable.xml", fontTableXML},
		{"word/footer1.xml", footerXML},
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	// A fixed time keeps the archive reproducible: the report's own date.
	stamp := time.Date(asOf.Year, asOf.Month, asOf.Day, 0, 0, 0, 0, time.UTC)
	if asOf.IsZero() {
		stamp = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return nil, fmt.Errorf("docx: %s: %w", p.name, err)
		}
		if _, err := w.Write([]byte(p.content)); err != nil {
			return nil, fmt.Errorf("docx: %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return out.Bytes(), nil
}

// paragraphStyles maps a block to its style in styles.xml; body text uses
// the default paragraph style.
var paragraphStyles = map[kind]string{
	kindTitle:     "Title",
	kindPart:      "Heading1",
	kindSection:   "Heading2",
	kindProblem:   "Heading3",
	kindSignature: "Signature",
	kindDate:      "NoticeDate",
	kindAddressee: "Addressee",
	kindPrincipal: "NoticeDate",
}

// charTwips is one 三号 (16 pt) character in twentieths of a point.
const charTwips = 320

// signatureIndents places the unit and the date of a document without a
// seal (GB/T 9704-2012 7.3.5.2): the unit two characters from the right
// margin, the date on the next line with its first character two
// characters right of the unit's first; when the date is the wider, the
// date two characters from the margin and the unit moved left to keep
// the two characters. The results are right indents in characters.
func signatureIndents(signature, date string) (sigRight, dateRight float64) {
	s, d := textWidth(signature), textWidth(date)
	if s == 0 {
		return 2, 2
	}
	if s-d >= 2 {
		return 2, s - d
	}
	return d + 4 - s, 2
}

// rightIndent is a paragraph's right indent of chars characters, without
// the body's first-line indent.
func rightIndent(chars float64) string {
	return fmt.Sprintf(`<w:ind w:right="%d" w:firstLineChars="0" w:firstLine="0"/>`, int(chars*charTwips+0.5))
}

// Page setup, in twentieths of a point: A4, and the margins of GB/T 9704
// (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 1 mm = 56.7 twips).
// The line grid gives 22 lines a page (28.95 pt). There is no character
// grid: LibreOffice spreads the characters of a grid of 28 a line far
// wider than Word does, and 三号 text gives 27 a line without one. The page
// number sits 7 mm below the text block.
const sectionXML = `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/>` +
	`<w:pgSz w:w="11906" w:h="16838"/>` +
	`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1304" w:gutter="0"/>` +
	`<w:cols w:space="720"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>`
