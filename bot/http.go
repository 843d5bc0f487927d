package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// WebhookPath is where Telegram posts updates in webhook mode.
const WebhookPath = "/telegram/webhook"

// HTTPTimeouts bound how long a client may hold a connection of the bot's
// HTTP servers: without them a client sending a byte a second keeps one
// open for ever. Zero fields take DefaultHTTPTimeouts'.
type HTTPTimeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultHTTPTimeouts suit Telegram's webhook posts (an update is answered
// once stored, in milliseconds) and a Prometheus scrape (the state queries
// give up after stateTimeout).
var DefaultHTTPTimeouts = HTTPTimeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second,
	Write: 60 * time.Second, Idle: 2 * time.Minute}

func (b *Bot) newServer(h http.Handler) *http.Server {
	t, d := b.opts.HTTPTimeouts, DefaultHTTPTimeouts
	return &http.Server{Handler: h, ReadHeaderTimeout: cmp.Or(t.ReadHeader, d.ReadHeader),
		ReadTimeout: cmp.Or(t.Read, d.Read), WriteTimeout: cmp.Or(t.Write, d.Write), IdleTimeout: cmp.Or(t.Idle, d.Idle)}
}

// HTTPHandler serves the main listener: /healthz (the process is up) and
// the webhook, and, unless MetricsAddr gives them a listener of their own,
// /readyz (the database and Redis answer) and /metrics (Prometheus).
func (b *Bot) HTTPHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	if b.opts.MetricsAddr == "" {
		b.monitoring(mux)
	}
	b.mu.Lock()
	in, mounts := b.inbox, b.mounts
	b.mu.Unlock()
	if b.opts.WebhookURL != "" || b.opts.WebhookSecret != "" {
		mux.Handle(WebhookPath, NewWebhookHandler(b.opts.WebhookSecret, in, redactingLog(b.log, b.token)))
	}
	for pattern, h := range mounts {
		mux.Handle(pattern, h)
	}
	return mux
}

// Mount serves h under pattern on the main listener (the Mini App at
// /app/), beside the webhook; call it before Serve.
func (b *Bot) Mount(pattern string, h http.Handler) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mounts == nil {
		b.mounts = map[string]http.Handler{}
	}
	b.mounts[pattern] = h
}

// MetricsHandler serves the metrics listener: /metrics, /readyz and
// /healthz, for the monitoring only.
func (b *Bot) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	b.monitoring(mux)
	return mux
}

func (b *Bot) monitoring(mux *http.ServeMux) {
	mux.HandleFunc("GET /readyz", b.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(b.metrics.Registry, promhttp.HandlerOpts{}))
}

func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// Listen opens the HTTP listeners (the main one and, with MetricsAddr, the
// metrics one), so a busy address is found before anything else starts;
// Serve calls it if it was not called. When the metrics address is busy
// the main listener is closed again.
func (b *Bot) Listen() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", b.opts.HTTPAddr)
	if err != nil {
		return fmt.Errorf("http listener on %s (RECTIBOT_HTTP_ADDR): %w", b.opts.HTTPAddr, err)
	}
	if b.opts.MetricsAddr != "" {
		mln, err := net.Listen("tcp", b.opts.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("metrics listener on %s (RECTIBOT_METRICS_ADDR): %w", b.opts.MetricsAddr, err)
		}
		b.mln = mln
	}
	b.ln = ln
	return nil
}

// Addr is the main HTTP listener's address once listening (tests listen
// on port 0).
func (b *Bot) Addr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return addrOf(b.ln)
}

// MetricsAddr is the metrics listener's address once listening; "" when
// the metrics are on the main listener.
func (b *Bot) MetricsAddr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return addrOf(b.mln)
}

func addrOf(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return ln.Addr().String()
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
