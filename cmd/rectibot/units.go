package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/models"
)

func newUnitsCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "units",
		Short: "List the units (被巡察单位): names, plans, tasks and people",
		Long: `List the inspected units (被巡察单位/党组织) of the installation. A unit owns its plans,
departments and people; names are unique within a unit, so two units may each have an 办公室
and a 张伟. A unit is created by the first import that names it (import --unit).`,
		Args: usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			units, err := a.store.Units(cmd.Context())
			if err != nil {
				return err
			}
			if len(units) == 0 {
				fmt.Fprintln(a.out, "no units yet: import a plan with --unit")
				return nil
			}
			tw := newTable(a.out)
			fmt.Fprintln(tw, "NAME\tSHORT NAME\tSELF NAME\tPLANS\tTASKS\tPEOPLE")
			for _, u := range units {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", dash(u.Name), dash(u.ShortName), dash(u.SelfName), u.Plans, u.Tasks, u.People)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%d units\n", len(units))
			return nil
		},
	}
	cmd.AddCommand(newUnitsSetCommand(a))
	return cmd
}

func newUnitsSetCommand(a *app) *cobra.Command {
	var short, self string
	cmd := &cobra.Command{
		Use:   "set UNIT [--short NAME] [--self NAME]",
		Short: "Name a unit: its short name (市委政法委) and how it calls itself in documents (我委)",
		Args:  usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var n models.UnitNaming
			if cmd.Flags().Changed("short") {
				n.Short = &short
			}
			if cmd.Flags().Changed("self") {
				n.Self = &self
			}
			if n.Short == nil && n.Self == nil {
				return withCode(exitUsage, fmt.Errorf("nothing to set: give --short, --self or both\nusage: %s", cmd.UseLine()))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			u, err := a.store.SetUnitNames(cmd.Context(), args[0], n, cliActor)
			if err != nil {
				return unitError(cmd.Context(), a, args[0], err)
			}
			fmt.Fprintf(a.out, "unit %s: short name %s, self name %s\n", u.Name, dash(u.ShortName), dash(u.SelfName))
			return nil
		},
	}
	cmd.Flags().StringVar(&short, "short", "", "the short name, such as 市委政法委 (\"\" clears it)")
	cmd.Flags().StringVar(&self, "self", "", "how the unit calls itself in its documents, such as 我委 or 局党组")
	return cmd
}

// findUnit resolves a --unit flag (full or short name); a name that is no
// unit, or the short name of several, is refused with exit 3 naming the
// units to choose from.
func findUnit(ctx context.Context, a *app, ref string) (models.Unit, error) {
	u, err := a.store.FindUnit(ctx, ref)
	if err != nil {
		return models.Unit{}, unitError(ctx, a, ref, err)
	}
	return u, nil
}

// unitError codes an error about the unit ref: exit 3 for a unit that is
// not there or not one, naming the units.
func unitError(ctx context.Context, a *app, ref string, err error) error {
	switch {
	case errors.Is(err, models.ErrNotFound):
		return withCode(exitBadInput, fmt.Errorf("no unit %q; the units are %s", ref, unitList(ctx, a)))
	case errors.Is(err, models.ErrAmbiguous), errors.Is(err, models.ErrUnitNameTaken):
		return withCode(exitBadInput, err)
	}
	return err
}

// maxUnitsNamed keeps a refusal readable at province scale: the rest are
// one `rectibot units` away.
const maxUnitsNamed = 10

// unitList names the installation's units for a message.
func unitList(ctx context.Context, a *app) string {
	names, n, err := a.store.UnitNames(ctx, maxUnitsNamed)
	switch {
	case err != nil:
		return "unknown (see `rectibot units`)"
	case n == 0:
		return "none yet"
	case n > len(names):
		return fmt.Sprintf("%s and %d more (see `rectibot units`)", strings.Join(names, ", "), n-len(names))
	}
	return strings.Join(names, ", ")
}

// onlyUnit is the name of the installation's one unit, or "".
func onlyUnit(ctx context.Context, a *app) string {
	names, n, err := a.store.UnitNames(ctx, 1)
	if err != nil || n != 1 {
		return ""
	}
	return names[0]
}
