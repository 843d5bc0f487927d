package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func newPeopleCommand(a *app) *cobra.Command {
	var unit string
	cmd := &cobra.Command{
		Use:   "people [--unit UNIT]",
		Short: "List departments, leaders, officers and whether each has linked Telegram",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			var f models.PeopleFilter
			if unit != "" {
				u, err := findUnit(cmd.Context(), a, unit)
				if err != nil {
					return err
				}
				f.UnitID = u.ID
			}
			people, err := a.store.PeopleBy(cmd.Context(), f)
			if err != nil {
				return err
			}
			if len(people) == 0 {
				fmt.Fprintln(a.out, "no people yet: import a plan, or add one with `rectibot people add`")
				return nil
			}
			tw := newTable(a.out)
			fmt.Fprintln(tw, "UNIT\tNAME\tROLES\tDEPARTMENT\tLEADS\tTELEGRAM")
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
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", dash(p.Unit), p.Name, roleNames(p.Roles), dash(p.Department), dash(leads), tg)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%d people, %d linked to Telegram\n", len(people), linked)
			return nil
		},
	}
	cmd.Flags().StringVar(&unit, "unit", "", "only the people of this unit (its full or short name)")
	cmd.AddCommand(newPeopleAddCommand(a), newPeopleSuperviseCommand(a))
	return cmd
}

func newPeopleAddCommand(a *app) *cobra.Command {
	var department, unit, role string
	var supervises []string
	cmd := &cobra.Command{
		Use:   "add NAME [--unit UNIT] [--department DEPT] [--role ROLE] [--supervises U1,U2]",
		Short: "Add a person no import names (an admin, a viewer, a supervisor)",
		Args:  usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := ledger.ParseRole(role)
			if err != nil {
				return withCode(exitUsage, fmt.Errorf("--role: %w", err))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			if len(supervises) > 0 && r != ledger.RoleSupervisor {
				return withCode(exitUsage, errors.New("--supervises is for --role supervisor"))
			}
			np := models.NewPerson{Name: args[0], Department: department, Unit: unit, Role: r, Supervises: supervises}
			p, err := a.store.AddPerson(cmd.Context(), np, cliActor)
			var noUnit *models.UnitNotFoundError
			switch {
			case errors.As(err, &noUnit):
				return withCode(exitBadInput, fmt.Errorf("%w; the units are %s", err, unitList(cmd.Context(), a)))
			case errors.Is(err, models.ErrUnitRequired):
				return withCode(exitBadInput, fmt.Errorf("%w; the units are %s", err, unitList(cmd.Context(), a)))
			case err != nil:
				return withCode(exitBadInput, err)
			}
			if len(supervises) > 0 {
				fmt.Fprintf(a.out, "%s supervises %s\n", p.Name, strings.Join(supervises, ", "))
			}
			hint := fmt.Sprintf("rectibot invite --person %q --role %s", p.Name, r)
			if unit != "" {
				hint = fmt.Sprintf("rectibot invite --person %q --unit %q --role %s", p.Name, unit, r)
			}
			fmt.Fprintf(a.out, "added %s (%s); invite them with: %s\n", p.Name, r, hint)
			return nil
		},
	}
	cmd.Flags().StringVar(&department, "department", "", "their department (责任科室)")
	cmd.Flags().StringVar(&unit, "unit", "", "their unit (full or short name); none: above the units for an admin or supervisor, else the only unit")
	cmd.Flags().StringVar(&role, "role", string(ledger.RoleViewer), "admin, supervisor, leader, officer or viewer")
	cmd.Flags().StringSliceVar(&supervises, "supervises", nil, "a supervisor's units (full or short names, comma-separated); none: every unit")
	return cmd
}

func newPeopleSuperviseCommand(a *app) *cobra.Command {
	var units []string
	cmd := &cobra.Command{
		Use:   "supervise NAME [--units U1,U2]",
		Short: "Set the units a supervisor (巡察办/巡察组) reads; no --units: every unit",
		Args:  usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			names, err := a.store.SetSupervisedUnits(cmd.Context(), models.PersonRef{Name: args[0]}, units, cliActor)
			var noUnit *models.UnitNotFoundError
			switch {
			case errors.As(err, &noUnit):
				return withCode(exitBadInput, fmt.Errorf("%w; the units are %s", err, unitList(cmd.Context(), a)))
			case err != nil:
				return withCode(exitBadInput, err)
			}
			if len(names) == 0 {
				fmt.Fprintf(a.out, "%s supervises every unit\n", args[0])
				return nil
			}
			fmt.Fprintf(a.out, "%s supervises %s\n", args[0], strings.Join(names, ", "))
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&units, "units", nil, "the units (full or short names, comma-separated)")
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
