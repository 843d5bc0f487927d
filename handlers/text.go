package handlers

import (
	"html"
	"strings"

	"github.com/go-telegram/bot/models"
)

// esc escapes a user-supplied string for Telegram HTML.
func esc(s string) string { return html.EscapeString(s) }

func joinLines(lines []string) string { return strings.Join(lines, "\n") }

// joinList joins names with the language's list separator (、 in Chinese).
func joinList(r *request, items []string) string { return strings.Join(items, r.t("list_sep", nil)) }

// escText is a message the bot sent, as HTML again: Telegram returns the
// plain text and entities; re-escaping the text keeps it safe to edit (the
// bold headings are lost, which is acceptable for a closed choice).
func escText(m *models.Message) string { return esc(m.Text) }

// chat and user rebuild the Telegram chat and user of the request.
func (r *request) chat() models.Chat {
	t := models.ChatTypePrivate
	if !r.private {
		t = models.ChatTypeSupergroup
	}
	return models.Chat{ID: r.chatID, Title: r.chatTitle, Type: t}
}

func (r *request) user() *models.User {
	return &models.User{ID: r.userID, FirstName: r.firstName, LanguageCode: string(r.loc.Lang())}
}
