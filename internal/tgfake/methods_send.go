package tgfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

func (s *Server) sendMessage(_ *http.Request, p *params) (any, *apiError) {
	f, aerr := parseFormatted(p, "text", "entities", false)
	if aerr != nil {
		return nil, aerr
	}
	mk, aerr := parseMarkup(p.str("reply_markup"), false)
	if aerr != nil {
		return nil, aerr
	}
	return s.deliver("sendMessage", p, mk, nil, "", func(m *models.Message, snt *Sent, _ *File) {
		m.Text, m.Entities = f.text, f.entities
		snt.Text, snt.Raw, snt.ParseMode, snt.Entities = f.text, f.raw, f.mode, f.entities
	})
}

func (s *Server) sendDocument(_ *http.Request, p *params) (any, *apiError) {
	return s.sendMedia("sendDocument", "document", p, func(m *models.Message, snt *Sent, f *File) {
		m.Document = &models.Document{FileID: f.FileID, FileUniqueID: f.FileUniqueID,
			FileName: f.Name, MimeType: f.MIME, FileSize: f.Size}
		snt.Document = f
	})
}

func (s *Server) sendPhoto(_ *http.Request, p *params) (any, *apiError) {
	return s.sendMedia("sendPhoto", "photo", p, func(m *models.Message, snt *Sent, f *File) {
		m.Photo = []models.PhotoSize{{FileID: f.FileID, FileUniqueID: f.FileUniqueID,
			Width: f.Width, Height: f.Height, FileSize: int(f.Size)}}
		snt.Photo = f
	})
}

func (s *Server) sendMedia(method, kind string, p *params, attach func(*models.Message, *Sent, *File)) (any, *apiError) {
	in, aerr := readInput(p, kind, kind)
	if aerr != nil {
		return nil, aerr
	}
	c, aerr := parseFormatted(p, "caption", "caption_entities", true)
	if aerr != nil {
		return nil, aerr
	}
	mk, aerr := parseMarkup(p.str("reply_markup"), false)
	if aerr != nil {
		return nil, aerr
	}
	return s.deliver(method, p, mk, &in, kind, func(m *models.Message, snt *Sent, f *File) {
		cp := *f
		attach(m, snt, &cp)
		m.Caption, m.CaptionEntities = c.text, c.entities
		snt.Caption, snt.Raw, snt.ParseMode, snt.Entities = c.text, c.raw, c.mode, c.entities
	})
}

// deliver is the common end of every send: the chat must be reachable,
// then injected faults and flood limits may refuse it (sending nothing),
// and only then is the message numbered and stored.
func (s *Server) deliver(method string, p *params, mk markup, in *input, kind string,
	fill func(*models.Message, *Sent, *File)) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.chatLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	if c.c.Type != models.ChatTypePrivate && hasWebAppButton(mk.inline) {
		// Mini App buttons open only in private chats.
		return nil, badRequest("BUTTON_TYPE_INVALID")
	}
	replyTo, aerr := s.replyLocked(c, p)
	if aerr != nil {
		return nil, aerr
	}
	var file *File
	if in != nil {
		if file, aerr = s.existingLocked(*in, kind); aerr != nil {
			return nil, aerr
		}
	}
	now := s.clock.Now()
	if aerr := s.faultLocked(c.c.ID, now); aerr != nil {
		return nil, aerr
	}
	if wait, ok := s.rate.allow(s.limits, now, c.c.ID, c.isGroup()); !ok {
		return nil, tooMany(retryAfter(wait))
	}
	if in != nil && in.up != nil {
		file = s.registerLocked(*in, kind)
	}
	c.lastID++
	me := s.me
	msg := models.Message{ID: c.lastID, From: &me, Date: int(now.Unix()), Chat: c.c,
		ReplyMarkup: cloneMarkup(mk.inline)}
	snt := &Sent{Method: method, ChatID: c.c.ID, MessageID: c.lastID, At: now,
		Markup: cloneMarkup(mk.inline), MarkupJSON: mk.raw}
	if replyTo != nil {
		msg.ReplyToMessage = replyCopy(replyTo)
		snt.ReplyTo = replyTo.msg.ID
	}
	fill(&msg, snt, file)
	c.add(&record{msg: msg, sent: snt})
	s.sentTotal++
	s.sentCond.Broadcast()
	// Encoded under the lock: MarshalJSON of some models (MessageOrigin)
	// writes to shared values.
	return json.RawMessage(mustJSON(&msg)), nil
}

// replyLocked resolves reply_parameters (or the older reply_to_message_id).
func (s *Server) replyLocked(c *chat, p *params) (*record, *apiError) {
	var rp struct {
		MessageID                int             `json:"message_id"`
		ChatID                   json.RawMessage `json:"chat_id"`
		AllowSendingWithoutReply bool            `json:"allow_sending_without_reply"`
	}
	if raw := p.str("reply_parameters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return nil, badRequest("can't parse reply parameters JSON object")
		}
	} else {
		id, aerr := p.int("reply_to_message_id")
		if aerr != nil {
			return nil, aerr
		}
		rp.MessageID, rp.AllowSendingWithoutReply = int(id), p.bool("allow_sending_without_reply")
	}
	if rp.MessageID == 0 {
		return nil, nil
	}
	rec := c.byID[rp.MessageID]
	other := strings.Trim(string(rp.ChatID), `"`)
	otherChat := other != "" && other != strconv.FormatInt(c.c.ID, 10)
	if rec == nil || rec.deleted || otherChat {
		if rp.AllowSendingWithoutReply {
			return nil, nil
		}
		return nil, badRequest("message to be replied not found")
	}
	return rec, nil
}

// replyCopy is a message as it appears in reply_to_message: Telegram does
// not nest replies further.
func replyCopy(rec *record) *models.Message {
	m := rec.msg
	m.ReplyToMessage = nil
	return &m
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true,
	"choose_sticker": true, "find_location": true, "record_video_note": true,
	"upload_video_note": true,
}

func (s *Server) sendChatAction(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.chatLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	action := p.str("action")
	if !chatActions[action] {
		return nil, badRequest("wrong parameter action in request")
	}
	c.actions = append(c.actions, action)
	return true, nil
}
