package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/rectibot/rectibot/clock"
)

// Options wire a Bot.
type Options struct {
	Token         string
	APIURL        string // Bot API base URL
	WebhookURL    string // "" = long polling
	WebhookSecret string
	HTTPAddr      string // health and webhook, and readiness and metrics unless MetricsAddr
	// MetricsAddr is a listener of its own for /metrics, /readyz and
	// /healthz ("": they are on HTTPAddr).
	MetricsAddr  string
	HTTPTimeouts HTTPTimeouts // zero: DefaultHTTPTimeouts
	Store        deliveryStore
	Limiter      Limiter
	// Inbox is where updates wait to be handled (the ledger's database).
	Inbox        InboxStore
	InboxOptions InboxOptions
	Clock        clock.Clock // leases, retries and floods are timed on it
	// Ready are the readiness checks (database, Redis) behind /readyz.
	Ready map[string]func(context.Context) error
	// State is read at each scrape of /metrics (nil: no state series).
	State       StateSource
	Log         *slog.Logger
	PollTimeout time.Duration // default 50 s
}

// Bot is the Telegram edge: the client, the sender, the dispatcher and the
// HTTP endpoints.
type Bot struct {
	opts    Options
	api     *tgbot.Bot
	token   string
	log     *slog.Logger
	metrics *Metrics
	sender  *Sender

	mu         sync.Mutex
	username   string
	dispatcher *Dispatcher
	inbox      *Inbox
	ln, mln    net.Listener // the main and the metrics listener
	mounts     map[string]http.Handler
}

// New builds the client without calling Telegram (getMe comes in Me).
func New(opts Options) (*Bot, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.PollTimeout == 0 {
		opts.PollTimeout = 50 * time.Second
	}
	api, err := tgbot.New(opts.Token, tgbot.WithServerURL(opts.APIURL), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(opts.PollTimeout, &http.Client{Timeout: 60 * time.Second}))
	if err != nil {
		return nil, redact(fmt.Errorf("telegram client: %w", err), opts.Token)
	}
	m := NewMetrics()
	m.Registry.MustRegister(newStateCollector(opts.State, opts.Ready, redactingLog(opts.Log, opts.Token)))
	b := &Bot{opts: opts, api: api, token: opts.Token, log: opts.Log, metrics: m}
	b.sender = NewSender(api, opts.Limiter, opts.Store, m, redactingLog(opts.Log, opts.Token))
	return b, nil
}

// Sender is the one sender of this bot.
func (b *Bot) Sender() *Sender { return b.sender }

// Metrics exposes the registry (tests read counters from it).
func (b *Bot) Metrics() *Metrics { return b.metrics }

// ErrUnauthorized is Me's error when Telegram does not accept the token.
var ErrUnauthorized = errors.New("telegram does not accept the bot token")

// Me asks Telegram who the bot is (its @username is needed for invite links
// and for commands addressed "/digest@bot" in groups), retrying while
// Telegram cannot be reached.
func (b *Bot) Me(ctx context.Context) (string, error) {
	var last error
	for attempt := range 5 {
		if attempt > 0 {
			if err := sleepCtx(ctx, time.Duration(attempt)*time.Second); err != nil {
				return "", err
			}
		}
		me, err := b.api.GetMe(ctx)
		if err == nil {
			b.mu.Lock()
			b.username = me.Username
			b.mu.Unlock()
			return me.Username, nil
		}
		last = redact(err, b.token)
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return "", ErrUnauthorized
		}
		b.log.WarnContext(ctx, "getMe failed", slog.Any("err", last))
	}
	return "", fmt.Errorf("getMe: %w", last)
}

// Username is the bot's @username once Me has run.
func (b *Bot) Username() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.username
}

// Attach sets the conversations that handle updates and builds the inbox
// they are handled from; it returns the dispatcher (tests hand updates to it
// directly) and the inbox.
func (b *Bot) Attach(h UpdateHandler, apology PanicReporter, notices Notices) (*Dispatcher, *Inbox) {
	log := redactingLog(b.log, b.token)
	d := NewDispatcher(h, apology, b.metrics, log)
	in := NewInbox(b.opts.Inbox, d, notices, b.opts.Clock, b.metrics, log, b.opts.InboxOptions)
	b.mu.Lock()
	b.dispatcher, b.inbox = d, in
	b.mu.Unlock()
	return d, in
}

// webhookMaxConnections is how many connections Telegram may open to the
// webhook at once (Telegram's default is 40, its maximum 100). An update is
// answered once stored, in milliseconds, so the maximum costs little and
// lets a burst in.
const webhookMaxConnections = 100

// Serve runs the bot until ctx ends: the HTTP endpoints, the inbox's
// workers, and long polling or the webhook. It returns at once with the
// cause when the HTTP listener cannot start. On the way out it stops taking
// updates, lets the chats in hand finish their update, and returns.
func (b *Bot) Serve(ctx context.Context) error {
	b.mu.Lock()
	in := b.inbox
	b.mu.Unlock()
	if in == nil {
		return errors.New("serve: no handler attached")
	}
	if err := b.Listen(); err != nil {
		return err
	}
	b.mu.Lock()
	ln, mln := b.ln, b.mln
	b.mu.Unlock()
	srv := b.newServer(b.HTTPHandler())
	httpErr := make(chan error, 2)
	go func() { httpErr <- srv.Serve(ln) }()
	// The metrics server is shut down last, so the drain can be watched.
	msrv := b.newServer(b.MetricsHandler())
	if mln != nil {
		go func() { httpErr <- fmt.Errorf("metrics: %w", msrv.Serve(mln)) }()
	}
	listening := []slog.Attr{slog.String("listen", ln.Addr().String())}
	if mln != nil {
		listening = append(listening, slog.String("metrics", mln.Addr().String()))
	}

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() { _ = in.Run(ctx) })
	if b.opts.WebhookURL != "" {
		if _, err := b.api.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: b.opts.WebhookURL, SecretToken: b.opts.WebhookSecret,
			MaxConnections: webhookMaxConnections, AllowedUpdates: allowedUpdates}); err != nil {
			// Told to stop while registering (SIGTERM at start): a stop,
			// not a failure.
			stopping := ctx.Err() != nil
			stop()
			_ = srv.Close()
			_ = msrv.Close()
			wg.Wait()
			if stopping {
				b.log.Info("stopped")
				return nil
			}
			return fmt.Errorf("setWebhook: %w", redact(err, b.token))
		}
		b.log.LogAttrs(ctx, slog.LevelInfo, "webhook mode", listening...)
	} else {
		if _, err := b.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
			b.log.WarnContext(ctx, "deleteWebhook failed", slog.Any("err", redact(err, b.token)))
		}
		p := NewPoller(b.opts.APIURL, b.token, in, redactingLog(b.log, b.token), b.opts.PollTimeout)
		wg.Go(func() { _ = p.Run(ctx) })
		b.log.LogAttrs(ctx, slog.LevelInfo, "long polling", listening...)
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-httpErr:
		err = fmt.Errorf("http listener: %w", err)
	}
	stop() // the poller and the inbox stop, whichever ended Serve
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown) // waits for webhook requests in flight
	wg.Wait()
	_ = msrv.Shutdown(shutdown) // a no-op without a metrics listener
	b.log.Info("stopped")
	return err
}
