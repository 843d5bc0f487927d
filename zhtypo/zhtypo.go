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

// written is what Punctuate writes: the full-width marks of fullWidth and
// the quotation marks.
var written = func() map[rune]bool {
	w := map[rune]bool{'“': true, '”': true, '‘': true, '’': true}
	for _, mark := range fullWidth {
		w[mark] = true
	}
	return w
}()

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
	drop := widen(rs)
	out := rs[:0]
	for i, r := range rs {
		if !drop[i] {
			out = append(out, r)
		}
	}
	return nestQuotes(string(out))
}

// widen makes full-width, in place, every half-width , ; : ! ? touching a
// Chinese character and every ( ) pair that follows Chinese text or holds
// some, and reports the spaces to drop: the one between a mark it widened
// and the Chinese text after ("完成, 剩余" is "完成，剩余": a full-width
// mark carries its own space).
//
// A mark made full-width makes its neighbouring mark touch Chinese
// ("完成!!" → "完成！！"), a bracket after it too ("成!(0)" → "成！（0）"),
// and a pair widened makes the pair around it hold Chinese and the pair
// inside it follow Chinese ("(()一)" → "（（）一）"). Each character that
// becomes Chinese therefore puts its neighbours and its enclosing pair
// back on a worklist: linear in the text, where repeating whole passes
// until nothing changes was quadratic ("成!!!…" takes a pass per mark) and
// hung CI's fuzzer on a long run of marks.
func widen(rs []rune) (drop []bool) {
	n := len(rs)
	match := make([]int, n)     // the other bracket of a matched pair, or -1
	enclosing := make([]int, n) // the opening bracket of the innermost matched pair around i, or -1
	var open []int
	for i, r := range rs {
		match[i] = -1
		if r == ')' && len(open) > 0 { // a closing bracket is outside its own pair
			o := open[len(open)-1]
			open = open[:len(open)-1]
			match[o], match[i] = i, o
		}
		enclosing[i] = -1
		if len(open) > 0 {
			enclosing[i] = open[len(open)-1]
		}
		if r == '(' {
			open = append(open, i)
		}
	}
	// An opening bracket left unmatched encloses nothing; every one below
	// it on the stack is unmatched too, so the innermost is the only one
	// to check.
	for i, o := range enclosing {
		if o >= 0 && match[o] < 0 {
			enclosing[i] = -1
		}
	}
	holdsChinese := make([]bool, n) // by opening bracket
	for i, r := range rs {
		if o := enclosing[i]; o >= 0 && IsChinese(r) {
			holdsChinese[o] = true
		}
	}

	widened := make([]bool, n)
	work := make([]int, 0, n)
	for i := n - 1; i >= 0; i-- {
		work = append(work, i)
	}
	chinese := func(i int) bool { return i >= 0 && i < n && IsChinese(rs[i]) }
	became := func(i int) { // rs[i] is now a full-width mark: look again around it
		if i+1 < n {
			work = append(work, i+1)
		}
		if i > 0 {
			work = append(work, i-1)
		}
		if o := enclosing[i]; o >= 0 {
			holdsChinese[o] = true
			work = append(work, o)
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		switch r := rs[i]; r {
		case ',', ';', ':', '!', '?':
			if !endsEntity(rs, i) && (chinese(i-1) || chinese(i+1)) {
				rs[i], widened[i] = fullWidth[r], true
				became(i)
			}
		case '(', ')':
			o := i
			if r == ')' {
				o = match[i]
			}
			if o < 0 || match[o] < 0 || !(holdsChinese[o] || chinese(o-1)) {
				continue
			}
			c := match[o]
			rs[o], rs[c] = fullWidth['('], fullWidth[')']
			became(o)
			became(c)
		}
	}

	drop = make([]bool, n)
	for i := range rs {
		if widened[i] && i+2 < n && rs[i+1] == ' ' && IsChinese(rs[i+2]) {
			drop[i+1] = true
		}
	}
	return drop
}

// pairStraightQuotes makes "…" pairs holding Chinese text “…”. An
// attribute's value (w:val="仿宋") is markup, not a quotation: left.
//
// Only text Punctuate does not write itself counts as Chinese here: a pair
// holding nothing but a bracket Punctuate widened ("成(")"") would
// otherwise be straight after one pass and curly after the next.
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
			if IsChinese(c) && !written[c] {
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

// Offences lists each half-width , ; : ! ? ( ) in s that Punctuate would
// make full-width, with a few characters around it: what a proofreader
// would flag. The catalogs' and
// the documents' tests fail on any.
func Offences(s string) []string {
	var out []string
	rs := []rune(s)
	fixed := slices.Clone(rs)
	widen(fixed)
	for i, r := range rs {
		if fixed[i] != r {
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
