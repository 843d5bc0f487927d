package sandbox

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rectibot/rectibot/miniapp"
)

// web is the page (another part of this package's work: web/index.html and
// what it loads from /static/).
//
//go:embed web/*
var web embed.FS

// Request bodies are small JSON; uploads stop at Telegram's 20 MB limit
// for files a bot can download.
const (
	maxJSONBody   = 64 << 10
	maxUploadBody = 20<<20 + 64<<10
	maxTextRunes  = 4096 // Telegram's limit on a message users send, too
)

// badRequest is an error the visitor's request caused: a 4xx with its text.
type badRequest struct {
	code int
	msg  string
}

func (e *badRequest) Error() string { return e.msg }

func bad(format string, args ...any) error {
	return &badRequest{code: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &badRequest{code: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

func (s *Sandbox) routes() http.Handler {
	static, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "index.html")
	})
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /api/state", s.api(func(r *http.Request, w *world) (any, error) {
		return w.state(r.Context())
	}))
	mux.HandleFunc("GET /api/chat", s.api(func(r *http.Request, w *world) (any, error) {
		chat, err := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
		if err != nil {
			return nil, bad("id: a chat id is needed")
		}
		return w.chat(chat, r.URL.Query().Get("persona"))
	}))
	mux.HandleFunc("POST /api/send", s.api(func(r *http.Request, w *world) (any, error) {
		var in struct {
			Persona string `json:"persona"`
			ChatID  int64  `json:"chatId"`
			Text    string `json:"text"`
			ReplyTo int    `json:"replyTo"`
		}
		if err := readJSON(r, &in); err != nil {
			return nil, err
		}
		return ok(nil), w.send(r.Context(), in.Persona, in.ChatID, in.ReplyTo, in.Text)
	}))
	mux.HandleFunc("POST /api/press", s.api(func(r *http.Request, w *world) (any, error) {
		var in struct {
			Persona   string `json:"persona"`
			ChatID    int64  `json:"chatId"`
			MessageID int    `json:"messageId"`
			Data      string `json:"data"`
		}
		if err := readJSON(r, &in); err != nil {
			return nil, err
		}
		answer, err := w.press(r.Context(), in.Persona, in.ChatID, in.MessageID, in.Data)
		return ok(map[string]any{"answer": answer}), err
	}))
	mux.HandleFunc("GET /api/miniapp", s.api(func(r *http.Request, w *world) (any, error) {
		return w.miniAppLaunch(r.URL.Query().Get("persona"), r.URL.Query().Get("theme"))
	}))
	mux.Handle(miniapp.Path, s.miniAppProxy())
	mux.HandleFunc("POST /api/upload", s.upload)
	mux.HandleFunc("GET /api/file", s.serveFile)
	mux.HandleFunc("POST /api/clock", s.api(func(r *http.Request, w *world) (any, error) {
		var in struct {
			Action string `json:"action"`
		}
		if err := readJSON(r, &in); err != nil {
			return nil, err
		}
		now, err := w.move(r.Context(), in.Action)
		if errors.Is(err, errUnknownAction) {
			return nil, bad("%v", err)
		}
		return ok(map[string]any{"now": now.In(w.loc).Format(time.RFC3339)}), err
	}))
	mux.HandleFunc("POST /api/reset", func(rw http.ResponseWriter, r *http.Request) {
		r = detach(r)
		s.mu.Lock()
		err := s.reset(r.Context())
		s.mu.Unlock()
		reply(rw, ok(nil), err)
	})
	return mux
}

// api adapts a handler of the world: one request at a time, the answer as
// JSON, errors as {"error": "..."}.
func (s *Sandbox) api(fn func(r *http.Request, w *world) (any, error)) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		r = detach(r)
		var out any
		err := s.with(func(w *world) (err error) {
			out, err = fn(r, w)
			return err
		})
		reply(rw, out, err)
	}
}

// detach keeps the request's values but not its cancellation: a tab closed
// while the bot handles an update must not cut the handling (and the
// dialogue it writes) in half; on Telegram the user's leaving changes
// nothing either.
func detach(r *http.Request) *http.Request {
	return r.WithContext(context.WithoutCancel(r.Context()))
}

func reply(rw http.ResponseWriter, out any, err error) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	if err != nil {
		code := http.StatusInternalServerError
		var br *badRequest
		switch {
		case errors.As(err, &br):
			code = br.code
		case errors.Is(err, errClosed):
			code = http.StatusServiceUnavailable
		}
		rw.WriteHeader(code)
		out = map[string]string{"error": err.Error()}
	}
	_ = json.NewEncoder(rw).Encode(out)
}

// ok is {"ok": true} with the extra fields.
func ok(extra map[string]any) map[string]any {
	out := map[string]any{"ok": true}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bad("the request body: %v", err)
	}
	return nil
}

// upload is POST /api/upload: a photo when the file says image/*, else a
// document with its bytes (the bot may download and read it, an .xlsx to
// import, say). The body is read before the world is locked: a slow upload
// holds up nobody.
func (s *Sandbox) upload(rw http.ResponseWriter, r *http.Request) {
	r = detach(r)
	up, err := readUpload(rw, r)
	if err != nil {
		reply(rw, nil, err)
		return
	}
	err = s.with(func(w *world) error {
		return w.attach(r.Context(), up.persona, up.chat, up.replyTo, up.caption, up.file)
	})
	reply(rw, ok(nil), err)
}

// upload is a parsed POST /api/upload.
type upload struct {
	persona, caption string
	chat             int64
	replyTo          int
	file             attachment
}

func readUpload(rw http.ResponseWriter, r *http.Request) (upload, error) {
	r.Body = http.MaxBytesReader(rw, r.Body, maxUploadBody)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return upload{}, bad("the upload: %v (at most 20 MB)", err)
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	up := upload{persona: r.FormValue("persona"), caption: r.FormValue("caption")}
	var err error
	if up.chat, err = strconv.ParseInt(r.FormValue("chatId"), 10, 64); err != nil {
		return up, bad("chatId: a chat id is needed")
	}
	if v := r.FormValue("replyTo"); v != "" {
		if up.replyTo, err = strconv.Atoi(v); err != nil {
			return up, bad("replyTo: a message id is needed")
		}
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return up, bad("file: %v", err)
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(f)
	if err != nil {
		return up, bad("file: %v", err)
	}
	mime := hdr.Header.Get("Content-Type")
	if mime == "" || mime == "application/octet-stream" {
		mime = http.DetectContentType(data)
	}
	up.file = attachment{name: hdr.Filename, mime: mime, data: data, photo: strings.HasPrefix(mime, "image/")}
	return up, nil
}
