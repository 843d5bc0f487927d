// Package zhtypo puts Chinese text in standard typography (GB/T 15834):
// full-width ，；：（）！？ next to Chinese characters, and quotation marks
// nested “‘’”. Documents run ledger text through Punctuate (the ledger keeps
// what was entered); the catalogs are written so already, which Offences
// checks in tests.
//
// Written here rather than taken from a library: the Go libraries for
// Chinese text (segmenters, converters such as OpenCC ports) do not
// normalise punctuation, and the rule is small — a mark is full-width when
// it touches a Chinese character.
package zhtypo

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fullWidth maps the marks that must be full-width beside Chinese text.
var fullWidth = map[rune]rune{
	',': '，', ';': '；', ':': '：', '!': '！', '?': '？', '(': '（', ')': '）',
}

// IsChinese reports whether r is a Chinese character or a full-width mark:
// what a half-width mark may not touch.
func IsChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK symbols and punctuation: 、。《》「」
		(r >= 0xFF01 && r <= 0xFF60) || // full-width forms: ，：；（）！？
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

// Punctuate returns s with every half-width , ; : ! ? next to a Chinese
// character made full-width, brackets made full-width as a pair when
// either touches Chinese text or holds some, straight double quotes
// around Chinese text made “”, and quotation marks nested “‘’”. Marks
// between Latin letters or digits (1,000; 12:30; 6(2); http://) are left
// alone.
func Punctuate(s string) string {
	if !hasChinese(s) {
		return s
	}
	rs := []rune(s)
	pairStraightQuotes(rs)
	// A mark made full-width makes its neighbouring mark touch Chinese
	// ("完成!!" → "完成！！"), a bracket after it too ("成!(0)" →
	// "成！（0）"), and a pair widened makes the pair inside it follow
	// Chinese ("(()一)" → "（（）一）"): repeat until nothing changes.
	for changed := true; changed; {
		var marks bool
		brackets := widenBrackets(rs)
		rs, marks = widenMarks(rs)
		changed = brackets || marks
	}
	return nestQuotes(string(rs))
}

// widenMarks makes each half-width , ; : ! ? touching a Chinese character
// full-width, dropping a space between it and the Chinese text after.
func widenMarks(rs []rune) ([]rune, bool) {
	out := make([]rune, 0, len(rs))
	changed := false
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		fw, ok := fullWidth[r]
		if ok && r != '(' && r != ')' && !endsEntity(rs, i) && ((i > 0 && IsChinese(rs[i-1])) || (i+1 < len(rs) && IsChinese(rs[i+1]))) {
			r, changed = fw, true
			// A full-width mark carries its own space: "完成, 剩余" is
			// "完成，剩余".
			for i+2 < len(rs) && rs[i+1] == ' ' && IsChinese(rs[i+2]) {
				i++
			}
		}
		out = append(out, r)
	}
	return out, changed
}

// widenBrackets makes a (…) pair full-width when the character before the
// opening one is Chinese or the content holds a Chinese character: （一）,
// 问题（2021年）; a code such as 6(2) stays, whatever follows it.
func widenBrackets(rs []rune) bool {
	changed := false
	var open []int
	for i, r := range rs {
		switch r {
		case '(':
			open = append(open, i)
		case ')':
			if len(open) == 0 {
				continue
			}
			o := open[len(open)-1]
			open = open[:len(open)-1]
			inner := false
			for _, c := range rs[o+1 : i] {
				if IsChinese(c) {
					inner = true
					break
				}
			}
			if inner || (o > 0 && IsChinese(rs[o-1])) {
				rs[o], rs[i], changed = '（', '）', true
			}
		}
	}
	return changed
}

// pairStraightQuotes makes "…" pairs holding Chinese text “…”. An
// attribute's value (w:val="仿宋") is markup, not a quotation: left.
func pairStraightQuotes(rs []rune) {
	open := -1
	for i, r := range rs {
		if r != '"' || (open < 0 && i > 0 && rs[i-1] == '=') {
			continue
		}
		if open < 0 {
			open = i
			continue
		}
		for _, c := range rs[open+1 : i] {
			if IsChinese(c) {
				rs[open], rs[i] = '“', '”'
				break
			}
		}
		open = -1
	}
}

// nestQuotes turns quotation marks inside quotation marks into single ones:
// “…“…”…” becomes “…‘…’…”. A closing mark with nothing open is left.
func nestQuotes(s string) string {
	if strings.Count(s, "“")+strings.Count(s, "‘") < 2 {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '“', '‘':
			depth++
			r = '“'
			if depth%2 == 0 {
				r = '‘'
			}
		case '”', '’':
			if depth > 0 {
				r = '”'
				if depth%2 == 0 {
					r = '’'
				}
				depth--
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Offences lists each half-width , ; : ! ? in s that touches a Chinese
// character, and each ( ) pair Punctuate would widen, with a few
// characters around it: what a proofreader would flag. The catalogs' and
// the documents' tests fail on any.
func Offences(s string) []string {
	var out []string
	rs := []rune(s)
	paired := slices.Clone(rs)
	for widenBrackets(paired) {
	}
	for i, r := range rs {
		if _, ok := fullWidth[r]; !ok {
			continue
		}
		offends := paired[i] != r // a bracket pair Punctuate would widen
		if r != '(' && r != ')' {
			offends = !endsEntity(rs, i) && ((i > 0 && IsChinese(rs[i-1])) || (i+1 < len(rs) && IsChinese(rs[i+1])))
		}
		if offends {
			out = append(out, string(rs[max(0, i-6):min(len(rs), i+7)]))
		}
	}
	return out
}

// endsEntity reports whether rs[i] is the semicolon closing an HTML
// character reference (&lt; &#36;): text for Telegram's HTML and the
// documents' XML keeps its escapes.
func endsEntity(rs []rune, i int) bool {
	if rs[i] != ';' {
		return false
	}
	for j := i - 1; j >= 0 && i-j <= 10; j-- {
		switch r := rs[j]; {
		case r == '&':
			return j < i-1
		case r == '#' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		default:
			return false
		}
	}
	return false
}

func hasChinese(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && IsChinese(r) {
			return true
		}
	}
	return false
}
