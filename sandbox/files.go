package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rectibot/rectibot/internal/tgfake"
)

// GET /api/file?chat=<id>&message=<id> is the photo or document of a
// message, as a Telegram client opens it: the ledger the bot exported, the
// photo a persona sent, and the same photo when the bot sends it back as
// evidence (by its file_id) to a leader.

// fileURL is the address of message id's file in chat.
func fileURL(chat int64, id int) string {
	return "/api/file?chat=" + strconv.FormatInt(chat, 10) + "&message=" + strconv.Itoa(id)
}

// servedFile is a file as the page downloads it.
type servedFile struct {
	name, mime string
	data       []byte
}

// keepUpload remembers the bytes a persona sent under the file ids the
// emulator gave them. The emulator makes a photo's sizes itself (its own
// pixels), so without this a photo sent back by file_id would not be the
// one the visitor picked.
func (w *world) keepUpload(m *tgfake.Message, a *attachment) {
	if a == nil {
		return
	}
	for _, ps := range m.Photo {
		w.uploads[ps.FileID] = a
	}
	if m.Document != nil {
		w.uploads[m.Document.FileID] = a
	}
}

// file finds the file of message id in chat: a bot message's from the
// emulator, a persona's from what they uploaded.
func (w *world) file(chat int64, id int) (servedFile, error) {
	for _, m := range w.fake.Messages(chat) {
		if m.MessageID != id || m.Deleted {
			continue
		}
		f := m.Document
		if f == nil {
			f = m.Photo
		}
		if f == nil {
			break
		}
		if a, ok := w.uploads[f.FileID]; ok {
			return servedFile{name: a.name, mime: a.mime, data: a.data}, nil
		}
		if f.Data == nil { // a document made from a size alone: never the bot's own
			break
		}
		return servedFile{name: f.Name, mime: f.MIME, data: f.Data}, nil
	}
	for _, u := range w.users[chat] {
		if u.msg.ID == id && u.file != nil {
			return servedFile{name: u.file.name, mime: u.file.mime, data: u.file.data}, nil
		}
	}
	return servedFile{}, notFound("message %d in chat %d: no file", id, chat)
}

// serveFile is GET /api/file. The file is read under the world's lock and
// written after it.
func (s *Sandbox) serveFile(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	chat, err1 := strconv.ParseInt(q.Get("chat"), 10, 64)
	id, err2 := strconv.Atoi(q.Get("message"))
	if err1 != nil || err2 != nil {
		reply(rw, nil, bad("chat and message: ids are needed"))
		return
	}
	var f servedFile
	if err := s.with(func(w *world) (err error) {
		f, err = w.file(chat, id)
		return err
	}); err != nil {
		reply(rw, nil, err)
		return
	}
	mime := f.mime
	if mime == "" {
		mime = http.DetectContentType(f.data)
	}
	name := f.name
	if name == "" {
		name = fmt.Sprintf("file-%d", id)
	}
	// A photo shows in the page; anything else downloads, so that a file
	// a visitor uploaded (an .html, an .svg) never runs on the page's
	// origin, which can act as every persona.
	disposition := "attachment"
	if inlineTypes[mime] {
		disposition = "inline"
	}
	rw.Header().Set("Content-Type", mime)
	rw.Header().Set("Content-Disposition", disposition+"; filename*=UTF-8''"+url.PathEscape(name)) // RFC 5987: Chinese names
	rw.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	rw.Header().Set("Cache-Control", "no-store")
	_, _ = rw.Write(f.data)
}

// inlineTypes are the images a browser shows without running anything.
var inlineTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}
