package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

func newDigestCommand(a *app) *cobra.Command {
	var planRef, department, asOf, lang, since string
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
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			filter := models.DigestFilter{Department: department}
			loc, title := a.cfg.TimeZone, ""
			if planRef != "" || !hasSeveralPlans(a, cmd) {
				plan, err := a.store.FindPlan(cmd.Context(), planRef)
				if err != nil {
					return err
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
			fmt.Fprintln(a.out, strings.TrimRight(render.Digest(d, l, render.FormatPlain), "\n"))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&planRef, "plan", "", "plan id or title (default: every plan)")
	fl.StringVar(&department, "department", "", "only this department (责任科室)")
	fl.StringVar(&asOf, "as-of", "", "the day, YYYY-MM-DD (default: today in the plan's time zone)")
	fl.StringVar(&lang, "lang", "zh", "zh or en")
	fl.StringVar(&since, "since", "", "add the half-monthly compilation (半月梳理汇总): what changed since this day, YYYY-MM-DD")
	return cmd
}

func hasSeveralPlans(a *app, cmd *cobra.Command) bool {
	plans, err := a.store.Plans(cmd.Context())
	return err == nil && len(plans) > 1
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
