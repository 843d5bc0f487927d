package tgfake

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
)

func TestInlineKeyboardRules(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	row := func(bs ...models.InlineKeyboardButton) []models.InlineKeyboardButton { return bs }

	m, err := send(t, b, alice, "选择", keyboard(row(cb("通过", strings.Repeat("x", 64)), cb("驳回", "r:1"))))
	if err != nil {
		t.Fatal(err)
	}
	if m.ReplyMarkup == nil || m.ReplyMarkup.InlineKeyboard[0][1].CallbackData != "r:1" {
		t.Fatalf("markup = %+v", m.ReplyMarkup)
	}
	if got := s.Last(alice).Markup; got == nil || got.InlineKeyboard[0][0].Text != "通过" {
		t.Fatalf("stored markup = %+v", got)
	}

	// 64 bytes, not characters: 22 CJK characters are 66 bytes.
	_, err = send(t, b, alice, "x", keyboard(row(cb("a", strings.Repeat("整", 22)))))
	wantBadRequest(t, err, "Bad Request: BUTTON_DATA_INVALID")
	_, err = send(t, b, alice, "x", keyboard(row(cb("a", strings.Repeat("x", 65)))))
	wantBadRequest(t, err, "BUTTON_DATA_INVALID")
	// go-telegram/bot sends copy_text:{"text":""} on every button.
	_, err = send(t, b, alice, "x", keyboard(row(cb("a", ""))))
	wantBadRequest(t, err, "Bad Request: BUTTON_COPY_TEXT_INVALID")
	_, err = send(t, b, alice, "x", keyboard(row(cb("", "d"))))
	wantBadRequest(t, err, "BUTTON_TEXT_INVALID")
	_, err = send(t, b, alice, "x", keyboard(row(models.InlineKeyboardButton{Text: "a", URL: "not a url"})))
	wantBadRequest(t, err, "inline keyboard button URL 'not a url' is invalid")
	if _, err = send(t, b, alice, "x", keyboard(row(models.InlineKeyboardButton{Text: "a", URL: "https://example.com"}))); err != nil {
		t.Fatal(err)
	}

	var many [][]models.InlineKeyboardButton
	for i := range 101 {
		many = append(many, row(cb("b", string(rune('a'+i%26)))))
	}
	_, err = send(t, b, alice, "x", keyboard(many...))
	wantBadRequest(t, err, "reply markup is too long")
	if _, err = send(t, b, alice, "x", keyboard(many[:100]...)); err != nil {
		t.Fatalf("100 buttons: %v", err)
	}
}

func TestRawReplyMarkup(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	for _, tc := range []struct{ markup, want string }{
		{`{"inline_keyboard":[[{"text":"a"}]]}`, "Text buttons are unallowed in the inline keyboard"},
		{`{"inline_keyboard":[[{"callback_data":"a"}]]}`, `Can't find field \"text\"`},
		{`{"inline_keyboard":[[{"text":"a","callback_data":""}]]}`, "BUTTON_DATA_INVALID"},
		{`{"inline_keyboard":[[{"text":"a","callback_data":5}]]}`, `Field \"callback_data\" must be of type String`},
		{`{"inline_keyboard":[[{"text":"a",`, "can't parse reply keyboard markup JSON object"},
		{`{"whatever":1}`, "can't parse reply keyboard markup JSON object"},
	} {
		// url-encoded form: the third encoding Telegram accepts
		form := url.Values{"chat_id": {"1001"}, "text": {"x"}, "reply_markup": {tc.markup}}
		code, r := post(t, s.URL()+"/bot"+s.Token()+"/sendMessage", "application/x-www-form-urlencoded",
			bytes.NewReader([]byte(form.Encode())))
		if code != 400 || r.ErrorCode != 400 || !strings.Contains(string(mustJSON(r.Description)), tc.want) {
			t.Errorf("%s: %d %q, want 400 %s", tc.markup, code, r.Description, tc.want)
		}
	}
	// JSON bodies may carry reply_markup as an object, reply keyboards too.
	code, r := call(t, s, "sendMessage", map[string]any{"chat_id": alice, "text": "菜单",
		"reply_markup": map[string]any{"keyboard": [][]map[string]string{{{"text": "我的任务"}}}, "resize_keyboard": true}})
	if code != 200 || !r.OK {
		t.Fatalf("reply keyboard: %d %+v", code, r)
	}
	if got := s.Last(alice); got.Markup != nil || !strings.Contains(got.MarkupJSON, "我的任务") {
		t.Fatalf("stored = %+v", got)
	}
}

func TestUnauthorizedAndNotFound(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	code, r := post(t, s.URL()+"/bot123:wrong/getMe", "application/json", bytes.NewReader([]byte("{}")))
	if code != 401 || r.Description != "Unauthorized" {
		t.Fatalf("wrong token: %d %+v", code, r)
	}
	code, r = call(t, s, "sendSticker", map[string]any{})
	if code != 404 || r.Description != "Not Found" {
		t.Fatalf("unknown method: %d %+v", code, r)
	}
	code, r = call(t, s, "GETME", map[string]any{})
	if code != 200 || !strings.Contains(string(r.Result), `"is_bot":true`) {
		t.Fatalf("getMe in capitals: %d %+v", code, r)
	}
}
