package notice

// Reading a reference document's package: its parts, their relationships,
// and the body's page setup.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// pkg is a .docx's files by name.
type pkg struct{ files map[string]*zip.File }

// read is a part's bytes; what names it in the error when it is missing.
func (p pkg) read(name, what string) ([]byte, error) {
	f, ok := p.files[name]
	if !ok {
		return nil, fmt.Errorf("the template lacks %s (%s)", what, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("the template's %s: %w", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxPartSize+1))
	if err != nil {
		return nil, fmt.Errorf("the template's %s: %w", name, err)
	}
	if len(b) > maxPartSize {
		return nil, fmt.Errorf("the template's %s is larger than %d MiB", name, maxPartSize>>20)
	}
	return b, nil
}

// relsXML is a part's relationships (_rels/NAME.rels).
type relsXML struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
		Mode   string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
	dir string // the folder the targets are relative to
}

func relsName(part string) string {
	dir, file := path.Split(part)
	return dir + "_rels/" + file + ".rels"
}

// relationships reads a part's relationships; a part without any has none.
func (p pkg) relationships(part string) (relsXML, error) {
	r := relsXML{dir: path.Dir(part)}
	name := relsName(part)
	if _, ok := p.files[name]; !ok {
		return r, nil
	}
	b, err := p.read(name, "relationships")
	if err != nil {
		return r, err
	}
	if err := xml.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("the template's %s is not well-formed XML: %w", name, err)
	}
	return r, nil
}

// target is the part the first relationship of the type names, "" when
// there is none.
func (r relsXML) target(typ string) string {
	for _, rel := range r.Rels {
		if rel.Type == typ && rel.Mode != "External" {
			return r.resolve(rel.Target)
		}
	}
	return ""
}

func (r relsXML) resolve(target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(r.dir, target)
}

// footerTarget is the part of the default footer the section names,
// word/footer1.xml when it names none.
func footerTarget(rels relsXML, id string) string {
	for _, rel := range rels.Rels {
		if id != "" && rel.ID == id && rel.Type == relBase+"footer" {
			return rels.resolve(rel.Target)
		}
	}
	return "word/footer1.xml"
}

// wellFormedPart decodes a part token by token, in the namespace of
// Transitional OOXML, which the writer's own parts are in.
func wellFormedPart(name string, b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the template's %s is not well-formed XML: %w", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Space == strictNS {
			return fmt.Errorf("the template's %s is Strict Open XML: save the template as a Word document (.docx), not Strict", name)
		}
	}
}

// section is the body's w:sectPr: the elements the writer takes and the
// relationship id of its default footer.
type section struct {
	elems  map[string]xml.StartElement // pgSz, pgMar, docGrid
	footer string
}

// bodySection finds the body's w:sectPr (the last section's, a child of
// w:body).
func bodySection(doc []byte) (section, error) {
	s := section{elems: map[string]xml.StartElement{}}
	d := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	found := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s, fmt.Errorf("the template's word/document.xml is not well-formed XML: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space == strictNS {
				return s, errors.New("the template's word/document.xml is Strict Open XML: save the template as a Word document (.docx), not Strict")
			}
			stack = append(stack, tok.Name.Local)
			inBodySect := len(stack) == 4 && strings.Join(stack[:3], "/") == "document/body/sectPr"
			switch {
			case len(stack) == 3 && stack[1] == "body" && tok.Name.Local == "sectPr" && tok.Name.Space == mainNS:
				found, s.elems, s.footer = true, map[string]xml.StartElement{}, ""
			case inBodySect && tok.Name.Space == mainNS && (tok.Name.Local == "pgSz" || tok.Name.Local == "pgMar" || tok.Name.Local == "docGrid"):
				s.elems[tok.Name.Local] = tok.Copy()
			case inBodySect && tok.Name.Space == mainNS && tok.Name.Local == "footerReference" && attr(tok, mainNS, "type") == "default":
				s.footer = attr(tok, relsNS, "id")
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if !found {
		return s, errors.New("the template's word/document.xml has no page setup (the body's w:sectPr)")
	}
	return s, nil
}

func attr(se xml.StartElement, space, local string) string {
	for _, a := range se.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// page writes the section's paper and margins, and its line grid, as the
// writer puts them in its own w:sectPr, and works out the type area's
// width.
func (s section) page() (page, grid string, width int, err error) {
	for _, name := range []string{"pgSz", "pgMar"} {
		if _, ok := s.elems[name]; !ok {
			return "", "", 0, fmt.Errorf("the template's page setup lacks the w:%s (the paper size and the margins)", name)
		}
	}
	num := func(elem, a string) int {
		n, _ := strconv.Atoi(attr(s.elems[elem], mainNS, a))
		return n
	}
	width = num("pgSz", "w") - num("pgMar", "left") - num("pgMar", "right") - num("pgMar", "gutter")
	if width < 1440 {
		return "", "", 0, fmt.Errorf("the template's page leaves %d twips between the margins: less than an inch for the text", width)
	}
	page = emptyElement(s.elems["pgSz"]) + emptyElement(s.elems["pgMar"])
	if g, ok := s.elems["docGrid"]; ok {
		grid = emptyElement(g)
	}
	return page, grid, width, nil
}

// emptyElement writes an element of the main namespace with its attributes
// of that namespace, in their order, with the w: prefix the writer's
// document declares; attributes of other namespaces are left out.
func emptyElement(se xml.StartElement) string {
	var b strings.Builder
	b.WriteString("<w:" + se.Name.Local)
	for _, a := range se.Attr {
		if a.Name.Space != mainNS {
			continue
		}
		b.WriteString(" w:" + a.Name.Local + `="`)
		_ = xml.EscapeText(&b, []byte(a.Value))
		b.WriteString(`"`)
	}
	b.WriteString("/>")
	return b.String()
}
