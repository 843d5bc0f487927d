package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	botapp "github.com/rectibot/rectibot/app"
	"github.com/rectibot/rectibot/bot"
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

// serve runs the bot built by botapp.New, the same wiring the sandbox runs.
func serve(ctx context.Context, a *app) error {
	tg := a.cfg.Telegram
	running, err := botapp.New(ctx, botapp.Options{
		Store: a.store, Database: a.cfg.Database,
		Telegram: botapp.Telegram{Token: tg.Token, APIURL: tg.APIURL, WebhookURL: tg.WebhookURL, WebhookSecret: tg.WebhookSecret},
		HTTPAddr: a.cfg.HTTPAddr, RedisURL: a.cfg.RedisURL, Admins: a.cfg.Admins, Light: a.cfg.Light,
		Schedule: a.cfg.Schedule, Zone: a.cfg.TimeZone, Clock: a.clock, Log: a.log, JobRescueAfter: a.cfg.JobRescueAfter,
		Inbox: bot.InboxOptions{Lease: a.cfg.InboxLease},
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
