package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/spf13/cobra"

	botapp "github.com/rectibot/rectibot/app"
	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/notice"
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
			// The office's layout for /notice's documents, checked before
			// the bot starts: a bad file is a configuration error.
			layout, err := configuredTemplate(a.cfg.DOCXTemplate)
			if err != nil {
				return err
			}
			if layout != nil {
				a.log.InfoContext(cmd.Context(), "documents take the office's layout", slog.String("template", a.cfg.DOCXTemplate))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			return serve(cmd.Context(), a, layout)
		},
	}
}

// serve runs the bot built by botapp.New, the same wiring the sandbox runs;
// its documents take the layout (nil: the built-in one).
func serve(ctx context.Context, a *app, layout *notice.Template) error {
	tg := a.cfg.Telegram
	running, err := botapp.New(ctx, botapp.Options{
		Store: a.store, Database: a.cfg.Database,
		Telegram: botapp.Telegram{Token: tg.Token, APIURL: tg.APIURL, WebhookURL: tg.WebhookURL, WebhookSecret: tg.WebhookSecret},
		HTTPAddr: a.cfg.HTTPAddr, MetricsAddr: a.cfg.MetricsAddr, RedisURL: a.cfg.RedisURL, RedisPrefix: a.cfg.RedisPrefix, Admins: a.cfg.Admins, Light: a.cfg.Light,
		Schedule: a.cfg.Schedule, Zone: a.cfg.TimeZone, Clock: a.clock, Log: a.log, JobRescueAfter: a.cfg.JobRescueAfter,
		Inbox: bot.InboxOptions{Lease: a.cfg.InboxLease}, DOCXTemplate: layout,
		MiniApp: botapp.MiniApp{URL: a.cfg.MiniApp.URL, MaxAge: a.cfg.MiniApp.MaxAge},
	})
	switch {
	case errors.Is(err, botapp.ErrTokenRefused):
		return withCode(exitConfig, err)
	case err != nil:
		return err
	}
	defer running.Close()
	return running.Serve(ctx)
}
