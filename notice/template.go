package notice

import (
	"archive/zip"
	"bytes"
	_ "embed" // the reference document
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// Template is the layout of the .docx the package writes, taken from a
// reference document an office can edit in Word or LibreOffice: the
// paragraph styles (word/styles.xml), the fonts and their fallbacks
// (word/fontTable.xml), the settings (word/settings.xml), the page-number
// footer and the page setup (the paper, the margins and the line grid of
// the body's w:sectPr). The text, the tables and which style each
// paragraph takes stay the writer's. The embedded default is
// template/reference.docx, built from the parts in docx_parts.go; any
// .docx the package wrote is a template too.
//
// A Template does not change once loaded: one may serve many documents at
// once.
type Template struct {
	styles, settings, fontTable, footer string
	// theme is the theme part a template saved by Word carries (its styles
	// may name theme fonts); "" when there is none.
	theme string
	// page is the sectPr's w:pgSz and w:pgMar, grid its w:docGrid ("" when
	// the reference has none), as the writer writes them.
	page, grid string
	// typeWidth is the width of the type area in twips: the tables' width.
	typeWidth int
	// styleIDs maps the writer's style ids to the template's: the same,
	// unless a Word or LibreOffice renamed them on saving (matched by name).
	styleIDs map[string]string
}

// paragraphStyle is a paragraph style the writer refers to.
type paragraphStyle struct {
	id   string // the style id the writer writes (and the reference has)
	name string // the name Word shows, by which a renamed id is found
	use  string // what it lays out, for the error that it is missing
}

// paragraphStyles are the paragraph styles the writer refers to, each by
// the blocks it lays out: every template must define them all. Body text
// takes the default paragraph style; tables and the footer are formatted
// directly (docx_table.go) or by the template itself.
var paragraphStyles = map[kind]paragraphStyle{
	kindTitle:     {"Title", "Title", "the title"},
	kindPart:      {"Heading1", "heading 1", "一、 headings"},
	kindSection:   {"Heading2", "heading 2", "（一） headings"},
	kindProblem:   {"Heading3", "heading 3", "1. headings"},
	kindSignature: {"Signature", "Signature", "the issuing unit under the text"},
	kindDate:      {"NoticeDate", "Date", "the date under the unit, and the 第一责任人 line"},
	kindAddressee: {"Addressee", "Salutation", "the addressee (主送机关)"},
	kindPrincipal: {"NoticeDate", "Date", "the date under the unit, and the 第一责任人 line"},
}

//go:generate go test -run TestTheEmbeddedReferenceIsBuiltFromTheParts -update .

//go:embed template/reference.docx
var referenceDOCX []byte

// DefaultTemplate is the embedded reference document's layout: GB/T 9704
// as docx_parts.go describes it.
func DefaultTemplate() *Template { return defaultTemplate() }

// A broken embedded reference is a bug caught by the package's tests.
var defaultTemplate = sync.OnceValue(func() *Template {
	t, err := ParseTemplate(referenceDOCX)
	if err != nil {
		panic("notice: the embedded template/reference.docx: " + err.Error())
	}
	return t
})

// ReferenceDOCX is the embedded reference document, for an office to start
// its own from.
func ReferenceDOCX() []byte { return bytes.Clone(referenceDOCX) }

// LoadTemplateFile reads a reference document from a file (LoadTemplate).
func LoadTemplateFile(name string) (*Template, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return LoadTemplate(f, fi.Size())
}

// ParseTemplate reads a reference document held in memory (LoadTemplate).
func ParseTemplate(data []byte) (*Template, error) {
	return LoadTemplate(bytes.NewReader(data), int64(len(data)))
}

// The namespaces a template is read in: Transitional OOXML, which the
// writer's own parts are in (Strict, which Word can also save, is
// refused), and the limit of what is read of a part.
const (
	mainNS   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	relsNS   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	strictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	// maxPartSize bounds what is read of one part: a reference document's
	// parts are a few hundred kilobytes at most.
	maxPartSize = 8 << 20
)

// LoadTemplate reads a reference document (.docx) and checks that the
// writer can lay documents out with it: a zip holding word/styles.xml
// that defines every paragraph style the writer refers to (matched by id,
// or by name when a word processor renamed the id), the settings, the
// font table, a default footer and the body's page setup (w:pgSz and
// w:pgMar). The error says what is missing or broken.
func LoadTemplate(r io.ReaderAt, size int64) (*Template, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("the template is not a .docx (a zip archive): %w", err)
	}
	p := pkg{files: map[string]*zip.File{}}
	for _, f := range zr.File {
		p.files[f.Name] = f
	}
	doc, err := p.read("word/document.xml", "the main document")
	if err != nil {
		return nil, err
	}
	rels, err := p.relationships("word/document.xml")
	if err != nil {
		return nil, err
	}
	t := &Template{}
	sect, err := bodySection(doc)
	if err != nil {
		return nil, err
	}
	if t.page, t.grid, t.typeWidth, err = sect.page(); err != nil {
		return nil, err
	}
	for _, part := range []struct {
		dst    *string
		rel    string // the relationship that names the part
		target string // where it is when no relationship names it
		what   string
		opt    bool
	}{
		{&t.styles, "styles", "word/styles.xml", "the styles", false},
		{&t.settings, "settings", "word/settings.xml", "the settings", false},
		{&t.fontTable, "fontTable", "word/fontTable.xml", "the font table", false},
		{&t.footer, "", footerTarget(rels, sect.footer), "the page-number footer", false},
		{&t.theme, "theme", "", "the theme", true},
	} {
		name := part.target
		if part.rel != "" {
			if n := rels.target(relBase + part.rel); n != "" {
				name = n
			}
		}
		if name == "" && part.opt {
			continue
		}
		b, err := p.read(name, part.what)
		if err != nil {
			return nil, err
		}
		if err := wellFormedPart(name, b); err != nil {
			return nil, err
		}
		// The writer carries the part over alone: a picture or a link it
		// refers to would be missing, and Word would call the file broken.
		if own, err := p.relationships(name); err != nil {
			return nil, err
		} else if len(own.Rels) > 0 && part.opt {
			continue // the theme is a nicety: left out rather than refused
		} else if len(own.Rels) > 0 {
			return nil, fmt.Errorf("the template's %s (%s) refers to other files (%s), which the writer does not carry over: remove its pictures, links or embedded fonts", part.what, name, relsName(name))
		}
		*part.dst = string(b)
	}
	if t.styleIDs, err = styleIDs([]byte(t.styles)); err != nil {
		return nil, err
	}
	return t, nil
}

