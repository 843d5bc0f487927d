package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/outbound"
)

// maxAlbum is the most items Telegram takes in one sendMediaGroup.
const maxAlbum = 10

// SendFiles implements outbound.Sender: stored photos and documents go back
// by file_id, nothing is uploaded again.
//
// Photos go as albums of up to 10 (a lone photo by sendPhoto), so evidence
// reads as one piece. Documents go one message each by sendDocument,
// although Telegram also takes albums of 2–10 documents: a document album
// shows as a plain list of files anyway, it saves no flood budget (an album
// counts as its items), and one refused file_id refuses a whole album,
// while alone it refuses only itself. Each document is its own message to
// reply to, with its own caption.
//
// A file Telegram refuses (an expired or foreign file_id: 400) does not
// stop the rest: an album that is refused is sent again photo by photo, so
// only the refused ones are missing, and they come back in a
// *outbound.FilesRefusedError (which wraps outbound.ErrRejected). Any other
// failure (the person blocked the bot, ctx ended) stops the sending.
func (s *Sender) SendFiles(ctx context.Context, f outbound.Files) ([]int, error) {
	for i, file := range f.Files {
		if file.FileID == "" || file.Kind != outbound.FilePhoto && file.Kind != outbound.FileDocument {
			return nil, fmt.Errorf("send files: file %d is %q %q, want a photo or document file_id", i, file.Kind, file.FileID)
		}
	}
	var ids []int
	refused := &outbound.FilesRefusedError{}
	var refusals []error
	for _, batch := range batches(f.Files) {
		sent, err := s.sendBatch(ctx, f, batch, refused, &refusals)
		ids = append(ids, sent...)
		if err != nil {
			if len(refused.Files) > 0 {
				refused.Err = errors.Join(refusals...)
				return ids, errors.Join(err, refused)
			}
			return ids, err
		}
	}
	if len(refused.Files) > 0 {
		refused.Err = errors.Join(refusals...)
		return ids, refused
	}
	return ids, nil
}

// batches cuts the files into what one call sends, in order: runs of
// photos in albums of up to 10, documents one by one. An album whose first
// photo has no caption repeats the latest caption of its run, so the
// second album of someone's twelve photos still says whose they are.
func batches(files []outbound.StoredFile) [][]outbound.StoredFile {
	var out [][]outbound.StoredFile
	for i := 0; i < len(files); {
		if files[i].Kind != outbound.FilePhoto {
			out = append(out, files[i:i+1])
			i++
			continue
		}
		end := i
		for end < len(files) && files[end].Kind == outbound.FilePhoto {
			end++
		}
		caption := ""
		for start := i; start < end; start += maxAlbum {
			chunk := append([]outbound.StoredFile(nil), files[start:min(start+maxAlbum, end)]...)
			if chunk[0].Caption == "" {
				chunk[0].Caption = caption
			}
			for _, p := range chunk {
				if p.Caption != "" {
					caption = p.Caption
				}
			}
			out = append(out, chunk)
		}
		i = end
	}
	return out
}

// sendBatch sends one album, photo or document. Files Telegram refuses are
// added to refused (with their errors to refusals); the error returned is
// one that stops the sending.
func (s *Sender) sendBatch(ctx context.Context, f outbound.Files, batch []outbound.StoredFile,
	refused *outbound.FilesRefusedError, refusals *[]error) ([]int, error) {
	if len(batch) > 1 {
		ids, err := s.sendAlbum(ctx, f, batch)
		if !errors.Is(err, outbound.ErrRejected) {
			return ids, err
		}
		// Telegram names only the first item it refused; photo by photo,
		// the others still go. The album's caption goes on the first that
		// does.
		s.log.WarnContext(ctx, "album refused, sending its photos one by one",
			slog.Int64("chat", f.ChatID), slog.Any("err", err))
	}
	var ids []int
	caption := batch[0].Caption
	for _, file := range batch {
		if file.Caption == "" {
			file.Caption = caption
		}
		id, err := s.sendOne(ctx, f, file)
		switch {
		case err == nil:
			ids = append(ids, id)
			caption = ""
		case errors.Is(err, outbound.ErrRejected):
			refused.Files = append(refused.Files, file)
			*refusals = append(*refusals, err)
		default:
			return ids, err
		}
	}
	return ids, nil
}

// sendAlbum sends 2–10 photos as one media group.
func (s *Sender) sendAlbum(ctx context.Context, f outbound.Files, batch []outbound.StoredFile) ([]int, error) {
	media := make([]models.InputMedia, 0, len(batch))
	for _, file := range batch {
		item := &models.InputMediaPhoto{Media: file.FileID, Caption: file.Caption}
		if file.Caption != "" {
			item.ParseMode = models.ParseModeHTML
		}
		media = append(media, item)
	}
	// Telegram counts an album as its items against the flood limits, so
	// the limiter is asked for one message per item: call waits for one
	// (on every attempt), these for the others.
	for range len(media) - 1 {
		if err := s.limiter.Wait(ctx, f.ChatID); err != nil {
			return nil, fmt.Errorf("sendMediaGroup: rate limiter: %w", err)
		}
	}
	var msgs []*models.Message
	err := s.call(ctx, "sendMediaGroup", f.ChatID, true, func() (err error) {
		msgs, err = s.api.SendMediaGroup(ctx, &tgbot.SendMediaGroupParams{ChatID: f.ChatID, Media: media})
		return err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int, 0, len(msgs))
	for _, m := range msgs {
		s.record(ctx, f.ChatID, m.ID, f.Kind, "", f.PersonID, f.TaskIDs)
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// sendOne sends one stored photo or document.
func (s *Sender) sendOne(ctx context.Context, f outbound.Files, file outbound.StoredFile) (int, error) {
	var mode models.ParseMode
	if file.Caption != "" {
		mode = models.ParseModeHTML
	}
	stored := &models.InputFileString{Data: file.FileID}
	var msg *models.Message
	var err error
	if file.Kind == outbound.FilePhoto {
		err = s.call(ctx, "sendPhoto", f.ChatID, true, func() (err error) {
			msg, err = s.api.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: f.ChatID, Photo: stored,
				Caption: file.Caption, ParseMode: mode})
			return err
		})
	} else {
		err = s.call(ctx, "sendDocument", f.ChatID, true, func() (err error) {
			msg, err = s.api.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: f.ChatID, Document: stored,
				Caption: file.Caption, ParseMode: mode})
			return err
		})
	}
	if err != nil {
		return 0, err
	}
	s.record(ctx, f.ChatID, msg.ID, f.Kind, "", f.PersonID, f.TaskIDs)
	return msg.ID, nil
}
