package miniapp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// EvidenceSender sends one evidence file to the person's private chat with
// the bot, through the bot's own path: the same permission as the chat's
// 佐证材料 button, the same delivery record. Phones' webviews often drop
// a download; in the chat the file opens in Telegram's own viewer.
type EvidenceSender interface {
	SendEvidence(ctx context.Context, telegramUserID int64, attachmentID uint) error
}

// sendEvidence is POST evidence/{id}/send: the file goes to the signer's
// chat, never to anyone the request names.
func (s *Server) sendEvidence(w http.ResponseWriter, r *http.Request, c *caller) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	err := s.d.Send.SendEvidence(r.Context(), c.telegramID, id)
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	case errors.Is(err, ledger.ErrDenied), errors.Is(err, models.ErrNotFound):
		writeError(w, http.StatusForbidden, "forbidden")
	case errors.Is(err, outbound.ErrUnreachable):
		// They blocked the bot (or never pressed Start in its chat).
		writeError(w, http.StatusConflict, "blocked")
	case errors.Is(err, outbound.ErrRejected):
		// Telegram no longer holds the file.
		writeError(w, http.StatusNotFound, "file_gone")
	default:
		s.d.Log.WarnContext(r.Context(), "miniapp: send evidence", slog.Uint64("attachment", uint64(id)), slog.Any("err", err))
		writeError(w, http.StatusServiceUnavailable, "try_later")
	}
}
