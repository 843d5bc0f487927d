package tgfake

import (
	"bytes"
	"image"
	"net/http"

	"github.com/go-telegram/bot/models"
)

// ReplyPhotoData is ReplyPhoto with the picture itself: its largest size
// downloads as data, as Telegram serves the photo a user sent (the sandbox
// shows a visitor's own picture wherever the bot fetches it). A picture
// larger than the fake's thumbnail keeps that thumbnail beside it; a
// smaller one is the photo's only size, as on Telegram. Data that is no
// image the fake can decode (or is larger than Telegram takes) leaves the
// fake's own pixels, as ReplyPhoto.
func (s *Server) ReplyPhotoData(from, chatID int64, replyTo int, caption string, data []byte) *models.Update {
	return s.message(from, chatID, replyTo, func(m *models.Message) {
		sizes := s.userPhotoLocked()
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && len(data) <= maxPhoto {
			f := s.newFileLocked("photo", "", http.DetectContentType(data), data, 0)
			f.Width, f.Height = cfg.Width, cfg.Height
			own := models.PhotoSize{FileID: f.FileID, FileUniqueID: f.FileUniqueID,
				Width: cfg.Width, Height: cfg.Height, FileSize: int(f.Size)}
			if thumb := sizes[0]; cfg.Width*cfg.Height > thumb.Width*thumb.Height {
				sizes = []models.PhotoSize{thumb, own}
			} else {
				sizes = []models.PhotoSize{own}
			}
		}
		m.Photo = sizes
		m.Caption, m.CaptionEntities = caption, detectEntities(caption)
	})
}
