package tgfake

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// userPhotos has alice send n photos and returns their largest sizes'
// file_ids, as a bot keeps them.
func userPhotos(s *Server, n int) []string {
	var ids []string
	for range n {
		u := s.Photo(alice, "", "")
		ids = append(ids, u.Message.Photo[len(u.Message.Photo)-1].FileID)
	}
	return ids
}

func photoItems(ids ...string) []models.InputMedia {
	var out []models.InputMedia
	for _, id := range ids {
		out = append(out, &models.InputMediaPhoto{Media: id})
	}
	return out
}

func album(t *testing.T, b *bot.Bot, chatID int64, media ...models.InputMedia) ([]*models.Message, error) {
	t.Helper()
	return b.SendMediaGroup(t.Context(), &bot.SendMediaGroupParams{ChatID: chatID, Media: media})
}

func TestSendMediaGroupOfStoredPhotos(t *testing.T) {
	s, b, _ := newFake(t, Options{Limits: Limits{Unlimited: true}})
	ids := userPhotos(s, 3)
	items := photoItems(ids...)
	items[0].(*models.InputMediaPhoto).Caption = "<b>周杰</b> 3月2日 提交"
	items[0].(*models.InputMediaPhoto).ParseMode = models.ParseModeHTML
	msgs, err := album(t, b, bob, items...)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 || msgs[0].MediaGroupID == "" || msgs[1].ID != msgs[0].ID+1 {
		t.Fatalf("album = %+v", msgs)
	}
	for i, m := range msgs {
		if m.MediaGroupID != msgs[0].MediaGroupID || len(m.Photo) != 1 || m.Photo[0].FileID != ids[i] {
			t.Errorf("item %d = %+v", i, m)
		}
	}
	if msgs[0].Caption != "周杰 3月2日 提交" || len(msgs[0].CaptionEntities) != 1 || msgs[1].Caption != "" {
		t.Errorf("captions %q %+v, %q", msgs[0].Caption, msgs[0].CaptionEntities, msgs[1].Caption)
	}
	sent := s.Messages(bob)
	if len(sent) != 3 {
		t.Fatalf("%d messages in the chat, want 3", len(sent))
	}
	for i, m := range sent {
		if m.Method != "sendMediaGroup" || m.MediaGroupID != msgs[0].MediaGroupID || m.MessageID != msgs[i].ID ||
			m.Photo == nil || m.Photo.FileID != ids[i] || m.Document != nil {
			t.Errorf("stored item %d = %+v", i, m)
		}
	}
	if sent[0].Caption != "周杰 3月2日 提交" || sent[0].ParseMode != "HTML" {
		t.Errorf("stored caption %q (%s)", sent[0].Caption, sent[0].ParseMode)
	}
	// A second album is another group.
	again, err := album(t, b, bob, photoItems(ids[0], ids[1])...)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].MediaGroupID == msgs[0].MediaGroupID {
		t.Errorf("second album in group %q, as the first", again[0].MediaGroupID)
	}
}

func TestSendMediaGroupOfDocumentsAndUploads(t *testing.T) {
	s, b, _ := newFake(t, Options{Limits: Limits{Unlimited: true}})
	d1 := s.Document(alice, "整改方案.pdf", "application/pdf", 2048, "")
	d2 := s.Upload(alice, alice, 0, "验收单.xlsx", "application/vnd.ms-excel", []byte("PK\x03\x04"), "")
	msgs, err := album(t, b, alice,
		&models.InputMediaDocument{Media: d1.Message.Document.FileID, Caption: "方案"},
		&models.InputMediaDocument{Media: d2.Message.Document.FileID})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Document == nil || msgs[0].Document.FileName != "整改方案.pdf" ||
		msgs[1].Document.FileID != d2.Message.Document.FileID || msgs[0].Caption != "方案" {
		t.Fatalf("documents album = %+v / %+v", msgs[0], msgs[1])
	}
	if last := s.Last(alice); last.Document == nil || last.Document.Name != "验收单.xlsx" || last.MediaGroupID != msgs[0].MediaGroupID {
		t.Fatalf("stored = %+v", last)
	}
	// New photos by attach:// uploads get file_ids like any upload.
	png := pngBytes(t, 64, 48)
	msgs, err = album(t, b, group,
		&models.InputMediaPhoto{Media: "attach://a.png", MediaAttachment: bytes.NewReader(png)},
		&models.InputMediaPhoto{Media: "attach://b.png", MediaAttachment: bytes.NewReader(png)})
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Photo[0].Width != 64 || msgs[0].Photo[0].FileID == msgs[1].Photo[0].FileID {
		t.Fatalf("uploaded album = %+v", msgs)
	}
	if _, err := b.SendPhoto(t.Context(), &bot.SendPhotoParams{ChatID: bob,
		Photo: &models.InputFileString{Data: msgs[1].Photo[0].FileID}}); err != nil {
		t.Fatalf("an album's photo sent on by file_id: %v", err)
	}
}

