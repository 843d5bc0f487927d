package tgfake

import "github.com/go-telegram/bot/models"

// ReplyAlbumPhoto is one photo of an album (media group) answering message
// replyTo: Telegram sends each photo of an album as its own message with the
// same media_group_id, and each of them replies to the same message.
func (s *Server) ReplyAlbumPhoto(from, chatID int64, replyTo int, caption, mediaGroupID string) *models.Update {
	return s.photo(from, chatID, replyTo, caption, mediaGroupID)
}
