package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/ledger"
)

func newPeopleCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "people",
		Short: "List departments, leaders, officers and whether each has linked Telegram",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			people, err := a.store.People(cmd.Context())
			if err != nil {
				return err
			}
			if len(people) == 0 {
				fmt.Fprintln(a.out, "no people yet: import a plan, or add one with `rectibot people add`")
				return nil
			}
			tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLES\tDEPARTMENT\tLEADS\tTELEGRAM")
			linked := 0
			for _, p := range people {
				tg := "not linked"
				switch {
				case p.UnreachableAt != nil:
					tg = "blocked the bot " + p.UnreachableAt.Format("2006-01-02")
				case p.TelegramLinked:
					tg = "linked"
				}
				if p.TelegramLinked {
					linked++
				}
				leads := strings.Join(p.Leads, ", ")
				if p.SeesAll {
					leads = "all departments"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, roleNames(p.Roles), dash(p.Department), dash(leads), tg)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%d people, %d linked to Telegram\n", len(people), linked)
			return nil
		},
	}
	cmd.AddCommand(newPeopleAddCommand(a))
	return cmd
}

func newPeopleAddCommand(a *app) *cobra.Command {
	var department, role string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a person no import names (an admin, a viewer)",
		Args:  usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := ledger.ParseRole(role)
			if err != nil {
				return withCode(exitUsage, fmt.Errorf("--role: %w", err))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			p, err := a.store.AddPerson(cmd.Context(), args[0], department, r, cliActor)
			if err != nil {
				return withCode(exitBadInput, err)
			}
			fmt.Fprintf(a.out, "added %s (%s); invite them with: rectibot invite --person %q --role %s\n", p.Name, r, p.Name, r)
			return nil
		},
	}
	cmd.Flags().StringVar(&department, "department", "", "their department (责任科室)")
	cmd.Flags().StringVar(&role, "role", string(ledger.RoleViewer), "admin, leader, officer or viewer")
	return cmd
}

func roleNames(roles []string) string {
	if len(roles) == 0 {
		return "-"
	}
	return strings.Join(roles, ",")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
