package bot

import (
	"context"
	"crypto/subtle"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// WebhookHandler is written here rather than taken from the library: the
// library answers 200 before the update is safe and even when the secret is
// wrong. This one answers 401 on a wrong X-Telegram-Bot-Api-Secret-Token,
// 200 as soon as the update is stored in the inbox (milliseconds: handling
// comes after, so no chat's wait holds one of Telegram's connections), and
// 503 when it could not be stored, so Telegram sends it again.
type WebhookHandler struct {
	secret string
	inbox  *Inbox
	log    *slog.Logger
}

// NewWebhookHandler returns the handler for the webhook path.
func NewWebhookHandler(secret string, in *Inbox, log *slog.Logger) *WebhookHandler {
	return &WebhookHandler{secret: secret, inbox: in, log: log}
}

// maxUpdateBytes bounds a request body: an update is a few kilobytes.
const maxUpdateBytes = 1 << 20

// ServeHTTP implements http.Handler.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if subtle.ConstantTimeCompare([]byte(got), []byte(h.secret)) != 1 {
		h.log.WarnContext(r.Context(), "webhook call with a wrong secret token", slog.String("remote", r.RemoteAddr))
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes+1))
	if err != nil || len(body) > maxUpdateBytes {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	u, err := decodeUpdate(body)
	if err != nil {
		// Not an update: Telegram never sends such a body, so whoever did
		// is told and nothing is stored.
		http.Error(w, "not a Telegram update", http.StatusBadRequest)
		return
	}
	// Stored even if Telegram hangs up first: a resend is then a duplicate
	// the inbox's primary key skips.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	if err := h.inbox.Take(ctx, []incoming{u}); err != nil {
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
