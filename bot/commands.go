package bot

import (
	"context"
	"errors"
	"fmt"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/outbound"
)

// SetCommands publishes the command menus per scope and language. It
// implements handlers.Menus: the handlers set a person's private-chat menu
// (ScopeAdminChat, any private chat) when their roles change.
func (b *Bot) SetCommands(ctx context.Context, menus []outbound.Menu) error {
	var failed []error
	for _, m := range menus {
		var scope models.BotCommandScope
		switch m.Scope {
		case outbound.ScopePrivate:
			scope = &models.BotCommandScopeAllPrivateChats{}
		case outbound.ScopeGroups:
			scope = &models.BotCommandScopeAllGroupChats{}
		case outbound.ScopeGroupAdmins:
			scope = &models.BotCommandScopeAllChatAdministrators{}
		case outbound.ScopeAdminChat:
			scope = &models.BotCommandScopeChat{ChatID: m.ChatID}
		default:
			return fmt.Errorf("set commands: unknown scope %q", m.Scope)
		}
		cmds := make([]models.BotCommand, len(m.Commands))
		for i, c := range m.Commands {
			cmds[i] = models.BotCommand{Command: c.Name, Description: c.Description}
		}
		// Through the sender: Telegram's 429 on a burst of menus (a
		// province's people after a release changed their menu) is waited
		// out as for a message, and a person's menu takes a slot of the
		// global budget, so thousands of them at start share it with the
		// reminders rather than crowd them out. The installation's menus
		// (no chat) are a handful, set at start: not limited.
		err := b.sender.call(ctx, "setMyCommands", m.ChatID, m.Scope == outbound.ScopeAdminChat, func() error {
			_, err := b.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds, Scope: scope, LanguageCode: m.Language})
			return err
		})
		if err != nil {
			// A person who never opened a chat with the bot (an admin from
			// the configuration) makes the chat scope fail; the menus of
			// everyone else still matter: they are set, and the failures
			// returned together.
			err = redact(err, b.token)
			b.log.WarnContext(ctx, "setMyCommands failed", "scope", m.Scope, "language", m.Language, "err", err)
			failed = append(failed, fmt.Errorf("set commands (%s %d %q): %w", m.Scope, m.ChatID, m.Language, err))
		}
	}
	return errors.Join(failed...)
}
