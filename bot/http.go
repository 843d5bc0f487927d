package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// WebhookPath is where Telegram posts updates in webhook mode.
const WebhookPath = "/telegram/webhook"

// HTTPHandler serves /healthz (the process is up), /readyz (the database
// and Redis answer), /metrics (Prometheus) and the webhook.
func (b *Bot) HTTPHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", b.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(b.metrics.Registry, promhttp.HandlerOpts{}))
	if b.opts.WebhookURL != "" || b.opts.WebhookSecret != "" {
		b.mu.Lock()
		in := b.inbox
		b.mu.Unlock()
		mux.Handle(WebhookPath, NewWebhookHandler(b.opts.WebhookSecret, in, redactingLog(b.log, b.token)))
	}
	return mux
}

func (b *Bot) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status := map[string]string{}
	ok := true
	names := make([]string, 0, len(b.opts.Ready))
	for name := range b.opts.Ready {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := b.opts.Ready[name](ctx); err != nil {
			ok = false
			status[name] = "unreachable"
			b.log.WarnContext(ctx, "not ready", slog.String("check", name), slog.Any("err", err))
			continue
		}
		status[name] = "ok"
	}
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(status)
}

// redactingLog wraps a logger so that the bot token never reaches the log,
// whatever error text carries it.
func redactingLog(l *slog.Logger, token string) *slog.Logger {
	if token == "" {
		return l
	}
	return slog.New(redactHandler{Handler: l.Handler(), token: token})
}

type redactHandler struct {
	slog.Handler
	token string
}

func (h redactHandler) Handle(ctx context.Context, r slog.Record) error {
	clean := slog.NewRecord(r.Time, r.Level, strings.ReplaceAll(r.Message, h.token, "<token>"), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		clean.AddAttrs(h.redactAttr(a))
		return true
	})
	return h.Handler.Handle(ctx, clean)
}

func (h redactHandler) redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, strings.ReplaceAll(v.String(), h.token, "<token>"))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.Any(a.Key, redact(err, h.token))
		}
	}
	return a
}

func (h redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.redactAttr(a)
	}
	return redactHandler{Handler: h.Handler.WithAttrs(clean), token: h.token}
}

func (h redactHandler) WithGroup(name string) slog.Handler {
	return redactHandler{Handler: h.Handler.WithGroup(name), token: h.token}
}
