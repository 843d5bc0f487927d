package bot

import (
	"context"
	"fmt"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// SetMenuButton makes the button beside every private chat's input field
// open the Mini App at url (the dashboard); with url "" it is the command
// list again. One call at start, for all private chats.
func (b *Bot) SetMenuButton(ctx context.Context, text, url string) error {
	var button models.InputMenuButton = models.MenuButtonCommands{Type: models.MenuButtonTypeCommands}
	if url != "" {
		button = models.MenuButtonWebApp{Type: models.MenuButtonTypeWebApp, Text: text, WebApp: models.WebAppInfo{URL: url}}
	}
	if _, err := b.api.SetChatMenuButton(ctx, &tgbot.SetChatMenuButtonParams{MenuButton: button}); err != nil {
		return redact(fmt.Errorf("setChatMenuButton: %w", err), b.token)
	}
	return nil
}
