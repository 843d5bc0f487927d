package tgfake

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestEditMessageText(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{cb("确认", "ok")}}}
	m, err := send(t, b, alice, "<b>待整改</b>", html, func(p *bot.SendMessageParams) { p.ReplyMarkup = kb })
	if err != nil {
		t.Fatal(err)
	}
	edit := func(text string, markup *models.InlineKeyboardMarkup) error {
		p := &bot.EditMessageTextParams{ChatID: alice, MessageID: m.ID, Text: text, ParseMode: models.ParseModeHTML}
		if markup != nil {
			p.ReplyMarkup = markup
		}
		_, err := b.EditMessageText(t.Context(), p)
		return err
	}
	// Same parsed text (strong is bold) and same keyboard.
	err = edit("<strong>待整改</strong>", kb)
	wantBadRequest(t, err, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current message content and reply markup of the message")
	// Leaving the keyboard out removes it: that is a change.
	if err := edit("<b>待整改</b>", nil); err != nil {
		t.Fatal(err)
	}
	if err := edit("<i>已整改</i>", nil); err != nil {
		t.Fatal(err)
	}
	got := s.Last(alice)
	if got.Text != "已整改" || got.Markup != nil || got.Edits != 2 || got.Entities[0].Type != models.MessageEntityTypeItalic {
		t.Fatalf("after edits = %+v", got)
	}

	_, err = b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice, MessageID: 99, Text: "x"})
	wantBadRequest(t, err, "Bad Request: message to edit not found")
	u := s.Text(alice, "用户消息")
	_, err = b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice, MessageID: u.Message.ID, Text: "x"})
	wantBadRequest(t, err, "message can't be edited")
	_, err = b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice, MessageID: m.ID, Text: ""})
	wantBadRequest(t, err, "message text is empty")
}

func TestEditMessageReplyMarkup(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{cb("确认", "ok")}}}
	m, _ := send(t, b, alice, "x", func(p *bot.SendMessageParams) { p.ReplyMarkup = kb })
	_, err := b.EditMessageReplyMarkup(t.Context(), &bot.EditMessageReplyMarkupParams{ChatID: alice, MessageID: m.ID, ReplyMarkup: kb})
	wantBadRequest(t, err, "message is not modified")
	if _, err := b.EditMessageReplyMarkup(t.Context(), &bot.EditMessageReplyMarkupParams{ChatID: alice, MessageID: m.ID}); err != nil {
		t.Fatal(err)
	}
	if s.Last(alice).Markup != nil {
		t.Fatal("keyboard not removed")
	}
	_, err = b.EditMessageReplyMarkup(t.Context(), &bot.EditMessageReplyMarkupParams{ChatID: alice, MessageID: m.ID})
	wantBadRequest(t, err, "message is not modified")
}

func TestDeleteMessage(t *testing.T) {
	s, b, clock := newFake(t, Options{})
	m1, _ := send(t, b, alice, "one")
	m2, _ := send(t, b, alice, "two")
	del := func(id int) error {
		_, err := b.DeleteMessage(t.Context(), &bot.DeleteMessageParams{ChatID: alice, MessageID: id})
		return err
	}
	if err := del(m1.ID); err != nil {
		t.Fatal(err)
	}
	wantBadRequest(t, del(m1.ID), "Bad Request: message to delete not found")
	_, err := b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice, MessageID: m1.ID, Text: "x"})
	wantBadRequest(t, err, "message to edit not found")
	msgs := s.Messages(alice)
	if len(msgs) != 2 || !msgs[0].Deleted || msgs[1].Deleted {
		t.Fatalf("Messages = %+v", msgs)
	}
	// A user's message: yes in a private chat, in a group only as admin.
	u := s.Text(alice, "私聊")
	if err := del(u.Message.ID); err != nil {
		t.Fatal(err)
	}
	g := s.GroupText(group, bob, "/report 群里")
	_, err = b.DeleteMessage(t.Context(), &bot.DeleteMessageParams{ChatID: group, MessageID: g.Message.ID})
	wantBadRequest(t, err, "message can't be deleted")
	s.SetAdmin(group, true)
	if _, err := b.DeleteMessage(t.Context(), &bot.DeleteMessageParams{ChatID: group, MessageID: g.Message.ID}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(48 * time.Hour)
	wantBadRequest(t, del(m2.ID), "message can't be deleted for everyone")
}

func TestCallbackQueries(t *testing.T) {
	s, b, clock := newFake(t, Options{})
	m, _ := send(t, b, alice, "审批", keyboard([]models.InlineKeyboardButton{cb("通过", "approve:7")}))
	answer := func(id, text string) error {
		_, err := b.AnswerCallbackQuery(t.Context(), &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
		return err
	}
	u := s.Press(alice, alice, m.ID, "approve:7")
	q := u.CallbackQuery
	if q == nil || q.Data != "approve:7" || q.From.ID != alice || q.Message.Message == nil || q.Message.Message.ID != m.ID {
		t.Fatalf("update = %+v", u)
	}
	wantBadRequest(t, answer(q.ID, strings.Repeat("长", 201)), "Bad Request: MESSAGE_TOO_LONG")
	if err := answer(q.ID, strings.Repeat("长", 200)); err != nil {
		t.Fatal(err)
	}
	const invalid = "Bad Request: query is too old and response timeout expired or query ID is invalid"
	wantBadRequest(t, answer(q.ID, ""), invalid)    // answered already
	wantBadRequest(t, answer("12345", ""), invalid) // never issued
	late := s.Press(alice, alice, m.ID, "approve:7").CallbackQuery
	clock.Advance(11 * time.Second)
	wantBadRequest(t, answer(late.ID, ""), invalid)

	got := s.CallbackAnswers()
	if len(got) != 1 || got[0].QueryID != q.ID || got[0].Data != "approve:7" || got[0].MessageID != m.ID || got[0].ChatID != alice {
		t.Fatalf("CallbackAnswers = %+v", got)
	}
}

func TestPressOnAUsersMessagePanics(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	u := s.Text(alice, "hi")
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	s.Press(alice, alice, u.Message.ID, "x")
}
