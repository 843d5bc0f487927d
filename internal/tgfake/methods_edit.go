package tgfake

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current message content and reply markup of the message"

// deleteWindow is how long after sending a message can still be deleted.
const deleteWindow = 48 * time.Hour

func (s *Server) editMessageText(_ *http.Request, p *params) (any, *apiError) {
	f, aerr := parseFormatted(p, "text", "entities", false)
	if aerr != nil {
		return nil, aerr
	}
	mk, aerr := parseMarkup(p.str("reply_markup"), true)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec, aerr := s.editableLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	m := rec.msg
	if m.Document != nil || m.Photo != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	// Telegram compares the parsed result: <b>x</b> and <strong>x</strong>
	// are the same text. No reply_markup means "remove the keyboard".
	if m.Text == f.text && sameEntities(m.Entities, f.entities) && sameMarkup(m.ReplyMarkup, mk.inline) {
		return nil, badRequest(notModified)
	}
	m.Text, m.Entities = f.text, f.entities
	snt := rec.sent
	snt.Text, snt.Raw, snt.ParseMode, snt.Entities = f.text, f.raw, f.mode, f.entities
	return s.applyEditLocked(rec, m, mk), nil
}

func (s *Server) editMessageReplyMarkup(_ *http.Request, p *params) (any, *apiError) {
	mk, aerr := parseMarkup(p.str("reply_markup"), true)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec, aerr := s.editableLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	if sameMarkup(rec.msg.ReplyMarkup, mk.inline) {
		return nil, badRequest(notModified)
	}
	return s.applyEditLocked(rec, rec.msg, mk), nil
}

func (s *Server) editableLocked(p *params) (*chat, *record, *apiError) {
	c, rec, aerr := s.messageLocked(p, "message to edit not found")
	if aerr != nil {
		return nil, nil, aerr
	}
	if rec.sent == nil {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, rec, nil
}

// applyEditLocked stores the edited message. The record's message is
// replaced, never changed in place, because earlier copies may still be
// being encoded.
func (s *Server) applyEditLocked(rec *record, m models.Message, mk markup) json.RawMessage {
	now := s.clock.Now()
	m.ReplyMarkup = cloneMarkup(mk.inline)
	m.EditDate = int(now.Unix())
	rec.msg = m
	rec.sent.Markup, rec.sent.MarkupJSON = cloneMarkup(mk.inline), mk.raw
	rec.sent.Edits++
	return json.RawMessage(mustJSON(&m))
}

func sameEntities(a, b []models.MessageEntity) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func (s *Server) deleteMessage(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, rec, aerr := s.messageLocked(p, "message to delete not found")
	if aerr != nil {
		return nil, aerr
	}
	// In private chats a bot may delete either side; in groups only its own
	// messages unless it is an administrator.
	if c.isGroup() && rec.sent == nil && !c.admin {
		return nil, badRequest("message can't be deleted")
	}
	sentAt := time.Unix(int64(rec.msg.Date), 0)
	if s.clock.Now().Sub(sentAt) >= deleteWindow {
		return nil, badRequest("message can't be deleted for everyone")
	}
	rec.deleted = true
	if rec.sent != nil {
		rec.sent.Deleted = true
	}
	return true, nil
}

// callbackState is a callback query the fake delivered and its answer.
type callbackState struct {
	at       time.Time
	answered bool
	query    models.CallbackQuery
	chatID   int64
	msgID    int
}

// CallbackAnswer is one accepted answerCallbackQuery.
type CallbackAnswer struct {
	QueryID   string
	Data      string // the data of the button that was pressed
	From      int64
	ChatID    int64
	MessageID int
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
	At        time.Time
}

func (s *Server) answerCallbackQuery(_ *http.Request, p *params) (any, *apiError) {
	text := p.str("text")
	if utf8.RuneCountInString(text) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cache, aerr := p.int("cache_time")
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := p.str("callback_query_id")
	cb := s.callbacks[id]
	now := s.clock.Now()
	// An unknown id, a second answer and a late answer get the same refusal.
	if cb == nil || cb.answered || now.Sub(cb.at) > s.limits.CallbackTimeout {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	u := p.str("url")
	// Bots may only open their own t.me link (or a game) from an answer.
	if u != "" && !strings.HasPrefix(u, "https://t.me/"+s.me.Username) && !strings.HasPrefix(u, "t.me/"+s.me.Username) {
		return nil, badRequest("URL_INVALID")
	}
	cb.answered = true
	s.answers = append(s.answers, CallbackAnswer{QueryID: id, Data: cb.query.Data, From: cb.query.From.ID,
		ChatID: cb.chatID, MessageID: cb.msgID, Text: text, ShowAlert: p.bool("show_alert"),
		URL: u, CacheTime: int(cache), At: now})
	return true, nil
}
