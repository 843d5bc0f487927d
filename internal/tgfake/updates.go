package tgfake

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// The helpers below make what users do: each stores the message in its
// chat (taking the chat's next message id), queues the update for
// getUpdates and returns it decoded from the same JSON the bot would
// receive. A test may hand the returned update to the bot directly
// instead (webhook or dispatcher tests); it is the caller's copy.
//
// In groups, privacy mode applies unless Options.PrivacyOff: messages that
// are not commands, replies to the bot or @mentions of it are returned but
// not queued, as Telegram would not deliver them.
//
// Helpers panic on impossible scenarios (a reply to a message that does
// not exist, a group that was never added): they are test set-up errors.

// Text is a private message from a user; writing to the bot starts it (and
// unblocks it), as the user's /start or Restart would.
func (s *Server) Text(from int64, text string) *models.Update {
	return s.message(from, from, 0, func(m *models.Message) {
		m.Text, m.Entities = text, detectEntities(text)
	})
}

// GroupText is a message in a group from one of its members.
func (s *Server) GroupText(chatID, from int64, text string) *models.Update {
	return s.Reply(from, chatID, 0, text)
}

// Reply is a text message answering message replyTo of the chat (0: no
// reply). The chat is the user's private chat when chatID == from.
func (s *Server) Reply(from, chatID int64, replyTo int, text string) *models.Update {
	return s.message(from, chatID, replyTo, func(m *models.Message) {
		m.Text, m.Entities = text, detectEntities(text)
	})
}

// Forwarded is a private message the user forwarded from someone else.
func (s *Server) Forwarded(from int64, text string) *models.Update {
	return s.message(from, from, 0, func(m *models.Message) {
		m.Text, m.Entities = text, detectEntities(text)
		m.ForwardOrigin = &models.MessageOrigin{Type: models.MessageOriginTypeUser,
			MessageOriginUser: &models.MessageOriginUser{Type: models.MessageOriginTypeUser,
				Date: m.Date - 3600, SenderUser: models.User{ID: 777000123, FirstName: "Original Sender"}}}
	})
}

// Photo is a private photo; photos sent as an album share mediaGroupID.
func (s *Server) Photo(from int64, caption, mediaGroupID string) *models.Update {
	return s.photo(from, from, 0, caption, mediaGroupID)
}

// ReplyPhoto is a photo answering message replyTo (0: no reply).
func (s *Server) ReplyPhoto(from, chatID int64, replyTo int, caption string) *models.Update {
	return s.photo(from, chatID, replyTo, caption, "")
}

func (s *Server) photo(from, chatID int64, replyTo int, caption, group string) *models.Update {
	return s.message(from, chatID, replyTo, func(m *models.Message) {
		m.Photo = s.userPhotoLocked()
		m.Caption, m.CaptionEntities, m.MediaGroupID = caption, detectEntities(caption), group
	})
}

// Document is a private document of the given size; downloading it yields
// filler bytes. Use Upload for real content.
func (s *Server) Document(from int64, name, mime string, size int64, caption string) *models.Update {
	return s.ReplyDocument(from, from, 0, name, mime, size, caption)
}

// ReplyDocument is a document answering message replyTo (0: no reply).
func (s *Server) ReplyDocument(from, chatID int64, replyTo int, name, mime string, size int64, caption string) *models.Update {
	return s.document(from, chatID, replyTo, name, mime, nil, size, caption)
}

// Upload is a document with real content (say an XLSX the bot imports).
func (s *Server) Upload(from, chatID int64, replyTo int, name, mime string, data []byte, caption string) *models.Update {
	return s.document(from, chatID, replyTo, name, mime, data, 0, caption)
}

func (s *Server) document(from, chatID int64, replyTo int, name, mime string, data []byte, size int64, caption string) *models.Update {
	return s.message(from, chatID, replyTo, func(m *models.Message) {
		f := s.newFileLocked("document", name, mime, data, size)
		m.Document = &models.Document{FileID: f.FileID, FileUniqueID: f.FileUniqueID,
			FileName: name, MimeType: mime, FileSize: f.Size}
		m.Caption, m.CaptionEntities = caption, detectEntities(caption)
	})
}

// ChannelPost is a post in a channel the bot administers (the channel is
// created on first use).
func (s *Server) ChannelPost(chatID int64, text string) *models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		c = newChat(models.Chat{ID: chatID, Type: models.ChatTypeChannel, Title: fmt.Sprintf("Channel %d", chatID)})
		s.chats[chatID] = c
	}
	c.lastID++
	sender := c.c
	m := models.Message{ID: c.lastID, SenderChat: &sender, Date: int(s.clock.Now().Unix()),
		Chat: c.c, Text: text, Entities: detectEntities(text)}
	c.add(&record{msg: m})
	return s.queueLocked("channel_post", models.Update{ChannelPost: &m}, true)
}

