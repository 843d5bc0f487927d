package tgfake

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

const maxInlineButtons = 100

// markup is a parsed reply_markup: inline is set for inline keyboards, raw
// keeps what was sent (reply keyboards, remove_keyboard, force_reply).
type markup struct {
	inline *models.InlineKeyboardMarkup
	raw    string
}

// parseMarkup validates reply_markup as the Bot API does. inlineOnly is for
// edits, which accept nothing but an inline keyboard.
func parseMarkup(raw string, inlineOnly bool) (markup, *apiError) {
	m := markup{raw: raw}
	if strings.TrimSpace(raw) == "" {
		return m, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil || obj == nil {
		return m, badRequest("can't parse reply keyboard markup JSON object")
	}
	if rows, ok := obj["inline_keyboard"]; ok {
		kb, aerr := parseInlineKeyboard(rows)
		m.inline = kb
		return m, aerr
	}
	if inlineOnly {
		return m, badRequest("inline keyboard expected")
	}
	switch {
	case obj["keyboard"] != nil:
		var rows [][]json.RawMessage
		if json.Unmarshal(obj["keyboard"], &rows) != nil {
			return m, badRequest("field \"keyboard\" must be an Array of Arrays")
		}
		for _, row := range rows {
			for _, b := range row {
				var btn struct {
					Text string `json:"text"`
				}
				var s string
				if json.Unmarshal(b, &s) != nil && (json.Unmarshal(b, &btn) != nil || btn.Text == "") {
					return m, badRequest("can't parse keyboard button: Can't find field \"text\"")
				}
			}
		}
	case string(obj["remove_keyboard"]) == "true", string(obj["force_reply"]) == "true":
	default:
		return m, badRequest("can't parse reply keyboard markup JSON object")
	}
	return m, nil
}

func parseInlineKeyboard(raw json.RawMessage) (*models.InlineKeyboardMarkup, *apiError) {
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, badRequest("can't parse inline keyboard button: Field \"inline_keyboard\" must be of type Array")
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	count := 0
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		out := make([]models.InlineKeyboardButton, 0, len(row))
		for _, fields := range row {
			if count++; count > maxInlineButtons {
				return nil, badRequest("reply markup is too long")
			}
			btn, aerr := parseInlineButton(fields)
			if aerr != nil {
				return nil, aerr
			}
			out = append(out, btn)
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, out)
	}
	if count == 0 {
		return nil, nil // an empty inline keyboard is no keyboard
	}
	return kb, nil
}

// parseInlineButton checks the fields in the Bot API's order: the first
// action field present decides the button type, and a button with none is
// a "text button", which inline keyboards refuse.
func parseInlineButton(f map[string]json.RawMessage) (models.InlineKeyboardButton, *apiError) {
	var btn models.InlineKeyboardButton
	cant := func(msg string) (models.InlineKeyboardButton, *apiError) {
		return btn, badRequest("can't parse inline keyboard button: %s", msg)
	}
	if f["text"] == nil {
		return cant("Can't find field \"text\"")
	}
	for name, v := range f {
		if isJSONString(name) && !bytes.HasPrefix(bytes.TrimSpace(v), []byte(`"`)) {
			return cant("Field \"" + name + "\" must be of type String")
		}
	}
	if err := json.Unmarshal(mustJSON(f), &btn); err != nil {
		return cant(err.Error())
	}
	if strings.TrimSpace(btn.Text) == "" {
		return btn, badRequest("BUTTON_TEXT_INVALID")
	}
	switch {
	case f["url"] != nil:
		if !validButtonURL(btn.URL) {
			return btn, badRequest("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", btn.URL)
		}
	case f["login_url"] != nil:
		if btn.LoginURL == nil || !strings.HasPrefix(btn.LoginURL.URL, "https://") {
			return btn, badRequest("BUTTON_URL_INVALID")
		}
	case f["callback_data"] != nil:
		if n := len(btn.CallbackData); n < 1 || n > 64 {
			return btn, badRequest("BUTTON_DATA_INVALID")
		}
	case f["callback_game"] != nil, f["pay"] != nil,
		f["switch_inline_query"] != nil, f["switch_inline_query_chosen_chat"] != nil,
		f["switch_inline_query_current_chat"] != nil:
	case f["web_app"] != nil:
		if btn.WebApp == nil || !strings.HasPrefix(btn.WebApp.URL, "https://") {
			return btn, badRequest("BUTTON_URL_INVALID")
		}
	case f["copy_text"] != nil:
		// go-telegram/bot sends "copy_text":{"text":""} on every button, so
		// a button whose callback_data was left empty lands here.
		if n := utf8.RuneCountInString(btn.CopyText.Text); n < 1 || n > 256 {
			return btn, badRequest("BUTTON_COPY_TEXT_INVALID")
		}
	default:
		return cant("Text buttons are unallowed in the inline keyboard")
	}
	return btn, nil
}

func isJSONString(field string) bool {
	switch field {
	case "text", "url", "callback_data", "switch_inline_query", "switch_inline_query_current_chat":
		return true
	}
	return false
}

func validButtonURL(raw string) bool {
	if strings.HasPrefix(raw, "tg://") {
		return len(raw) > len("tg://")
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	return strings.Contains(host, ".") && !strings.HasPrefix(host, ".") && !strings.HasSuffix(host, ".")
}

// mustJSON encodes what the fake itself built, so an error is a bug. It
// leaves "<", ">" and "&" as they are, as Telegram's JSON does.
func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("tgfake: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// sameMarkup compares keyboards as Telegram does for "message is not modified".
func sameMarkup(a, b *models.InlineKeyboardMarkup) bool {
	if a == nil || b == nil {
		return a == b
	}
	return bytes.Equal(mustJSON(a), mustJSON(b))
}

func cloneMarkup(m *models.InlineKeyboardMarkup) *models.InlineKeyboardMarkup {
	if m == nil {
		return nil
	}
	out := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, len(m.InlineKeyboard))}
	for i, row := range m.InlineKeyboard {
		out.InlineKeyboard[i] = append([]models.InlineKeyboardButton(nil), row...)
	}
	return out
}
