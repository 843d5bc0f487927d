package render

import (
	"strings"
	"unicode/utf16"

	"github.com/rectibot/rectibot/ledger"
)

// TelegramMaxText is the most a Telegram text message may hold, counted in
// UTF-16 code units after entity parsing.
const TelegramMaxText = 4096

// DigestPages renders the digest as one or more messages of at most
// maxUnits UTF-16 code units each (TelegramMaxText for Telegram). See
// Paginate for how it splits.
func DigestPages(d ledger.Digest, lang Lang, f Format, maxUnits int) []string {
	return Paginate(Digest(d, lang, f), f, maxUnits)
}

// Paginate splits text into pages at line boundaries, never inside a line,
// so a tag or entity is never cut. Length is measured in UTF-16 code units
// of the raw text: Telegram counts after decoding entities, so "&amp;"
// counting 5 instead of 1 only errs on the safe side. A line that alone
// exceeds the limit is truncated with "…" (keeping its markup balanced).
// Blank lines at the edge of a page are dropped. maxUnits <= 0 means no
// limit.
func Paginate(text string, f Format, maxUnits int) []string {
	if maxUnits <= 0 {
		return []string{text}
	}
	var pages, cur []string
	size := 0
	flush := func() {
		for len(cur) > 0 && cur[len(cur)-1] == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			pages = append(pages, strings.Join(cur, "\n"))
		}
		cur, size = nil, 0
	}
	for _, line := range strings.Split(text, "\n") {
		n := utf16Len(line)
		if n > maxUnits {
			line = truncateLine(line, f, maxUnits)
			n = utf16Len(line)
		}
		if len(cur) > 0 && size+1+n > maxUnits {
			flush()
		}
		if len(cur) == 0 {
			if line == "" {
				continue
			}
			cur, size = append(cur, line), n
			continue
		}
		cur, size = append(cur, line), size+1+n
	}
	flush()
	return pages
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncateLine shortens line to at most max UTF-16 units ending in "…". In
// HTML, tags and entities are kept whole or dropped whole, and tags still
// open at the cut are closed.
func truncateLine(line string, f Format, max int) string {
	const ellipsis = "…"
	var b strings.Builder
	used := 0
	var open []string // names of tags opened and not yet closed
	for rest := line; rest != ""; {
		tok := nextToken(rest, f)
		next := open
		if name, closing, ok := tagName(tok, f); ok {
			if !closing {
				next = append(open[:len(open):len(open)], name)
			} else if len(open) > 0 {
				next = open[:len(open)-1]
			}
		}
		if used+utf16Len(tok)+utf16Len(closeTags(next))+utf16Len(ellipsis) > max {
			break
		}
		b.WriteString(tok)
		used += utf16Len(tok)
		open = next
		rest = rest[len(tok):]
	}
	return b.String() + ellipsis + closeTags(open)
}

// closeTags closes the open tags, innermost first.
func closeTags(open []string) string {
	var b strings.Builder
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteString("</" + open[i] + ">")
	}
	return b.String()
}

// nextToken returns the first token of s: a whole tag or entity in HTML,
// otherwise one character.
func nextToken(s string, f Format) string {
	if f == FormatHTML {
		switch s[0] {
		case '<':
			if i := strings.IndexByte(s, '>'); i > 0 {
				return s[:i+1]
			}
		case '&':
			if i := strings.IndexByte(s, ';'); i > 0 && i <= 10 {
				return s[:i+1]
			}
		}
	}
	for i := range s {
		if i > 0 {
			return s[:i]
		}
	}
	return s
}

// tagName reports whether tok is an HTML tag, its name, and whether it
// closes.
func tagName(tok string, f Format) (name string, closing, ok bool) {
	if f != FormatHTML || len(tok) < 3 || tok[0] != '<' || tok[len(tok)-1] != '>' {
		return "", false, false
	}
	inner := tok[1 : len(tok)-1]
	if strings.HasPrefix(inner, "/") {
		closing = true
		inner = inner[1:]
	}
	if i := strings.IndexAny(inner, " \t"); i >= 0 {
		inner = inner[:i]
	}
	return inner, closing, inner != ""
}
