package tgfake

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
)

// Sent is a message the bot sent, as it looks now: edits applied,
// deletion marked.
type Sent struct {
	Method     string // sendMessage, sendPhoto, sendDocument or sendMediaGroup
	ChatID     int64
	MessageID  int
	Text       string // visible text after entity parsing (messages)
	Caption    string // visible caption after entity parsing (media)
	Raw        string // text or caption exactly as the bot last sent it
	ParseMode  string
	Entities   []models.MessageEntity // of Text or Caption
	Markup     *models.InlineKeyboardMarkup
	MarkupJSON string // reply_markup as sent (also reply keyboards)
	ReplyTo    int
	Document   *File
	Photo      *File
	At         time.Time // when it was sent, on the Server's clock
	Deleted    bool
	Edits      int

	// MediaGroupID is the album (sendMediaGroup) the message belongs to;
	// each item of an album is a Sent of its own.
	MediaGroupID string
}

// RejectedCall is one 4xx/5xx answer the fake gave.
type RejectedCall struct {
	Method      string
	ChatID      int64 // chat_id of the request, when numeric
	Code        int
	Description string
}

func (snt *Sent) clone() Sent {
	out := *snt
	out.Markup = cloneMarkup(snt.Markup)
	out.Entities = slices.Clone(snt.Entities)
	return out
}

// Messages returns the bot's messages in chatID, oldest first (users'
// messages are not included, though they share the id sequence).
func (s *Server) Messages(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	if c := s.chats[chatID]; c != nil {
		for _, rec := range c.msgs {
			if rec.sent != nil {
				out = append(out, rec.sent.clone())
			}
		}
	}
	return out
}

// Last returns the bot's latest message in chatID (deleted or not), or
// the zero Sent when the bot sent nothing there.
func (s *Server) Last(chatID int64) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		for i := len(c.msgs) - 1; i >= 0; i-- {
			if rec := c.msgs[i]; rec.sent != nil {
				return rec.sent.clone()
			}
		}
	}
	return Sent{}
}

// Calls counts requests to a method (any case), failed ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := methods[strings.ToLower(method)]; ok {
		return s.calls[m.name]
	}
	return 0
}

// Rejected lists every 4xx/5xx answer, in order.
func (s *Server) Rejected() []RejectedCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rejected)
}

// Commands returns the commands set for a scope ("" or "default",
// "all_private_chats", "all_group_chats", "all_chat_administrators",
// "chat:<id>", "chat_administrators:<id>", "chat_member:<chat>:<user>")
// and language code ("" for all languages).
func (s *Server) Commands(scope, lang string) []models.BotCommand {
	if scope == "" {
		scope = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[scope+"|"+lang])
}

// CallbackAnswers lists the accepted answerCallbackQuery calls, in order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// Actions lists the chat actions (typing, upload_document …) sent to chatID.
func (s *Server) Actions(chatID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		return slices.Clone(c.actions)
	}
	return nil
}

// Pending is the number of queued updates getUpdates has not had
// confirmed by an offset yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Withheld reports whether privacy mode kept the update from the bot: a
// group message that is no command, reply to the bot or mention of it is
// stored in its chat but never queued for getUpdates. Unlike comparing
// Pending before and after, it holds while a poller drains the queue.
func (s *Server) Withheld(updateID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.withheld[updateID]
}

// Webhook returns the bot's current webhook registration.
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// SentTotal is the number of successful sends so far, across all chats.
func (s *Server) SentTotal() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentTotal
}

// WaitSent blocks until n sends in total have succeeded (for bots that send
// from goroutines or queues), or ctx ends.
func (s *Server) WaitSent(ctx context.Context, n int) error {
	// sync.Cond cannot watch a context: wake the waiters when it ends.
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sentCond.Broadcast()
	})
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.sentTotal < n {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.sentCond.Wait()
	}
	return nil
}
