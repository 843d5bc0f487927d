package tgfake

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func download(t *testing.T, b *bot.Bot, fileID string) []byte {
	t.Helper()
	f, err := b.GetFile(t.Context(), &bot.GetFileParams{FileID: fileID})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || int64(len(data)) != f.FileSize {
		t.Fatalf("download: %d, %d bytes, file_size %d", resp.StatusCode, len(data), f.FileSize)
	}
	return data
}

func TestSendDocument(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	content := []byte("PK\x03\x04 fake xlsx")
	m, err := b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: alice,
		Document: &models.InputFileUpload{Filename: "台账.xlsx", Data: bytes.NewReader(content)},
		Caption:  "<b>本周</b>台账", ParseMode: models.ParseModeHTML})
	if err != nil {
		t.Fatal(err)
	}
	d := m.Document
	if d == nil || d.FileName != "台账.xlsx" || d.FileSize != int64(len(content)) || m.Caption != "本周台账" ||
		d.MimeType != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("message = %+v, document = %+v", m, d)
	}
	got := s.Last(alice)
	if got.Method != "sendDocument" || got.Document == nil || !bytes.Equal(got.Document.Data, content) || got.Caption != "本周台账" {
		t.Fatalf("stored = %+v", got)
	}
	if !bytes.Equal(download(t, b, d.FileID), content) {
		t.Fatal("downloaded bytes differ")
	}
	// Again by file_id, without uploading.
	if _, err := b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: bob,
		Document: &models.InputFileString{Data: d.FileID}}); err != nil {
		t.Fatal(err)
	}
	_, err = b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: bob, Document: &models.InputFileString{Data: "BQACnope"}})
	wantBadRequest(t, err, "wrong file identifier/HTTP URL specified")
	_, err = b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: bob,
		Document: &models.InputFileUpload{Filename: "empty.txt", Data: bytes.NewReader(nil)}})
	wantBadRequest(t, err, "file must be non-empty")
	_, err = b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: bob, Caption: strings.Repeat("字", 1025),
		Document: &models.InputFileString{Data: d.FileID}})
	wantBadRequest(t, err, "Bad Request: message caption is too long")
	if _, err = b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: bob, Caption: strings.Repeat("字", 1024),
		Document: &models.InputFileString{Data: d.FileID}}); err != nil {
		t.Fatal(err)
	}
}

func TestSendPhoto(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	m, err := b.SendPhoto(t.Context(), &bot.SendPhotoParams{ChatID: group,
		Photo: &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(pngBytes(t, 640, 480))}, Caption: "趋势"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Photo) != 1 || m.Photo[0].Width != 640 || m.Photo[0].Height != 480 || s.Last(group).Photo == nil {
		t.Fatalf("photo = %+v", m.Photo)
	}
	_, err = b.SendPhoto(t.Context(), &bot.SendPhotoParams{ChatID: group,
		Photo: &models.InputFileUpload{Filename: "x.png", Data: strings.NewReader("not an image")}})
	wantBadRequest(t, err, "IMAGE_PROCESS_FAILED")
	_, err = b.SendPhoto(t.Context(), &bot.SendPhotoParams{ChatID: group,
		Photo: &models.InputFileUpload{Filename: "x.png", Data: bytes.NewReader(pngBytes(t, 2100, 100))}})
	wantBadRequest(t, err, "PHOTO_INVALID_DIMENSIONS")
	_, err = b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: group, Document: &models.InputFileString{Data: m.Photo[0].FileID}})
	wantBadRequest(t, err, "wrong type of the file")
	_, err = b.SendPhoto(t.Context(), &bot.SendPhotoParams{ChatID: group, Photo: &models.InputFileString{Data: "https://example.com/a.png"}})
	wantBadRequest(t, err, "failed to get HTTP URL content")
}

