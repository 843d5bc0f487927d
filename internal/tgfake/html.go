package tgfake

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// The HTML parse mode is parsed by hand, after TDLib's parse_html, rather
// than with golang.org/x/net/html: an HTML5 tokenizer forgives exactly the
// mistakes Telegram refuses (bare "<", unknown tags, &nbsp;), and the error
// texts and byte offsets should read like Telegram's.

// htmlEntityTypes maps each supported tag to the entity it produces.
var htmlEntityTypes = map[string]models.MessageEntityType{
	"b": models.MessageEntityTypeBold, "strong": models.MessageEntityTypeBold,
	"i": models.MessageEntityTypeItalic, "em": models.MessageEntityTypeItalic,
	"u": models.MessageEntityTypeUnderline, "ins": models.MessageEntityTypeUnderline,
	"s": models.MessageEntityTypeStrikethrough, "strike": models.MessageEntityTypeStrikethrough,
	"del":        models.MessageEntityTypeStrikethrough,
	"tg-spoiler": models.MessageEntityTypeSpoiler, "span": models.MessageEntityTypeSpoiler,
	"a":          models.MessageEntityTypeTextLink,
	"code":       models.MessageEntityTypeCode,
	"pre":        models.MessageEntityTypePre,
	"blockquote": models.MessageEntityTypeBlockquote,
	"tg-emoji":   models.MessageEntityTypeCustomEmoji,
}

type openTag struct {
	name       string
	arg        string // href, code language, emoji id
	expandable bool
	offset     int // UTF-16 offset of the tag's content
}

type htmlParser struct {
	src   string
	out   strings.Builder
	u16   int // UTF-16 length of out
	stack []openTag
	ents  []models.MessageEntity
}

// parseHTML turns Telegram HTML into plain text and entities (UTF-16
// offsets). Errors are the part after "can't parse entities: ".
func parseHTML(src string) (string, []models.MessageEntity, error) {
	p := &htmlParser{src: src}
	for i := 0; i < len(src); {
		var err error
		switch src[i] {
		case '&':
			r, n := decodeHTMLEntity(src[i:])
			if n == 0 {
				// Telegram's documentation requires "&" outside an entity to
				// be written &amp;; the fake holds bots to it.
				return "", nil, fmt.Errorf("Unescaped \"&\" at byte offset %d; write it as &amp;", i)
			}
			p.emit(string(r))
			i += n
		case '<':
			if i+1 < len(src) && src[i+1] == '/' {
				i, err = p.endTag(i)
			} else {
				i, err = p.startTag(i)
			}
		default:
			_, n := utf8.DecodeRuneInString(src[i:])
			p.emit(src[i : i+n])
			i += n
		}
		if err != nil {
			return "", nil, err
		}
	}
	if n := len(p.stack); n > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", p.stack[n-1].name)
	}
	sort.SliceStable(p.ents, func(a, b int) bool {
		ea, eb := p.ents[a], p.ents[b]
		if ea.Offset != eb.Offset {
			return ea.Offset < eb.Offset
		}
		return ea.Length > eb.Length
	})
	return p.out.String(), p.ents, nil
}

