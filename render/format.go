package render

import (
	"html"
	"unicode/utf8"
)

// Format is the markup of a text meant for people.
type Format int

const (
	// FormatHTML is Telegram's parse_mode HTML: headings in <b>, and every
	// user-supplied string escaped so that a title like "<script>&" can
	// neither break the message nor inject markup.
	FormatHTML Format = iota
	// FormatPlain is for the command line: no tags and no escaping.
	FormatPlain
)

// esc makes a user-supplied string safe for f. html.EscapeString also
// escapes quotes, which Telegram accepts as entities.
func esc(f Format, s string) string {
	if f == FormatHTML {
		return html.EscapeString(s)
	}
	return s
}

// bold marks up an already safe string as a heading.
func bold(f Format, s string) string {
	if f == FormatHTML {
		return "<b>" + s + "</b>"
	}
	return s
}

// truncateRunes shortens s to at most n runes, the last being "…", so a
// long title keeps a digest line readable. It works on runes, and callers
// apply it before escaping, so neither a character nor an HTML entity is
// ever cut in half.
func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
