package miniapp

import (
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// evidence streams one evidence file to someone who may see its task: the
// page shows photos as thumbnails from here, and Telegram's file URL (with
// the bot token in it) never reaches the browser.
func (s *Server) evidence(w http.ResponseWriter, r *http.Request, c *caller) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	att, taskID, err := s.d.Store.AttachmentByID(r.Context(), id)
	if err == nil {
		var scope ledger.TaskScope
		if scope, err = s.d.Store.TaskScope(r.Context(), taskID); err == nil {
			err = ledger.Authorize(c.actor, ledger.ActViewTask, &scope)
		}
	}
	switch {
	case errors.Is(err, ledger.ErrDenied), errors.Is(err, models.ErrNotFound):
		writeError(w, http.StatusForbidden, "forbidden")
		return
	case err != nil:
		s.d.Log.WarnContext(r.Context(), "miniapp: evidence", slog.Uint64("attachment", uint64(id)), slog.Any("err", err))
		writeError(w, http.StatusServiceUnavailable, "try_later")
		return
	}
	body, contentType, err := s.d.Files.FetchFile(r.Context(), att.FileID)
	switch {
	case errors.Is(err, ErrFileGone):
		writeError(w, http.StatusNotFound, "file_gone")
		return
	case err != nil:
		s.d.Log.WarnContext(r.Context(), "miniapp: fetch evidence", slog.Uint64("attachment", uint64(id)), slog.Any("err", err))
		writeError(w, http.StatusBadGateway, "try_later")
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", evidenceType(att, contentType))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Only the person's own browser keeps it; the ledger's files are not
	// for shared caches.
	w.Header().Set("Cache-Control", "private, max-age=3600")
	disposition := "attachment"
	if att.Kind == "photo" {
		disposition = "inline"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": fileName(att)}))
	if _, err := io.Copy(w, body); err != nil {
		s.d.Log.InfoContext(r.Context(), "miniapp: evidence cut short", slog.Uint64("attachment", uint64(id)), slog.Any("err", err))
	}
}

// evidenceType is what the browser is told the file is: a photo is an
// image whatever the download says; a document keeps its recorded type,
// never HTML or script that the page's origin would run.
func evidenceType(att models.Attachment, downloaded string) string {
	t := att.MIMEType
	if t == "" {
		t = downloaded
	}
	if att.Kind == "photo" && !strings.HasPrefix(t, "image/") {
		t = "image/jpeg"
	}
	if base, _, _ := mime.ParseMediaType(t); base == "" || strings.Contains(base, "html") ||
		strings.Contains(base, "javascript") || strings.Contains(base, "xml") {
		return "application/octet-stream"
	}
	return t
}

func fileName(att models.Attachment) string {
	if att.FileName != "" {
		return att.FileName
	}
	if att.Kind == "photo" {
		return "photo-" + strconv.FormatUint(uint64(att.ID), 10) + ".jpg"
	}
	return "file-" + strconv.FormatUint(uint64(att.ID), 10)
}