func (p *htmlParser) emit(s string) {
	p.out.WriteString(s)
	p.u16 += utf16Len(s)
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isTagNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func (p *htmlParser) startTag(begin int) (int, error) {
	src := p.src
	i := begin + 1
	for i < len(src) && isTagNameByte(src[i]) {
		i++
	}
	tag := openTag{name: strings.ToLower(src[begin+1 : i]), offset: p.u16}
	if _, ok := htmlEntityTypes[tag.name]; !ok {
		return 0, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", tag.name, begin)
	}
	var spanClass string
	for {
		for i < len(src) && isHTMLSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		if src[i] == '>' {
			i++
			break
		}
		nameStart := i
		for i < len(src) && !isHTMLSpace(src[i]) && src[i] != '=' && src[i] != '>' {
			i++
		}
		attr := strings.ToLower(src[nameStart:i])
		if attr == "" {
			return 0, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", tag.name, i)
		}
		for i < len(src) && isHTMLSpace(src[i]) {
			i++
		}
		if i >= len(src) || src[i] != '=' {
			if tag.name == "blockquote" && attr == "expandable" {
				tag.expandable = true
				continue
			}
			return 0, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", tag.name, i)
		}
		i++
		for i < len(src) && isHTMLSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		var raw string
		if q := src[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(src[i+1:], q)
			if end < 0 {
				return 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			raw, i = src[i+1:i+1+end], i+end+2
		} else {
			valStart := i
			for i < len(src) && !isHTMLSpace(src[i]) && src[i] != '>' {
				i++
			}
			raw = src[valStart:i]
		}
		val, err := decodeAttr(raw, nameStart)
		if err != nil {
			return 0, err
		}
		switch {
		case tag.name == "a" && attr == "href":
			tag.arg = val
		case tag.name == "code" && attr == "class":
			if lang, ok := strings.CutPrefix(val, "language-"); ok {
				tag.arg = lang
			}
		case tag.name == "span" && attr == "class":
			spanClass = val
		case tag.name == "tg-emoji" && attr == "emoji-id":
			tag.arg = val
		case tag.name == "blockquote" && attr == "expandable":
			tag.expandable = true
		}
	}
	switch {
	case tag.name == "span" && spanClass != "tg-spoiler":
		return 0, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
	case tag.name == "a" && tag.arg == "":
		return 0, fmt.Errorf("Tag \"a\" must have attribute \"href\" at byte offset %d", begin)
	case tag.name == "tg-emoji":
		if _, err := strconv.ParseInt(tag.arg, 10, 64); err != nil {
			return 0, fmt.Errorf("Tag \"tg-emoji\" must have a numeric \"emoji-id\" attribute at byte offset %d", begin)
		}
	}
	p.stack = append(p.stack, tag)
	return i, nil
}

func (p *htmlParser) endTag(begin int) (int, error) {
	end := strings.IndexByte(p.src[begin:], '>')
	if end < 0 {
		return 0, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
	}
	name := strings.ToLower(strings.TrimSpace(p.src[begin+2 : begin+end]))
	n := len(p.stack)
	if n == 0 {
		return 0, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
	}
	top := p.stack[n-1]
	if name != top.name {
		return 0, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.name, name)
	}
	p.stack = p.stack[:n-1]
	length := p.u16 - top.offset
	if length == 0 {
		return begin + end + 1, nil
	}
	// <pre><code class="language-x"> is one pre entity with a language.
	if top.name == "code" && n >= 2 {
		if parent := &p.stack[n-2]; parent.name == "pre" && parent.offset == top.offset {
			if top.arg != "" {
				parent.arg = top.arg
			}
			return begin + end + 1, nil
		}
	}
	e := models.MessageEntity{Type: htmlEntityTypes[top.name], Offset: top.offset, Length: length}
	switch top.name {
	case "a":
		e.URL = top.arg
	case "pre":
		e.Language = top.arg
	case "tg-emoji":
		e.CustomEmojiID = top.arg
	case "blockquote":
		if top.expandable {
			e.Type = models.MessageEntityTypeExpandableBlockquote
		}
	}
	p.ents = append(p.ents, e)
	return begin + end + 1, nil
}

// decodeAttr decodes entities in an attribute value; at is the attribute's
// byte offset, for the error.
func decodeAttr(raw string, at int) (string, error) {
	if !strings.Contains(raw, "&") {
		return raw, nil
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		if raw[i] != '&' {
			b.WriteByte(raw[i])
			i++
			continue
		}
		r, n := decodeHTMLEntity(raw[i:])
		if n == 0 {
			return "", fmt.Errorf("Unescaped \"&\" in an attribute value at byte offset %d; write it as &amp;", at)
		}
		b.WriteRune(r)
		i += n
	}
	return b.String(), nil
}

// decodeHTMLEntity reads one of the entities Telegram knows (&lt; &gt;
// &amp; &quot; and numeric ones) at the start of s; n is 0 when s does not
// start with one.
func decodeHTMLEntity(s string) (r rune, n int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 12 {
		return 0, 0
	}
	body := s[1:end]
	switch body {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "quot":
		return '"', end + 1
	}
	if body[0] != '#' || len(body) < 2 {
		return 0, 0
	}
	num, base := body[1:], 10
	if num[0] == 'x' || num[0] == 'X' {
		num, base = num[1:], 16
	}
	v, err := strconv.ParseUint(num, base, 32)
	if err != nil || num == "" || v == 0 || !utf8.ValidRune(rune(v)) {
		return 0, 0
	}
	return rune(v), end + 1
}
