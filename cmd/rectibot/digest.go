package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

func newDigestCommand(a *app) *cobra.Command {
	var planRef, unitRef, department, asOf, lang, since, output string
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Print the status digest a leader gets: totals, departments, overdue, due soon",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, ok := render.ParseLang(lang)
			if !ok {
				return withCode(exitUsage, fmt.Errorf("--lang %q: expected zh or en", lang))
			}
			if err := checkAsOf(asOf); err != nil {
				return err
			}
			if since != "" {
				if _, err := ledger.ParseISODate(since); err != nil {
					return withCode(exitUsage, fmt.Errorf("--since: %w", err))
				}
			}
			if err := checkCompilationOutput(output, since); err != nil {
				return err
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			filter := models.DigestFilter{Department: department}
			loc, title := a.cfg.TimeZone, ""
			unit, err := digestUnit(cmd, a, unitRef, department, planRef)
			if err != nil {
				return err
			}
			if unit.ID != 0 {
				filter.Reach = &ledger.Reach{Units: []uint{unit.ID}, All: true}
				title = unit.Name
			}
			if planRef != "" || !hasSeveralPlans(a, cmd, unit.ID) {
				plan, err := findDigestPlan(cmd, a, planRef, unit.ID)
				if err != nil {
					return err
				}
				if unit.ID != 0 && plan.UnitID != unit.ID {
					return withCode(exitBadInput, fmt.Errorf("plan %q is not a plan of %s", plan.Title, unit.Name))
				}
				filter.PlanID, loc, title = plan.ID, plan.Location(), plan.Title
			}
			day, err := asOfDate(a, asOf, loc)
			if err != nil {
				return err
			}
			d, err := a.store.Digest(cmd.Context(), filter, day, a.cfg.Light)
			if err != nil {
				return err
			}
			d.PlanTitle = title
			d.Calendar = a.cfg.Calendar
			if since != "" {
				from, _ := ledger.ParseISODate(since)
				if from.After(day) {
					return withCode(exitUsage, fmt.Errorf("--since %s is after the digest's day %s", from, day))
				}
				ch, err := a.store.Changes(cmd.Context(), filter, from, day, loc)
				if err != nil {
					return err
				}
				d.Changes = &ch
			}
			if department != "" && d.Total == 0 {
				return withCode(exitBadInput, fmt.Errorf("no tasks for department %q (see `rectibot people`)", department))
			}
			if output != "" {
				return writeCompilation(cmd.Context(), a, output, unit, filter.PlanID, d)
			}
			fmt.Fprintln(a.out, strings.TrimRight(render.Digest(d, l, render.FormatPlain), "\n"))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&planRef, "plan", "", "plan id or title (default: every plan)")
	fl.StringVar(&unitRef, "unit", "", "only this unit (full or short name; see `rectibot units`)")
	fl.StringVar(&department, "department", "", "only this department (责任科室); where several units have one of that name, with --unit or --plan")
	fl.StringVar(&asOf, "as-of", "", "the day, YYYY-MM-DD (default: today in the plan's time zone)")
	fl.StringVar(&lang, "lang", "zh", "zh or en")
	fl.StringVar(&since, "since", "", "add the half-monthly compilation (半月梳理汇总): what changed since this day, YYYY-MM-DD")
	fl.StringVarP(&output, "output", "o", "", "write the compilation (with --since) as a document instead: FILE.docx or FILE.md")
	return cmd
}

// hasSeveralPlans reports whether the installation (or the unit, if not
// 0) has more than one plan: with one, the digest is that plan's.
func hasSeveralPlans(a *app, cmd *cobra.Command, unitID uint) bool {
	plans, err := a.store.Plans(cmd.Context())
	n := 0
	for _, p := range plans {
		if unitID == 0 || p.UnitID == unitID {
			n++
		}
	}
	return err == nil && n > 1
}

// findDigestPlan is the plan --plan names, or the only plan (of the unit).
func findDigestPlan(cmd *cobra.Command, a *app, ref string, unitID uint) (models.Plan, error) {
	if ref != "" || unitID == 0 {
		return a.store.FindPlan(cmd.Context(), ref)
	}
	plans, err := a.store.Plans(cmd.Context())
	if err != nil {
		return models.Plan{}, err
	}
	for _, p := range plans {
		if p.UnitID == unitID {
			return p, nil
		}
	}
	return models.Plan{}, withCode(exitBadInput, errors.New("the unit has no plan yet"))
}

// digestUnit is the unit --unit names; without it (or a --plan, which is
// of one unit), a --department that several units have is refused naming
// them: two units' 办公室 are not one department.
func digestUnit(cmd *cobra.Command, a *app, ref, department, planRef string) (models.Unit, error) {
	if ref != "" {
		return findUnit(cmd.Context(), a, ref)
	}
	if department == "" || planRef != "" {
		return models.Unit{}, nil
	}
	units, err := a.store.UnitsWithDepartment(cmd.Context(), department)
	if err != nil {
		return models.Unit{}, err
	}
	if len(units) > 1 {
		names := make([]string, len(units))
		for i, u := range units {
			names[i] = u.Name
		}
		return models.Unit{}, withCode(exitBadInput, fmt.Errorf("department %q is in several units (%s): name the unit (--unit)",
			department, strings.Join(names, ", ")))
	}
	return models.Unit{}, nil
}

// checkAsOf validates an --as-of flag before any work is done.
func checkAsOf(flag string) error {
	if flag == "" {
		return nil
	}
	if _, err := ledger.ParseISODate(flag); err != nil {
		return withCode(exitUsage, fmt.Errorf("--as-of: %w", err))
	}
	return nil
}

// asOfDate is the --as-of flag, or today in loc.
func asOfDate(a *app, flag string, loc *time.Location) (ledger.Date, error) {
	if flag == "" {
		return ledger.DateOf(a.clock.Now().In(loc)), nil
	}
	if err := checkAsOf(flag); err != nil {
		return ledger.Date{}, err
	}
	return ledger.ParseISODate(flag)
}
