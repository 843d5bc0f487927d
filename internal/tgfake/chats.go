package tgfake

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// user is someone the fake knows: a group member, or a user who started
// the bot (only then does a private chat exist).
type user struct {
	u       models.User
	started bool
	blocked bool
}

// chat holds every message of a chat in one id sequence, the users' and
// the bot's together, as Telegram numbers them.
type chat struct {
	c       models.Chat
	members map[int64]bool
	botGone bool // the bot was removed from the group
	admin   bool // the bot is an administrator (may delete others' messages)
	lastID  int
	msgs    []*record
	byID    map[int]*record
	actions []string
}

// record is one message. sent is nil for messages users wrote.
type record struct {
	msg     models.Message
	sent    *Sent
	deleted bool
}

func (c *chat) add(rec *record) {
	c.msgs = append(c.msgs, rec)
	c.byID[rec.msg.ID] = rec
}

func (c *chat) isGroup() bool { return c.c.Type != models.ChatTypePrivate }

func newChat(c models.Chat) *chat {
	return &chat{c: c, members: map[int64]bool{}, byID: map[int]*record{}}
}

// AddUser registers a user who has started the bot: their private chat
// (id = user id) exists from now on.
func (s *Server) AddUser(u models.User) {
	if u.ID <= 0 {
		panic(fmt.Sprintf("tgfake: AddUser: user id must be positive, got %d", u.ID))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.startLocked(u)
}

func (s *Server) startLocked(u models.User) *user {
	if u.FirstName == "" {
		u.FirstName = "User " + strconv.FormatInt(u.ID, 10)
	}
	us := s.users[u.ID]
	if us == nil {
		us = &user{u: u}
		s.users[u.ID] = us
	} else if u.FirstName != "" {
		us.u = u
	}
	us.started, us.blocked = true, false
	if s.chats[u.ID] == nil {
		s.chats[u.ID] = newChat(models.Chat{ID: u.ID, Type: models.ChatTypePrivate,
			FirstName: us.u.FirstName, LastName: us.u.LastName, Username: us.u.Username})
	}
	return us
}

// knownLocked returns the user, creating one who has not started the bot.
func (s *Server) knownLocked(id int64) *user {
	us := s.users[id]
	if us == nil {
		us = &user{u: models.User{ID: id, FirstName: "User " + strconv.FormatInt(id, 10)}}
		s.users[id] = us
	}
	return us
}

// AddGroup registers a group the bot is a member of. Ids at or below
// -1000000000000 are supergroups, other negative ids basic groups.
// Members who were not added with AddUser are known but have not started
// the bot, so a private message to them is refused with 403.
func (s *Server) AddGroup(chatID int64, title string, members ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addGroupLocked(chatID, title, members)
}

func (s *Server) addGroupLocked(chatID int64, title string, members []int64) *chat {
	if chatID >= 0 {
		panic(fmt.Sprintf("tgfake: group ids are negative, got %d", chatID))
	}
	typ := models.ChatTypeGroup
	if chatID <= -1000000000000 {
		typ = models.ChatTypeSupergroup
	}
	c := s.chats[chatID]
	if c == nil {
		c = newChat(models.Chat{ID: chatID, Type: typ, Title: title})
		s.chats[chatID] = c
	}
	c.botGone = false
	for _, id := range members {
		s.knownLocked(id)
		c.members[id] = true
	}
	return c
}

// chatLocked resolves chat_id for a method that acts in a chat, with
// Telegram's refusals for chats the bot cannot reach.
func (s *Server) chatLocked(p *params) (*chat, *apiError) {
	raw := strings.TrimSpace(p.str("chat_id"))
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		// @username works only for public channels and supergroups,
		// which the fake does not have.
		return nil, badRequest("chat not found")
	}
	c := s.chats[id]
	if c == nil {
		if us := s.users[id]; us != nil {
			return nil, forbidden("bot can't initiate conversation with a user")
		}
		return nil, badRequest("chat not found")
	}
	if !c.isGroup() {
		if s.users[id].blocked {
			return nil, forbidden("bot was blocked by the user")
		}
	} else if c.botGone {
		if c.c.Type == models.ChatTypeChannel {
			return nil, forbidden("bot is not a member of the channel chat")
		}
		if c.c.Type == models.ChatTypeSupergroup {
			return nil, forbidden("bot was kicked from the supergroup chat")
		}
		return nil, forbidden("bot was kicked from the group chat")
	}
	return c, nil
}

// messageLocked resolves chat_id + message_id to a live message.
func (s *Server) messageLocked(p *params, notFound string) (*chat, *record, *apiError) {
	if p.has("inline_message_id") && !p.has("chat_id") {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	mid, aerr := p.int("message_id")
	if aerr != nil {
		return nil, nil, aerr
	}
	if mid == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	c, aerr := s.chatLocked(p)
	if aerr != nil {
		return nil, nil, aerr
	}
	rec := c.byID[int(mid)]
	if rec == nil || rec.deleted {
		return nil, nil, badRequest("%s", notFound)
	}
	return c, rec, nil
}
