// Package app is the one wiring of the running bot: the state shared by
// replicas (Redis or the process), the Telegram edge with its inbox, the
// conversations, and the scheduler. `rectibot serve`, `rectibot sandbox`
// and the process tests all build the bot here, so the demo runs the
// production path.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/handlers"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/ratelimit"
	"github.com/rectibot/rectibot/schedule"
	"github.com/rectibot/rectibot/scheduler"
)

// Telegram is the bot's connection to the Bot API.
type Telegram struct {
	Token         string
	APIURL        string
	WebhookURL    string // "" = long polling
	WebhookSecret string
}

// Options are everything the running bot is built from; main fills them
// from the validated configuration, the sandbox from its own world.
type Options struct {
	Store    *models.Store // migrated, the scheduler's tables included
	Database dburl.Location
	Telegram Telegram
	HTTPAddr string // health and the webhook, and readiness and metrics unless MetricsAddr
	// MetricsAddr serves /metrics, /readyz and /healthz on a listener of
	// their own ("": on HTTPAddr).
	MetricsAddr string
	// RedisURL shares dialogue state and rate limits between replicas; ""
	// keeps them in the process. RedisPrefix namespaces the keys.
	RedisURL    string
	RedisPrefix string
	Admins      []int64
	Light       ledger.LightThresholds
	Schedule    schedule.Settings
	Zone        *time.Location
	Clock       clock.Clock
	Log         *slog.Logger
	// Limits are the sender's rate limits; zero is Telegram's.
	Limits ratelimit.Limits
	Inbox  bot.InboxOptions
	// Scheduler adjusts River (the sandbox gives it its clock).
	Scheduler      []scheduler.Option
	JobRescueAfter time.Duration
	// DOCXTemplate is the layout of the documents /notice sends, loaded
	// and checked at start; nil is the built-in one.
	DOCXTemplate *notice.Template
	MiniApp      MiniApp
}

// MiniApp is the dashboard in Telegram, served at /app/ on HTTPAddr.
type MiniApp struct {
	URL    string        // its public https address ("": no buttons for it)
	MaxAge time.Duration // of initData; 0 is miniapp.DefaultMaxAge
}

// ErrTokenRefused is New's error when Telegram does not accept the token:
// a configuration problem, unlike Telegram being out of reach.
var ErrTokenRefused = errors.New("TELEGRAM_BOT_TOKEN: Telegram does not accept this token")

// App is the bot, built and ready to serve.
type App struct {
	Bot        *bot.Bot
	Handler    *handlers.Handler
	Dispatcher *bot.Dispatcher
	Inbox      *bot.Inbox
	Scheduler  *scheduler.Service
	Username   string
	log        *slog.Logger
	closeEdge  func()
}

// New builds the bot: it asks Telegram who the bot is, publishes the
// command menus of the scopes (Serve sets each person's) and installs the
// scheduler's planner on the store. It takes no update until Serve.
func New(ctx context.Context, o Options) (*App, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	if o.Limits == (ratelimit.Limits{}) {
		o.Limits = ratelimit.TelegramLimits
	}
	e, err := newEdge(o)
	if err != nil {
		return nil, err
	}
	a := &App{log: o.Log, closeEdge: e.close}
	defer func() {
		if a.Bot == nil || a.Scheduler == nil {
			e.close()
		}
	}()
	b, err := bot.New(bot.Options{
		Token: o.Telegram.Token, APIURL: o.Telegram.APIURL, WebhookURL: o.Telegram.WebhookURL, WebhookSecret: o.Telegram.WebhookSecret,
		HTTPAddr: o.HTTPAddr, Store: o.Store, Limiter: e.limiter, Inbox: o.Store, InboxOptions: o.Inbox, Clock: o.Clock,
		MetricsAddr: o.MetricsAddr, Ready: e.ready, State: stateSource(o.Store, o.Database.Dialect, o.Clock), Log: o.Log,
	})
	if err != nil {
		return nil, err
	}
	if a.Username, err = b.Me(ctx); err != nil {
		if errors.Is(err, bot.ErrUnauthorized) {
			return nil, ErrTokenRefused
		}
		return nil, fmt.Errorf("reach Telegram: %w", err)
	}
	o.Log.InfoContext(ctx, "connected to Telegram", slog.String("bot", "@"+a.Username))
	a.Handler = handlers.New(handlers.Deps{
		Store: o.Store, Out: b.Sender(), Sessions: e.sessions, Clock: o.Clock, Admins: o.Admins,
		BotUsername: b.Username, Light: o.Light, Calendar: o.Schedule.Calendar, Menus: b, Log: o.Log,
		Guesses: handlers.NewKeyThrottle(5, 2*time.Minute, o.Clock.Now), DOCXTemplate: o.DOCXTemplate,
		MiniAppURL: o.MiniApp.URL,
	})
	a.Dispatcher, a.Inbox = b.Attach(a.Handler, a.Handler, a.Handler)
	if err := b.SetCommands(ctx, a.Handler.Menus()); err != nil {
		o.Log.WarnContext(ctx, "command menus not set", slog.Any("err", err))
	}
	mountMiniApp(ctx, o, b, a.Handler)
	opts := o.Scheduler
	if o.JobRescueAfter > 0 {
		opts = append(opts, scheduler.WithRescueAfter(o.JobRescueAfter))
	}
	a.Scheduler, err = scheduler.New(scheduler.Config{
		Store: o.Store, Location: o.Database, Out: b.Sender(), Settings: o.Schedule, Clock: o.Clock,
		Zone: o.Zone, Light: o.Light, Admins: o.Admins, Log: o.Log, Options: opts,
	})
	if err != nil {
		return nil, err
	}
	a.Bot = b
	return a, nil
}

// Serve takes updates and runs the scheduler until ctx ends or the HTTP
// listener fails; then updates stop first and the jobs in hand finish.
func (a *App) Serve(ctx context.Context) error {
	// A busy address is the likeliest failure: find it before the
	// scheduler starts.
	if err := a.Bot.Listen(); err != nil {
		return err
	}
	// Start plans every task and catches up a missed digest in the
	// background: updates are taken at once. Not ctx: cancelling the
	// context River was started with is its hard stop, which would cancel
	// the jobs in hand before Stop waits for them.
	if err := a.Scheduler.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	// Every linked person's menu, by role: three calls each, so beside
	// taking updates rather than before. Done before Serve returns.
	menus := make(chan struct{})
	go func() {
		defer close(menus)
		if err := a.Handler.PersonMenus(ctx); err != nil {
			a.log.WarnContext(ctx, "personal command menus not set", slog.Any("err", err))
		}
	}()
	serveErr := a.Bot.Serve(ctx)
	<-menus
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := a.Scheduler.Stop(stop); err != nil {
		a.log.WarnContext(ctx, "scheduler stop", slog.Any("err", err))
	}
	return serveErr
}

// Close lets go of Redis; the store is the caller's.
func (a *App) Close() { a.closeEdge() }
