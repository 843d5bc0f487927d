package tgfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

func (s *Server) getMe(_ *http.Request, _ *params) (any, *apiError) {
	return s.me, nil
}

func (s *Server) getChat(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := strconv.ParseInt(p.str("chat_id"), 10, 64)
	c := s.chats[id]
	// getChat works for a user who blocked the bot, but not for one who
	// never started it.
	if err != nil || c == nil {
		return nil, badRequest("chat not found")
	}
	return models.ChatFullInfo{ID: c.c.ID, Type: c.c.Type, Title: c.c.Title, Username: c.c.Username,
		FirstName: c.c.FirstName, LastName: c.c.LastName, MaxReactionCount: 11}, nil
}

var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
var langRE = regexp.MustCompile(`^[a-z]{2}$`)

// scopeKeyLocked validates a BotCommandScope and names it the way
// Commands takes it: "default", "all_private_chats", "all_group_chats",
// "all_chat_administrators", "chat:<id>", "chat_administrators:<id>",
// "chat_member:<chat>:<user>".
func (s *Server) scopeKeyLocked(p *params) (string, *apiError) {
	if lang := p.str("language_code"); lang != "" && !langRE.MatchString(lang) {
		return "", badRequest("invalid language code specified")
	}
	raw := p.str("scope")
	if raw == "" {
		return "default", nil
	}
	var sc struct {
		Type   string `json:"type"`
		ChatID int64  `json:"chat_id"`
		UserID int64  `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &sc); err != nil {
		return "", badRequest("can't parse BotCommandScope JSON object")
	}
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		return sc.Type, nil
	case "chat", "chat_administrators", "chat_member":
	default:
		return "", badRequest("unsupported bot command scope type \"%s\"", sc.Type)
	}
	c := s.chats[sc.ChatID]
	if c == nil {
		return "", badRequest("chat not found")
	}
	switch {
	case sc.Type == "chat":
		return fmt.Sprintf("chat:%d", sc.ChatID), nil
	case !c.isGroup():
		return "", badRequest("can't use %s scope in private chats", sc.Type)
	case sc.Type == "chat_administrators":
		return fmt.Sprintf("chat_administrators:%d", sc.ChatID), nil
	case s.users[sc.UserID] == nil:
		return "", badRequest("user not found")
	}
	return fmt.Sprintf("chat_member:%d:%d", sc.ChatID, sc.UserID), nil
}

func (s *Server) setMyCommands(_ *http.Request, p *params) (any, *apiError) {
	var cmds []models.BotCommand
	if err := json.Unmarshal([]byte(p.str("commands")), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range cmds {
		if !commandRE.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key, aerr := s.scopeKeyLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	// Telegram answers a flood of setMyCommands with 429 too: injected
	// faults apply, keyed by the scope's chat (0: the bot's own menus), and
	// their retry_after binds.
	var sc struct {
		ChatID int64 `json:"chat_id"`
	}
	_ = json.Unmarshal([]byte(p.str("scope")), &sc)
	now := s.clock.Now()
	if until := s.rate.cooldown[sc.ChatID]; now.Before(until) {
		return nil, tooMany(retryAfter(until.Sub(now)))
	}
	if aerr := s.faultLocked(sc.ChatID, now); aerr != nil {
		return nil, aerr
	}
	s.commands[key+"|"+p.str("language_code")] = cmds
	return true, nil
}

func (s *Server) getMyCommands(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, aerr := s.scopeKeyLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	cmds := s.commands[key+"|"+p.str("language_code")]
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, aerr := s.scopeKeyLocked(p)
	if aerr != nil {
		return nil, aerr
	}
	delete(s.commands, key+"|"+p.str("language_code"))
	return true, nil
}
