package main

import (
	"errors"
	"log/slog"
	"net"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/sandbox"
)

// realToken is the shape of a token BotFather issues: the bot's id, a
// colon, 35 characters of secret.
var realToken = regexp.MustCompile(`^[0-9]{5,}:[A-Za-z0-9_-]{35}$`)

func newSandboxCommand(a *app) *cobra.Command {
	var addr, data string
	var ignoreToken bool
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Try the bot in a browser, without Telegram: an emulator, the Dongguan case and six personas",
		Long: `Starts the whole bot in one process — a Telegram Bot API emulator, the real bot
pointed at it, an SQLite ledger seeded with the Dongguan case re-dated around
today, and a clock you move by hand — and serves a page at --addr where you act
as the office admin, two leaders and three officers. Nothing goes to the internet.`,
		Args: usageArgs(0),
		// The sandbox reads none of the bot's configuration (no database,
		// token or schedule from the environment), so a newcomer's shell
		// cannot stop it with a setting meant for a real installation.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.out = cmd.OutOrStdout()
			a.log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			// A real token next to a sandbox is a mistake waiting: the
			// sandbox would never use it, but whoever set it may think the
			// page drives their real bot.
			if !ignoreToken && realToken.MatchString(strings.TrimSpace(a.getenv("TELEGRAM_BOT_TOKEN"))) {
				return withCode(exitConfig, errors.New("TELEGRAM_BOT_TOKEN holds a real-looking bot token; "+
					"the sandbox never talks to Telegram, so it refuses to start next to one: "+
					"unset TELEGRAM_BOT_TOKEN, or pass --ignore-token"))
			}
			if host, _, err := net.SplitHostPort(addr); err != nil {
				return withCode(exitUsage, errors.New("--addr: expected host:port such as 127.0.0.1:8090"))
			} else if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				a.log.Warn("the sandbox has no login: anyone who reaches this address acts as every persona", slog.String("addr", addr))
			}
			sb, err := sandbox.New(cmd.Context(), sandbox.Options{Addr: addr, DataDir: data, Log: a.log, Out: a.out})
			if err != nil {
				return err
			}
			return sb.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&addr, "addr", sandbox.DefaultAddr, "where to serve the page (loopback by default: the page has no login)")
	cmd.Flags().StringVar(&data, "data", "", "keep the ledger in this folder and reuse it next time (default: a temporary folder)")
	cmd.Flags().BoolVar(&ignoreToken, "ignore-token", false, "start even though TELEGRAM_BOT_TOKEN holds a real-looking token")
	return cmd
}
