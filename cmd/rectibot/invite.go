package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

var cliActor = models.CLIActor

func newInviteCommand(a *app) *cobra.Command {
	var person, unit, role, username string
	var ttl time.Duration
	cmd := &cobra.Command{
		Use:   "invite --person NAME [--unit UNIT] --role officer|leader|admin|viewer|supervisor",
		Short: "Create a single-use, expiring invite link that links a Telegram account to a person",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if person == "" {
				return withCode(exitUsage, errors.New("--person is required"))
			}
			r, err := ledger.ParseRole(role)
			if err != nil {
				return withCode(exitUsage, fmt.Errorf("--role: %w", err))
			}
			if username == "" {
				username = a.cfg.BotUsername
			}
			if username == "" {
				return withCode(exitConfig, errors.New("RECTIBOT_BOT_USERNAME (or --bot-username) is needed to make the t.me link"))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			code, inv, err := a.store.CreateInvite(cmd.Context(), models.PersonRef{Name: person, Unit: unit}, r, ttl, cliActor)
			if err != nil {
				return withCode(exitBadInput, err)
			}
			fmt.Fprintf(a.out, "https://t.me/%s?start=%s\n", username, code)
			fmt.Fprintf(a.out, "for %s as %s, single use, valid until %s\n", person, r,
				inv.ExpiresAt.In(a.cfg.TimeZone).Format("2006-01-02 15:04 MST"))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&person, "person", "", "the person's name, as `rectibot people` lists it")
	fl.StringVar(&unit, "unit", "", "the person's unit (full or short name), where two units have someone of that name")
	fl.StringVar(&role, "role", "", "admin, leader, officer or viewer")
	fl.DurationVar(&ttl, "ttl", 72*time.Hour, "how long the link stays valid")
	fl.StringVar(&username, "bot-username", "", "the bot's @username (default: RECTIBOT_BOT_USERNAME)")
	return cmd
}
