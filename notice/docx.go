package notice

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// DOCX lays a document (the 通报, 整改报告 or 整改方案) out as a Word
// document with the embedded reference document's layout
// (DefaultTemplate): the conventions of official documents (GB/T
// 9704-2012, 党政机关公文格式) as docx_parts.go sets them out.
func DOCX(d Document) ([]byte, error) { return DefaultTemplate().DOCX(d) }

// DOCX lays a document out as a Word document with the template's styles,
// fonts, settings, footer and page setup; a nil Template is the default.
// The writer puts in the text, the tables and each paragraph's style: the
// title broken at word boundaries (title.go), the headings by the levels
// of GB/T 9704 7.3.3, the unit and the date as a document without a seal
// places them (signatureIndents).
//
// It is a small OOXML writer of its own (archive/zip and encoding/xml's
// escaping): no maintained Go DOCX library is served here —
// github.com/gomutex/godocx and github.com/fumiama/go-docx have no versions
// on the module proxy and unioffice needs a paid licence — and the
// documents need only styled paragraphs and plain tables (docx_table.go).
// The parts are [Content_Types].xml, _rels/.rels, word/document.xml with
// its relationships, word/styles.xml, word/settings.xml,
// word/fontTable.xml, word/footer1.xml (and word/theme/theme1.xml when the
// template has a theme) and docProps/core.xml; the output is the same
// bytes for the same document and template.
func (t *Template) DOCX(d Document) ([]byte, error) {
	if t == nil {
		t = DefaultTemplate()
	}
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
			if err := writeTable(&body, b.table, t.typeWidth); err != nil {
				return nil, err
			}
			continue
		}
		body.WriteString("<w:p>")
		if style, ok := paragraphStyles[b.kind]; ok {
			body.WriteString(`<w:pPr><w:pStyle w:val="` + t.styleIDs[style.id] + `"/>`)
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
	contentTypes, documentRels := contentTypesXML, documentRelsXML
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", ""},
		{"_rels/.rels", packageRelsXML},
		{"docProps/core.xml", fmt.Sprintf(coreXML, title.String(), asOf.String())},
		{"word/document.xml", xml.Header + `<w:document ` + wordNS + `><w:body>` + body.String() + t.section() + `</w:body></w:document>`},
		{"word/_rels/document.xml.rels", ""},
		{"word/styles.xml", t.styles},
		{"word/settings.xml", t.settings},
		{"word/fontTable.xml", t.fontTable},
		{"word/footer1.xml", t.footer},
	}
	if t.theme != "" {
		parts = append(parts, struct{ name, content string }{themePart, t.theme})
		contentTypes = strings.Replace(contentTypes, `</Types>`, themeContentType+`</Types>`, 1)
		documentRels = strings.Replace(documentRels, `</Relationships>`, themeRelationship+`</Relationships>`, 1)
	}
	parts[0].content, parts[4].content = contentTypes, documentRels
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

// section is the document's w:sectPr: the footer with the page number, and
// the template's paper, margins and line grid.
func (t *Template) section() string {
	return `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/>` + t.page + `<w:cols w:space="720"/>` + t.grid + `</w:sectPr>`
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
