package tgfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// MenuButton is the menu button set for a private chat (0: the default).
type MenuButton struct {
	Type   string // commands, web_app, default
	Text   string
	WebApp string // the Mini App's URL, for web_app
}

// setChatMenuButton checks the button as Telegram does: a web_app button
// needs a text and an https URL; chat_id, when given, is a private chat.
func (s *Server) setChatMenuButton(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var chat int64
	if raw := p.str("chat_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || s.chats[id] == nil || s.chats[id].c.Type != models.ChatTypePrivate {
			return nil, badRequest("chat not found")
		}
		chat = id
	}
	b := MenuButton{Type: "default"}
	if raw := p.str("menu_button"); raw != "" {
		var mb struct {
			Type   string `json:"type"`
			Text   string `json:"text"`
			WebApp *struct {
				URL string `json:"url"`
			} `json:"web_app"`
		}
		if err := json.Unmarshal([]byte(raw), &mb); err != nil {
			return nil, badRequest("can't parse menu button JSON object")
		}
		switch mb.Type {
		case "commands", "default":
		case "web_app":
			if strings.TrimSpace(mb.Text) == "" {
				return nil, badRequest("BUTTON_TEXT_INVALID")
			}
			if mb.WebApp == nil || !strings.HasPrefix(mb.WebApp.URL, "https://") {
				return nil, badRequest("BUTTON_URL_INVALID")
			}
			b.Text, b.WebApp = mb.Text, mb.WebApp.URL
		default:
			return nil, badRequest("unsupported menu button type")
		}
		b.Type = mb.Type
	}
	if s.menuButtons == nil {
		s.menuButtons = map[int64]MenuButton{}
	}
	s.menuButtons[chat] = b
	return true, nil
}

// ChatMenuButton is the menu button set for chat (0: the default for all).
func (s *Server) ChatMenuButton(chat int64) MenuButton {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.menuButtons[chat]; ok {
		return b
	}
	return MenuButton{Type: "default"}
}

func hasWebAppButton(kb *models.InlineKeyboardMarkup) bool {
	if kb == nil {
		return false
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.WebApp != nil {
				return true
			}
		}
	}
	return false
}