// Press is a user pressing an inline button carrying data on message
// messageID the bot sent in chatID. The data is not checked against the
// keyboard: a client with a stale keyboard can still send old data.
func (s *Server) Press(from, chatID int64, messageID int, data string) *models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		panic(fmt.Sprintf("tgfake: Press: no chat %d", chatID))
	}
	rec := c.byID[messageID]
	if rec == nil || rec.sent == nil || rec.deleted {
		panic(fmt.Sprintf("tgfake: Press: chat %d has no live bot message %d", chatID, messageID))
	}
	us := s.userInLocked(c, from)
	s.seq++
	msg := rec.msg
	q := models.CallbackQuery{ID: strconv.FormatInt(4_000_000_000_000_000_000+s.seq, 10), From: us.u,
		Message:      models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &msg},
		ChatInstance: strconv.FormatInt(chatID*7919+1, 10), Data: data}
	s.callbacks[q.ID] = &callbackState{at: s.clock.Now(), query: q, chatID: chatID, msgID: messageID}
	return s.queueLocked("callback_query", models.Update{CallbackQuery: &q}, true)
}

// userInLocked returns the acting user: in a private chat they start the
// bot; in a group they become a member.
func (s *Server) userInLocked(c *chat, from int64) *user {
	if !c.isGroup() {
		if c.c.ID != from {
			panic(fmt.Sprintf("tgfake: user %d cannot act in the private chat of %d", from, c.c.ID))
		}
		us := s.knownLocked(from)
		s.unblockLocked(us) // a blocked user writing has pressed Restart
		return s.startLocked(us.u)
	}
	c.members[from] = true
	return s.knownLocked(from)
}

// message stores a user's message in chatID and queues its update.
func (s *Server) message(from, chatID int64, replyTo int, fill func(*models.Message)) *models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil && chatID == from {
		s.startLocked(s.knownLocked(from).u)
		c = s.chats[chatID]
	}
	if c == nil {
		panic(fmt.Sprintf("tgfake: no chat %d (AddGroup first)", chatID))
	}
	us := s.userInLocked(c, from)
	c.lastID++
	u := us.u
	m := models.Message{ID: c.lastID, From: &u, Date: int(s.clock.Now().Unix()), Chat: c.c}
	toBot := false
	if replyTo != 0 {
		rec := c.byID[replyTo]
		if rec == nil {
			panic(fmt.Sprintf("tgfake: chat %d has no message %d to reply to", chatID, replyTo))
		}
		m.ReplyToMessage = replyCopy(rec)
		toBot = rec.sent != nil
	}
	fill(&m)
	c.add(&record{msg: m})
	deliver := !c.isGroup() || s.opts.PrivacyOff || toBot || s.addressed(m.Text, m.Entities) ||
		s.addressed(m.Caption, m.CaptionEntities)
	return s.queueLocked("message", models.Update{Message: &m}, deliver)
}

// addressed reports whether a group message is for the bot under privacy
// mode: a command (to no bot or to this one) or an @mention of the bot.
func (s *Server) addressed(text string, ents []models.MessageEntity) bool {
	for _, e := range ents {
		part := utf16Slice(text, e.Offset, e.Length)
		switch e.Type {
		case models.MessageEntityTypeBotCommand:
			_, to, found := strings.Cut(part, "@")
			if !found || strings.EqualFold(to, s.me.Username) {
				return true
			}
		case models.MessageEntityTypeMention:
			if strings.EqualFold(part, "@"+s.me.Username) {
				return true
			}
		}
	}
	return false
}

// queueLocked gives the update its id, queues it when Telegram would
// deliver it, wakes a waiting long poll, and returns the caller's copy.
func (s *Server) queueLocked(kind string, u models.Update, deliver bool) *models.Update {
	u.ID = s.nextUpd
	s.nextUpd++
	raw := mustJSON(&u)
	if deliver {
		s.queue = append(s.queue, queued{id: u.ID, kind: kind, raw: raw})
		close(s.signal)
		s.signal = make(chan struct{})
	} else {
		s.withheld[u.ID] = true
	}
	var out models.Update
	if err := json.Unmarshal(raw, &out); err != nil {
		panic("tgfake: decode own update: " + err.Error())
	}
	return &out
}