func TestFilesUsersSend(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	m, _ := send(t, b, alice, "请上传整改照片")
	u := s.ReplyPhoto(alice, alice, m.ID, "已整改")
	if len(u.Message.Photo) != 2 || u.Message.ReplyToMessage.ID != m.ID || u.Message.Caption != "已整改" {
		t.Fatalf("photo update = %+v", u.Message)
	}
	big := u.Message.Photo[1]
	img, err := png.Decode(bytes.NewReader(download(t, b, big.FileID)))
	if err != nil || img.Bounds().Dx() != big.Width {
		t.Fatalf("photo download: %v", err)
	}
	// The bot can send it on by file_id.
	if _, err := b.SendPhoto(t.Context(), &bot.SendPhotoParams{ChatID: bob, Photo: &models.InputFileString{Data: big.FileID}}); err != nil {
		t.Fatal(err)
	}

	xlsx := []byte("PK\x03\x04 ledger")
	d := s.Upload(alice, alice, 0, "ledger.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx, "")
	if !bytes.Equal(download(t, b, d.Message.Document.FileID), xlsx) {
		t.Fatal("uploaded document content differs")
	}
	small := s.Document(alice, "report.pdf", "application/pdf", 1234, "报告")
	if got := download(t, b, small.Message.Document.FileID); len(got) != 1234 {
		t.Fatalf("filler download %d bytes", len(got))
	}
	huge := s.Document(alice, "video.zip", "application/zip", 30<<20, "")
	_, err = b.GetFile(t.Context(), &bot.GetFileParams{FileID: huge.Message.Document.FileID})
	wantBadRequest(t, err, "file is too big")
	_, err = b.GetFile(t.Context(), &bot.GetFileParams{FileID: "nope"})
	wantBadRequest(t, err, "invalid file_id")
}

func TestCommands(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	cmds := []models.BotCommand{{Command: "start", Description: "开始"}, {Command: "my_tasks", Description: "我的整改任务"}}
	if _, err := b.SetMyCommands(t.Context(), &bot.SetMyCommandsParams{Commands: cmds}); err != nil {
		t.Fatal(err)
	}
	admin := []models.BotCommand{{Command: "report", Description: "通报"}}
	if _, err := b.SetMyCommands(t.Context(), &bot.SetMyCommandsParams{Commands: admin, LanguageCode: "zh",
		Scope: &models.BotCommandScopeChatAdministrators{ChatID: group}}); err != nil {
		t.Fatal(err)
	}
	if got := s.Commands("", ""); len(got) != 2 || got[1].Command != "my_tasks" {
		t.Fatalf("default commands = %+v", got)
	}
	if got := s.Commands("chat_administrators:-4001", "zh"); len(got) != 1 {
		t.Fatalf("admin commands = %+v", got)
	}
	got, err := b.GetMyCommands(t.Context(), &bot.GetMyCommandsParams{Scope: &models.BotCommandScopeAllGroupChats{}})
	if err != nil || len(got) != 0 {
		t.Fatalf("unset scope: %v %v", got, err)
	}
	if _, err := b.DeleteMyCommands(t.Context(), &bot.DeleteMyCommandsParams{}); err != nil || len(s.Commands("default", "")) != 0 {
		t.Fatalf("delete: %v", err)
	}
	for _, bad := range []models.BotCommand{{Command: "Start", Description: "x"}, {Command: "my-tasks", Description: "x"},
		{Command: strings.Repeat("a", 33), Description: "x"}} {
		_, err := b.SetMyCommands(t.Context(), &bot.SetMyCommandsParams{Commands: []models.BotCommand{bad}})
		wantBadRequest(t, err, "BOT_COMMAND_INVALID")
	}
	_, err = b.SetMyCommands(t.Context(), &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "a", Description: ""}}})
	wantBadRequest(t, err, "BOT_COMMAND_DESCRIPTION_INVALID")
	_, err = b.SetMyCommands(t.Context(), &bot.SetMyCommandsParams{Commands: cmds, Scope: &models.BotCommandScopeChat{ChatID: 5}})
	wantBadRequest(t, err, "chat not found")
}

func TestChatActionGetChatGetMe(t *testing.T) {
	s, b, _ := newFake(t, Options{BotUsername: "zg_bot"})
	if _, err := b.SendChatAction(t.Context(), &bot.SendChatActionParams{ChatID: alice, Action: models.ChatActionUploadDocument}); err != nil {
		t.Fatal(err)
	}
	_, err := b.SendChatAction(t.Context(), &bot.SendChatActionParams{ChatID: alice, Action: "dancing"})
	wantBadRequest(t, err, "wrong parameter action in request")
	if got := s.Actions(alice); len(got) != 1 || got[0] != "upload_document" {
		t.Fatalf("Actions = %v", got)
	}
	c, err := b.GetChat(t.Context(), &bot.GetChatParams{ChatID: group})
	if err != nil || c.Type != models.ChatTypeGroup || c.Title != "整改群" {
		t.Fatalf("getChat = %+v, %v", c, err)
	}
	_, err = b.GetChat(t.Context(), &bot.GetChatParams{ChatID: carol})
	wantBadRequest(t, err, "chat not found")
	me, err := b.GetMe(t.Context())
	if err != nil || me.Username != "zg_bot" || !me.IsBot || me.ID != 7000000001 {
		t.Fatalf("getMe = %+v, %v", me, err)
	}
}
