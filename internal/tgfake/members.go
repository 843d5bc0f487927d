package tgfake

import (
	"fmt"

	"github.com/go-telegram/bot/models"
)

// Changes to the bot's own membership. Telegram tells the bot about each
// with a my_chat_member update (never filtered by privacy mode), and so
// does the fake, except for AddUser and AddGroup, which are set-up.

// Block records that the user blocked the bot: sends to them get 403 and a
// my_chat_member update (member → kicked) is queued. Writing to the bot
// again (Text and friends) or Unblock undoes it.
func (s *Server) Block(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	us := s.knownLocked(userID)
	if us.blocked {
		return
	}
	us.blocked = true
	if c := s.chats[userID]; c != nil {
		s.memberUpdateLocked(c, us.u, models.ChatMemberTypeMember, models.ChatMemberTypeBanned)
	}
}

// Unblock undoes Block (the user pressed Restart), queueing my_chat_member.
func (s *Server) Unblock(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unblockLocked(s.knownLocked(userID))
}

func (s *Server) unblockLocked(us *user) {
	if !us.blocked {
		return
	}
	us.blocked = false
	if c := s.chats[us.u.ID]; c != nil {
		s.memberUpdateLocked(c, us.u, models.ChatMemberTypeBanned, models.ChatMemberTypeMember)
	}
}

// BotAdded is user `by` adding the bot to a group (created if new, as with
// AddGroup); by becomes a member.
func (s *Server) BotAdded(chatID int64, title string, by int64) *models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.addGroupLocked(chatID, title, []int64{by})
	return s.memberUpdateLocked(c, s.users[by].u, models.ChatMemberTypeLeft, models.ChatMemberTypeMember)
}

// RemoveFromGroup is user `by` removing the bot from a group: sends there
// get 403 from now on.
func (s *Server) RemoveFromGroup(chatID, by int64) *models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil || !c.isGroup() {
		panic(fmt.Sprintf("tgfake: RemoveFromGroup: no group %d", chatID))
	}
	c.botGone = true
	status := models.ChatMemberTypeLeft
	if c.c.Type != models.ChatTypeGroup {
		status = models.ChatMemberTypeBanned // supergroups and channels ban
	}
	return s.memberUpdateLocked(c, s.knownLocked(by).u, models.ChatMemberTypeMember, status)
}

// SetAdmin makes the bot an administrator of a group or not; only an
// administrator may delete other members' messages there.
func (s *Server) SetAdmin(chatID int64, admin bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil && c.isGroup() {
		c.admin = admin
	}
}

func (s *Server) memberUpdateLocked(c *chat, by models.User, from, to models.ChatMemberType) *models.Update {
	u := models.ChatMemberUpdated{Chat: c.c, From: by, Date: int(s.clock.Now().Unix()),
		OldChatMember: s.botAs(from), NewChatMember: s.botAs(to)}
	return s.queueLocked("my_chat_member", models.Update{MyChatMember: &u}, true)
}

func (s *Server) botAs(status models.ChatMemberType) models.ChatMember {
	me := s.me
	m := models.ChatMember{Type: status}
	switch status {
	case models.ChatMemberTypeMember:
		m.Member = &models.ChatMemberMember{User: &me}
	case models.ChatMemberTypeLeft:
		m.Left = &models.ChatMemberLeft{User: &me}
	case models.ChatMemberTypeBanned:
		m.Banned = &models.ChatMemberBanned{User: &me}
	}
	return m
}
