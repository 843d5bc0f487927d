package handlers

import (
	"context"
	"html"
	"strings"

	"github.com/rectibot/rectibot/inbound"
)

// esc escapes a user-supplied string for Telegram HTML.
func esc(s string) string { return html.EscapeString(s) }

func joinLines(lines []string) string { return strings.Join(lines, "\n") }

// joinList joins names with the language's list separator (、 in Chinese).
func joinList(r *request, items []string) string { return strings.Join(items, r.t("list_sep", nil)) }

// escText is a message the bot sent, as HTML again: Telegram returns the
// plain text and entities; re-escaping the text keeps it safe to edit (the
// bold headings are lost, which is acceptable for a closed choice).
func escText(m *inbound.Message) string { return esc(m.Text) }

// chat and user rebuild the chat and user of the request.
func (r *request) chat() inbound.Chat {
	t := inbound.ChatPrivate
	if !r.private {
		t = inbound.ChatSupergroup
	}
	return inbound.Chat{ID: r.chatID, Title: r.chatTitle, Type: t}
}

func (r *request) user() *inbound.User {
	return &inbound.User{ID: r.userID, FirstName: r.firstName, LanguageCode: string(r.loc.Lang())}
}

// otherBotCommand reports whether text is a command addressed to another
// bot ("/cancel@otherbot"), and which: it is never a report's words, a
// reason or a reply, whatever dialogue is open. Split like parseCommand.
func (h *Handler) otherBotCommand(text string) (bot string, ok bool) {
	if !isCommand(text) {
		return "", false
	}
	head, _, _ := strings.Cut(strings.TrimSpace(text[1:]), " ")
	_, target, addressed := strings.Cut(head, "@")
	if !addressed || strings.EqualFold(target, h.botUsername()) {
		return "", false
	}
	return target, true
}

// notOurCommand answers a command for another bot: in a group it is not
// ours to answer; in a private chat the person is told it was not taken,
// and any open dialogue stays as it was.
func (h *Handler) notOurCommand(ctx context.Context, r *request, bot string) error {
	if !r.private {
		return nil
	}
	return h.say(ctx, r, r.t("command_other_bot", map[string]any{"Bot": esc(bot)}))
}
