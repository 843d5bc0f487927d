package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-telegram/bot/models"
)

// WebhookHandler is written here rather than taken from the library: the
// library answers 200 before handling and even when the secret is wrong. This
// one answers 401 on a wrong X-Telegram-Bot-Api-Secret-Token, 200 once the
// update is handled, and 503 when it could not be, so Telegram sends it again.
type WebhookHandler struct {
	secret     string
	dispatcher *Dispatcher
	log        *slog.Logger
	// timeout stays under Telegram's ~60 s, after which it resends anyway.
	timeout time.Duration
}

// NewWebhookHandler returns the handler for the webhook path.
func NewWebhookHandler(secret string, d *Dispatcher, log *slog.Logger) *WebhookHandler {
	return &WebhookHandler{secret: secret, dispatcher: d, log: log, timeout: 50 * time.Second}
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
	var upd models.Update
	if err := json.Unmarshal(body, &upd); err != nil || upd.ID == 0 {
		// Not an update: answering 4xx would make Telegram retry it forever
		// only if it were one; it is not, so say so and drop it.
		http.Error(w, "not a Telegram update", http.StatusBadRequest)
		return
	}
	// The update is handled even if Telegram hangs up first: it will resend
	// and the deduper will skip it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), h.timeout)
	defer cancel()
	if err := h.dispatcher.Dispatch(ctx, &upd); err != nil {
		status := http.StatusServiceUnavailable
		if !errors.Is(err, ErrRetryLater) {
			status = http.StatusInternalServerError
		}
		http.Error(w, "try again", status)
		return
	}
	w.WriteHeader(http.StatusOK)
}
