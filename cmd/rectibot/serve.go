package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/handlers"
	"github.com/rectibot/rectibot/ratelimit"
	"github.com/rectibot/rectibot/scheduler"
	"github.com/rectibot/rectibot/session"
)

func newServeCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the Telegram bot (long polling, or the webhook when RECTIBOT_WEBHOOK_URL is set)",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.cfg.RequireTelegram(); err != nil {
				return withCode(exitConfig, err)
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			return serve(cmd.Context(), a)
		},
	}
}

// edge is the state shared by replicas: Redis when configured, the process
// otherwise.
type edge struct {
	sessions session.Store
	limiter  bot.Limiter
	dedupe   bot.Deduper
	ready    map[string]func(context.Context) error
	close    func()
}

func newEdge(a *app) (edge, error) {
	db := a.store.DB()
	e := edge{ready: map[string]func(context.Context) error{
		"database": func(ctx context.Context) error {
			sqlDB, err := db.DB()
			if err != nil {
				return err
			}
			return sqlDB.PingContext(ctx)
		},
	}, close: func() {}}
	if a.cfg.RedisURL == "" {
		e.sessions = session.NewMemory(a.clock, session.DefaultTTL)
		e.limiter = ratelimit.NewLocal(ratelimit.TelegramLimits)
		e.dedupe = bot.NewMemoryDeduper(a.clock)
		return e, nil
	}
	opts, err := redis.ParseURL(a.cfg.RedisURL)
	if err != nil {
		return e, withCode(exitConfig, fmt.Errorf("REDIS_URL: %w", err))
	}
	// Fail fast when Redis is away: commands that need no dialogue go on,
	// dialogues say "try again later" (go-redis retries a dial 5 times by default).
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = time.Second, 2*time.Second, 2*time.Second
	opts.DialerRetries = 1
	rdb := redis.NewClient(opts)
	const prefix = "rectibot:"
	e.sessions = session.NewRedis(rdb, prefix, session.DefaultTTL)
	// Shared limits across replicas; if Redis fails, each replica throttles
	// itself rather than stopping.
	e.limiter = ratelimit.NewFallback(ratelimit.NewRedis(rdb, prefix, ratelimit.TelegramLimits), ratelimit.NewLocal(ratelimit.TelegramLimits))
	e.dedupe = bot.NewRedisDeduper(rdb, prefix)
	e.ready["redis"] = func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
	e.close = func() { _ = rdb.Close() }
	return e, nil
}

func serve(ctx context.Context, a *app) error {
	e, err := newEdge(a)
	if err != nil {
		return err
	}
	defer e.close()
	tg := a.cfg.Telegram
	b, err := bot.New(bot.Options{
		Token: tg.Token, APIURL: tg.APIURL, WebhookURL: tg.WebhookURL, WebhookSecret: tg.WebhookSecret,
		HTTPAddr: a.cfg.HTTPAddr, Store: a.store, Limiter: e.limiter, Dedupe: e.dedupe, Ready: e.ready, Log: a.log,
	})
	if err != nil {
		return err
	}
	username, err := b.Me(ctx)
	if err != nil {
		return withCode(exitConfig, err)
	}
	a.log.InfoContext(ctx, "connected to Telegram", slog.String("bot", "@"+username))
	h := handlers.New(handlers.Deps{
		Store: a.store, Out: b.Sender(), Sessions: e.sessions, Clock: a.clock, Admins: a.cfg.Admins,
		BotUsername: b.Username, Light: a.cfg.Light, Log: a.log,
		Guesses: handlers.NewKeyThrottle(5, 2*time.Minute, a.clock.Now),
	})
	b.Attach(h, h, e.dedupe)
	if err := b.SetCommands(ctx, h.Menus()); err != nil {
		a.log.WarnContext(ctx, "command menus not set", slog.Any("err", err))
	}
	var opts []scheduler.Option
	if a.cfg.JobRescueAfter > 0 {
		opts = append(opts, scheduler.WithRescueAfter(a.cfg.JobRescueAfter))
	}
	sched, err := scheduler.New(scheduler.Config{
		Store: a.store, Location: a.cfg.Database, Out: b.Sender(), Settings: a.cfg.Schedule, Clock: a.clock,
		Zone: a.cfg.TimeZone, Light: a.cfg.Light, Admins: a.cfg.Admins, Log: a.log, Options: opts,
	})
	if err != nil {
		return err
	}
	if err := sched.Reconcile(ctx); err != nil {
		return err
	}
	// Not ctx: cancelling the context River was started with is its hard
	// stop, which would cancel the jobs in hand before Stop waits for them.
	if err := sched.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	serveErr := b.Serve(ctx)
	// Updates stopped first; then the jobs in hand finish.
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := sched.Stop(stop); err != nil {
		a.log.WarnContext(ctx, "scheduler stop", slog.Any("err", err))
	}
	return serveErr
}
