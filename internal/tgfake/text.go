package tgfake

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Telegram's length limits, in UTF-16 code units of the parsed text.
const (
	maxTextLen    = 4096
	maxCaptionLen = 1024
)

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// formatted is a text or caption after entity parsing, as Telegram stores it.
type formatted struct {
	raw      string // what the bot sent
	text     string
	mode     string
	entities []models.MessageEntity
}

// parseFormatted applies parse_mode (or explicit entities) and Telegram's
// trimming, then checks the length. caption selects the caption rules: it
// may be empty and has its own limit and messages.
func parseFormatted(p *params, field, entitiesField string, caption bool) (formatted, *apiError) {
	f := formatted{raw: p.str(field), mode: p.str("parse_mode")}
	if !utf8.ValidString(f.raw) {
		return f, badRequest("strings must be encoded in UTF-8")
	}
	switch strings.ToLower(f.mode) {
	case "":
		f.text = f.raw
		if raw := p.str(entitiesField); raw != "" {
			if err := json.Unmarshal([]byte(raw), &f.entities); err != nil {
				return f, badRequest("can't parse entities JSON object")
			}
		}
	case "html":
		text, ents, err := parseHTML(f.raw)
		if err != nil {
			return f, badRequest("can't parse entities: %v", err)
		}
		f.text, f.entities = text, ents
	case "markdown", "markdownv2":
		return f, badRequest("tgfake: parse_mode %s is not implemented, use HTML", f.mode)
	default:
		return f, badRequest("unsupported parse_mode")
	}
	f.text, f.entities = trimFormatted(f.text, f.entities)
	n := utf16Len(f.text)
	switch {
	case caption && n > maxCaptionLen:
		return f, badRequest("message caption is too long")
	case caption:
	case n == 0:
		return f, badRequest("message text is empty")
	case n > maxTextLen:
		return f, badRequest("message is too long")
	}
	return f, nil
}

// trimFormatted strips leading and trailing whitespace as Telegram does
// (so "  " is an empty message) and clips the entities to what remains.
func trimFormatted(text string, ents []models.MessageEntity) (string, []models.MessageEntity) {
	const space = " \t\n\r\v\f"
	left := text[:len(text)-len(strings.TrimLeft(text, space))]
	trimmed := strings.TrimRight(text[len(left):], space)
	if len(left) == 0 && len(trimmed) == len(text) {
		return text, ents
	}
	shift, size := utf16Len(left), utf16Len(trimmed)
	var out []models.MessageEntity
	for _, e := range ents {
		start, end := max(e.Offset-shift, 0), min(e.Offset+e.Length-shift, size)
		if end > start {
			e.Offset, e.Length = start, end-start
			out = append(out, e)
		}
	}
	return trimmed, out
}

// detectEntities finds the entities Telegram marks in what users write:
// bot commands at word starts and @mentions, which bots route on.
func detectEntities(text string) []models.MessageEntity {
	var ents []models.MessageEntity
	u16 := 0
	prev := rune(' ')
	for i, r := range text {
		if r == '/' && unicode.IsSpace(prev) || r == '@' && !isWordRune(prev) {
			end := i + 1
			for end < len(text) {
				c, n := utf8.DecodeRuneInString(text[end:])
				if !isWordRune(c) && !(r == '/' && c == '@') {
					break
				}
				end += n
			}
			if end-i > 1 {
				typ := models.MessageEntityTypeMention
				if r == '/' {
					typ = models.MessageEntityTypeBotCommand
				}
				ents = append(ents, models.MessageEntity{Type: typ, Offset: u16, Length: utf16Len(text[i:end])})
			}
		}
		u16 += utf16Len(string(r))
		prev = r
	}
	return ents
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// utf16Slice cuts text by UTF-16 offsets, as entities address it.
func utf16Slice(text string, offset, length int) string {
	start, end, pos := -1, len(text), 0
	for i, r := range text {
		if pos == offset {
			start = i
		}
		if pos == offset+length {
			end = i
			break
		}
		pos++
		if r >= 0x10000 {
			pos++
		}
	}
	if start < 0 {
		return ""
	}
	return text[start:end]
}
