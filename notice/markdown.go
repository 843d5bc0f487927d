package notice

import (
	"bytes"
	"strings"
	"unicode"
)

// Markdown lays a document out for reading (the 通报 as here; the others
// alike, their tables as pipe tables): the title (one line, however
// the .docx breaks it) and the headings of the three levels as headings —
// # title, ## 一、, ### （一）, #### 1. — every other paragraph as a paragraph, the
// labels 整改措施 and 整改情况 in bold. The ledger's words are kept, in
// standard punctuation (blocks), and only the characters that Markdown
// would read as markup are escaped.
func Markdown(d Document) []byte {
	var b bytes.Buffer
	for i, bl := range d.blocks() {
		if i > 0 {
			b.WriteString("\n")
		}
		if bl.kind == kindTable {
			markdownTable(&b, bl.table)
			continue
		}
		marker := map[kind]string{kindTitle: "# ", kindPart: "## ", kindSection: "### ", kindProblem: "#### "}[bl.kind]
		b.WriteString(marker)
		if bl.label != "" {
			// The colon stays outside the emphasis: CommonMark does not
			// close ** after punctuation when a letter (a CJK character)
			// follows, so **整改措施：**一是 would print its asterisks.
			name, colon := strings.CutSuffix(bl.label, "：")
			b.WriteString("**" + escapeMarkdown(name, false) + "**")
			if colon {
				b.WriteString("：")
			}
		}
		text := escapeMarkdown(bl.text, marker == "" && bl.label == "")
		if marker != "" && strings.HasSuffix(text, "#") {
			text = text[:len(text)-1] + "\\#" // not a closing sequence
		}
		b.WriteString(text + "\n")
	}
	return b.Bytes()
}

// escapeMarkdown backslash-escapes what CommonMark (and GitHub's tables and
// strikethrough) would take for markup: emphasis, code, links, HTML and
// entities anywhere; block markers (#, >, -, +, =, "1. ") when s starts a
// line. Newlines become spaces: a block is one paragraph.
func escapeMarkdown(s string, lineStart bool) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	s = strings.Trim(s, " \t") // leading spaces would make a code block
	if s == "" {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>&|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if !lineStart {
		return out
	}
	if strings.ContainsRune("#>-+=", rune(out[0])) {
		return "\\" + out
	}
	// An ordered-list marker: digits, then . or ), then a space or nothing.
	i := strings.IndexFunc(out, func(r rune) bool { return !unicode.IsDigit(r) || r > unicode.MaxASCII })
	if i > 0 && i < len(out) && (out[i] == '.' || out[i] == ')') &&
		(i+1 == len(out) || out[i+1] == ' ' || out[i+1] == '\t') {
		return out[:i] + "\\" + out[i:]
	}
	return out
}
