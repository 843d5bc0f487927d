package tgfake

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // photo uploads are checked by decoding, as Telegram does
	_ "image/jpeg"
	"image/png"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/go-telegram/bot/models"
)

// File is a file the fake issued a file_id for: one the bot uploaded, or
// one a user "sent" through an update helper.
type File struct {
	FileID       string
	FileUniqueID string
	Kind         string // "document" or "photo"
	Name         string
	MIME         string
	Size         int64
	Width        int // photos
	Height       int
	// Data holds the bytes. It is nil for documents made from a size
	// alone; downloading those yields Size filler bytes.
	Data []byte
	path string
}

const (
	maxDownload = 20 << 20 // getFile refuses larger files
	maxPhoto    = 10 << 20
)

func (s *Server) newFileLocked(kind, name, mimeType string, data []byte, size int64) *File {
	s.seq++
	prefix, dir := "BQACAgIAAxkBAAI", "documents"
	if kind == "photo" {
		prefix, dir = "AgACAgIAAxkBAAI", "photos"
	}
	ext := path.Ext(name)
	if kind == "photo" {
		ext = ".jpg"
	}
	if data != nil {
		size = int64(len(data))
	}
	f := &File{FileID: fmt.Sprintf("%s%08d", prefix, s.seq), FileUniqueID: fmt.Sprintf("AQAD%08d", s.seq),
		Kind: kind, Name: name, MIME: mimeType, Size: size, Data: data,
		path: fmt.Sprintf("%s/file_%d%s", dir, s.seq, ext)}
	s.files[f.FileID] = f
	return f
}

// input is the document/photo field of a send: new bytes or a file_id.
type input struct {
	up     *upload
	fileID string
	w, h   int
}

// readInput checks an upload before any lock is taken (decoding a photo
// can take a while).
func readInput(p *params, field, kind string) (input, *apiError) {
	var in input
	if up, ok := p.files[field]; ok {
		in.up = &up
	} else if v := p.str(field); strings.HasPrefix(v, "attach://") {
		up, ok := p.files[strings.TrimPrefix(v, "attach://")]
		if !ok {
			return in, badRequest("wrong file identifier/HTTP URL specified")
		}
		in.up = &up
	} else {
		in.fileID = strings.TrimSpace(v)
		switch {
		case in.fileID == "":
			return in, badRequest("there is no %s in the request", kind)
		case strings.HasPrefix(in.fileID, "http://"), strings.HasPrefix(in.fileID, "https://"):
			// Telegram would fetch it; the fake does not reach the network.
			return in, badRequest("failed to get HTTP URL content")
		}
		return in, nil
	}
	if len(in.up.data) == 0 {
		return in, badRequest("file must be non-empty")
	}
	if kind == "photo" {
		if len(in.up.data) > maxPhoto {
			return in, badRequest("PHOTO_SAVE_FILE_INVALID")
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(in.up.data))
		if err != nil {
			return in, badRequest("IMAGE_PROCESS_FAILED")
		}
		if cfg.Width+cfg.Height > 10000 || cfg.Width > 20*cfg.Height || cfg.Height > 20*cfg.Width {
			return in, badRequest("PHOTO_INVALID_DIMENSIONS")
		}
		in.w, in.h = cfg.Width, cfg.Height
	}
	return in, nil
}

// existingLocked resolves a file_id input; nil for uploads.
func (s *Server) existingLocked(in input, kind string) (*File, *apiError) {
	if in.up != nil {
		return nil, nil
	}
	f := s.files[in.fileID]
	if f == nil {
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	if f.Kind != kind {
		return nil, badRequest("wrong type of the file: can't use %s file_id as %s", f.Kind, kind)
	}
	return f, nil
}

// registerLocked issues a file_id for an upload that is being sent.
func (s *Server) registerLocked(in input, kind string) *File {
	mt := mime.TypeByExtension(path.Ext(in.up.name))
	if mt == "" {
		mt = "application/octet-stream"
	}
	mt, _, _ = strings.Cut(mt, ";")
	f := s.newFileLocked(kind, in.up.name, mt, in.up.data, 0)
	f.Width, f.Height = in.w, in.h
	return f
}

// userPhotoLocked makes the sizes of a photo a user sends: real PNG bytes,
// so a bot that downloads and embeds them gets a decodable image.
func (s *Server) userPhotoLocked() []models.PhotoSize {
	var sizes []models.PhotoSize
	for _, d := range [][2]int{{90, 68}, {320, 240}} {
		img := image.NewRGBA(image.Rect(0, 0, d[0], d[1]))
		for i := range img.Pix {
			img.Pix[i] = uint8(i * 7)
		}
		img.Set(0, 0, color.White)
		var buf bytes.Buffer
		_ = png.Encode(&buf, img)
		f := s.newFileLocked("photo", "", "image/png", buf.Bytes(), 0)
		f.Width, f.Height = d[0], d[1]
		sizes = append(sizes, models.PhotoSize{FileID: f.FileID, FileUniqueID: f.FileUniqueID,
			Width: d[0], Height: d[1], FileSize: int(f.Size)})
	}
	return sizes
}

func (s *Server) getFile(_ *http.Request, p *params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[strings.TrimSpace(p.str("file_id"))]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if f.Size > maxDownload {
		return nil, badRequest("file is too big")
	}
	// The download path works only once getFile has handed it out.
	s.filePath[f.path] = f
	return models.File{FileID: f.FileID, FileUniqueID: f.FileUniqueID, FileSize: f.Size, FilePath: f.path}, nil
}

// serveFile answers the download URL bot.FileDownloadLink builds:
// /file/bot{token}/{file_path}.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, fp, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	f := s.filePath[fp]
	s.mu.Unlock()
	if token != s.token || f == nil {
		http.Error(w, `{"ok":false,"error_code":404,"description":"Not Found"}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(f.Size))
	if f.Data != nil {
		_, _ = w.Write(f.Data)
		return
	}
	_, _ = io.CopyN(w, filler{}, f.Size)
}

// filler is an endless reader of printable bytes.
type filler struct{}

func (filler) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return len(b), nil
}