// styleIDs checks that styles.xml defines every paragraph style the writer
// refers to and maps the writer's ids to the template's.
func styleIDs(styles []byte) (map[string]string, error) {
	var s struct {
		XMLName xml.Name
		Styles  []struct {
			Type string `xml:"type,attr"`
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
		} `xml:"style"`
	}
	if err := xml.Unmarshal(styles, &s); err != nil {
		return nil, fmt.Errorf("the template's word/styles.xml is not well-formed XML: %w", err)
	}
	if s.XMLName.Space != mainNS || s.XMLName.Local != "styles" {
		return nil, errors.New("the template's word/styles.xml holds no Word styles (w:styles)")
	}
	byID, byName := map[string]string{}, map[string]string{}
	for _, st := range s.Styles {
		if st.Type != "" && st.Type != "paragraph" {
			continue
		}
		byID[st.ID] = st.ID
		if n := strings.ToLower(st.Name.Val); byName[n] == "" {
			byName[n] = st.ID
		}
	}
	ids := map[string]string{}
	var missing []string
	for _, k := range styleOrder {
		ps := paragraphStyles[k]
		if _, done := ids[ps.id]; done {
			continue
		}
		switch {
		case byID[ps.id] != "":
			ids[ps.id] = ps.id
		case byName[strings.ToLower(ps.name)] != "":
			ids[ps.id] = byName[strings.ToLower(ps.name)]
		default:
			ids[ps.id] = ""
			missing = append(missing, fmt.Sprintf("%s (%s)", ps.id, ps.use))
		}
	}
	switch len(missing) {
	case 0:
		return ids, nil
	case 1:
		return nil, fmt.Errorf("the template lacks the paragraph style %s", missing[0])
	default:
		return nil, fmt.Errorf("the template lacks the paragraph styles %s", strings.Join(missing, ", "))
	}
}

// styleOrder is the order the styles are checked and named in.
var styleOrder = []kind{kindTitle, kindAddressee, kindPart, kindSection, kindProblem, kindSignature, kindDate, kindPrincipal}
