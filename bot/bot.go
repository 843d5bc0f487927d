package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Options wire a Bot.
type Options struct {
	Token         string
	APIURL        string // Bot API base URL
	WebhookURL    string // "" = long polling
	WebhookSecret string
	HTTPAddr      string // health, readiness, metrics, webhook
	Store         deliveryStore
	Limiter       Limiter
	Dedupe        Deduper
	// Ready are the readiness checks (database, Redis) behind /readyz.
	Ready       map[string]func(context.Context) error
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
	b := &Bot{opts: opts, api: api, token: opts.Token, log: opts.Log, metrics: m}
	b.sender = NewSender(api, opts.Limiter, opts.Store, m, redactingLog(opts.Log, opts.Token))
	return b, nil
}

// Sender is the one sender of this bot.
func (b *Bot) Sender() *Sender { return b.sender }

// Metrics exposes the registry (tests read counters from it).
func (b *Bot) Metrics() *Metrics { return b.metrics }

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
			return "", errors.New("TELEGRAM_BOT_TOKEN: Telegram does not accept this token")
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

// Attach sets the conversations that handle updates and returns the
// dispatcher (tests hand updates to it directly).
func (b *Bot) Attach(h UpdateHandler, apology PanicReporter, dedupe Deduper) *Dispatcher {
	d := NewDispatcher(h, apology, dedupe, b.metrics, redactingLog(b.log, b.token))
	b.mu.Lock()
	b.dispatcher = d
	b.mu.Unlock()
	return d
}

// Serve runs the bot until ctx ends: the HTTP endpoints, and long polling or
// the webhook. On the way out it stops taking updates, finishes those in
// hand, and returns.
func (b *Bot) Serve(ctx context.Context) error {
	b.mu.Lock()
	d := b.dispatcher
	b.mu.Unlock()
	if d == nil {
		return errors.New("serve: no handler attached")
	}
	srv := &http.Server{Addr: b.opts.HTTPAddr, Handler: b.HTTPHandler(), ReadHeaderTimeout: 10 * time.Second}
	httpErr := make(chan error, 1)
	go func() { httpErr <- srv.ListenAndServe() }()

	var pollDone chan struct{}
	if b.opts.WebhookURL != "" {
		if _, err := b.api.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: b.opts.WebhookURL, SecretToken: b.opts.WebhookSecret,
			AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember}}); err != nil {
			_ = srv.Close()
			return fmt.Errorf("setWebhook: %w", redact(err, b.token))
		}
		b.log.InfoContext(ctx, "webhook mode", slog.String("listen", b.opts.HTTPAddr))
	} else {
		if _, err := b.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
			b.log.WarnContext(ctx, "deleteWebhook failed", slog.Any("err", redact(err, b.token)))
		}
		pollDone = make(chan struct{})
		p := NewPoller(b.opts.APIURL, b.token, d, redactingLog(b.log, b.token), b.opts.PollTimeout)
		go func() { _ = p.Run(ctx); close(pollDone) }()
		b.log.InfoContext(ctx, "long polling", slog.String("listen", b.opts.HTTPAddr))
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-httpErr:
		err = fmt.Errorf("http listener: %w", err)
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
	defer cancel()
	if pollDone != nil {
		<-pollDone
	}
	_ = srv.Shutdown(shutdown) // waits for webhook requests in flight
	d.Wait()
	b.log.Info("stopped")
	return err
}