func TestSendMediaGroupRefusesWhatTelegramRefuses(t *testing.T) {
	s, b, _ := newFake(t, Options{Limits: Limits{Unlimited: true}})
	ids := userPhotos(s, 11)
	doc := s.Document(alice, "a.pdf", "application/pdf", 10, "").Message.Document.FileID
	long := strings.Repeat("字", 1025)
	for _, tc := range []struct {
		name  string
		media []models.InputMedia
		want  string
	}{
		{"one item", photoItems(ids[0]), "media must include 2-10 items"},
		{"eleven items", photoItems(ids...), "Bad Request: too many messages to send as an album"},
		{"document with photos", append(photoItems(ids[0]), &models.InputMediaDocument{Media: doc}),
			"Bad Request: document can't be mixed with other media types"},
		{"unknown file_id", photoItems(ids[0], "AgACAgIAAxkBAAInope"),
			`Bad Request: failed to send message #2 with the error message "Wrong file identifier/HTTP URL specified"`},
		{"a document's file_id as a photo", photoItems(ids[0], doc), "wrong type of the file: can't use document file_id as photo"},
		{"a photo's file_id as a document", []models.InputMedia{&models.InputMediaDocument{Media: doc},
			&models.InputMediaDocument{Media: ids[0]}}, "wrong type of the file"},
		{"caption over 1024", []models.InputMedia{&models.InputMediaPhoto{Media: ids[0]},
			&models.InputMediaPhoto{Media: ids[1], Caption: long}}, "Bad Request: message caption is too long"},
		{"bad HTML caption", []models.InputMedia{&models.InputMediaPhoto{Media: ids[0], Caption: "<b>未闭合",
			ParseMode: models.ParseModeHTML}, &models.InputMediaPhoto{Media: ids[1]}}, "can't parse entities"},
		{"animation", []models.InputMedia{&models.InputMediaAnimation{Media: ids[0]}, &models.InputMediaAnimation{Media: ids[1]}},
			`type "animation" can't be used in sendMediaGroup`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := album(t, b, bob, tc.media...)
			wantBadRequest(t, err, tc.want)
		})
	}
	// A caption of exactly 1024 is fine, counted after entity parsing.
	ok := "<b>" + strings.Repeat("字", 1024) + "</b>"
	if _, err := album(t, b, bob, &models.InputMediaPhoto{Media: ids[0], Caption: ok, ParseMode: models.ParseModeHTML},
		&models.InputMediaPhoto{Media: ids[1]}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Messages(bob)); n != 2 {
		t.Errorf("%d messages in the chat: a refused album must send nothing", n)
	}
	// What the client cannot express: no media, an empty array, an object,
	// an attachment the body does not carry.
	for _, tc := range []struct {
		media any
		want  string
	}{
		{nil, `Bad Request: parameter "media" is required`},
		{[]any{}, "Bad Request: there are no messages to send"},
		{map[string]any{"type": "photo", "media": ids[0]}, "Bad Request: expected an Array of InputMedia"},
		{[]any{map[string]any{"type": "photo", "media": ids[0]}, map[string]any{"type": "photo", "media": "attach://gone"}},
			"Bad Request: can't parse InputMedia: media not found"},
		{[]any{map[string]any{"type": "audio", "media": ids[0]}, map[string]any{"type": "photo", "media": ids[1]}},
			"Bad Request: audio can't be mixed with other media types"},
	} {
		body := map[string]any{"chat_id": bob}
		if tc.media != nil {
			body["media"] = tc.media
		}
		if code, r := call(t, s, "sendMediaGroup", body); code != 400 || r.Description != tc.want {
			t.Errorf("media %v: %d %q, want %q", tc.media, code, r.Description, tc.want)
		}
	}
}

func TestAlbumCountsAsItsItemsAgainstFloodLimits(t *testing.T) {
	s, b, clock := newFake(t, Options{})
	ids := userPhotos(s, 10)
	if _, err := album(t, b, bob, photoItems(ids...)...); err != nil {
		t.Fatalf("a 10-photo album into a quiet private chat: %v", err)
	}
	// Ten sends at 1/s with a burst of 3: the chat is busy for 8 more seconds.
	_, err := send(t, b, bob, "下一条")
	wantRetryAfter(t, err, 8)
	clock.Advance(8 * time.Second)
	if _, err := send(t, b, bob, "下一条"); err != nil {
		t.Fatal(err)
	}
	// An album is refused whole while the chat cools down, sending nothing.
	s.SetFaults(FaultConfig{Rate429: 1, RetryAfter: 3})
	_, err = album(t, b, alice, photoItems(ids[0], ids[1])...)
	wantRetryAfter(t, err, 3)
	if got := s.Messages(alice); len(got) != 0 {
		t.Fatalf("a refused album left %d messages", len(got))
	}
}
