package bot

import (
	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/inbound"
)

// toInbound is the one place a Telegram update becomes the project's own:
// everything past the bot package reads inbound types only.
func toInbound(u *models.Update) *inbound.Update {
	out := &inbound.Update{ID: u.ID}
	switch {
	case u.Message != nil:
		out.Message = inboundMessage(u.Message)
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		out.Callback = &inbound.Callback{ID: q.ID, From: inboundUser(q.From), Data: q.Data}
		if q.Message.Message != nil { // an inaccessible (too old) message has none
			out.Callback.Message = inboundMessage(q.Message.Message)
		}
	}
	return out
}

func inboundMessage(m *models.Message) *inbound.Message {
	out := &inbound.Message{
		ID:             m.ID,
		Chat:           inbound.Chat{ID: m.Chat.ID, Type: inbound.ChatType(m.Chat.Type), Title: m.Chat.Title},
		OnBehalfOfChat: m.SenderChat != nil,
		Forwarded:      m.ForwardOrigin != nil,
		Text:           m.Text,
		Caption:        m.Caption,
		MediaGroupID:   m.MediaGroupID,
	}
	if m.From != nil {
		u := inboundUser(*m.From)
		out.From = &u
	}
	if len(m.Photo) > 0 {
		// Telegram sends several sizes of one photo; the largest is the
		// evidence.
		p := m.Photo[0]
		for _, s := range m.Photo[1:] {
			if s.Width*s.Height > p.Width*p.Height {
				p = s
			}
		}
		out.Photo = &inbound.File{FileID: p.FileID, FileUniqueID: p.FileUniqueID, MIMEType: telegramPhotoMIME,
			Size: int64(p.FileSize), Width: p.Width, Height: p.Height}
	}
	if d := m.Document; d != nil {
		out.Document = &inbound.File{FileID: d.FileID, FileUniqueID: d.FileUniqueID, FileName: d.FileName,
			MIMEType: d.MimeType, Size: d.FileSize}
	}
	if m.ReplyToMessage != nil {
		out.ReplyTo = inboundMessage(m.ReplyToMessage)
	}
	return out
}

func inboundUser(u models.User) inbound.User {
	return inbound.User{ID: u.ID, IsBot: u.IsBot, FirstName: u.FirstName, LanguageCode: u.LanguageCode}
}

// telegramPhotoMIME is the type Telegram gives every photo (it re-encodes
// them).
const telegramPhotoMIME = "image/jpeg"
