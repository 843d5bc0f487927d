package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/render"
)

// newOverviewCommand is `rectibot overview`: the supervisors' ranking of
// every unit by on-time rate (红黄榜), as /overview shows it — the command
// line sees every unit.
func newOverviewCommand(a *app) *cobra.Command {
	var asOf, lang string
	cmd := &cobra.Command{
		Use:   "overview",
		Short: "Print every unit ranked by on-time rate (红黄榜): overdue, lights, awaiting decisions, days since it last reported",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, ok := render.ParseLang(lang)
			if !ok {
				return withCode(exitUsage, fmt.Errorf("--lang %q: expected zh or en", lang))
			}
			if err := checkAsOf(asOf); err != nil {
				return err
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			day, err := asOfDate(a, asOf, a.cfg.TimeZone)
			if err != nil {
				return err
			}
			ov, err := a.store.Overview(cmd.Context(), day, nil, a.cfg.Light)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, strings.TrimRight(render.Overview(ov, l, render.FormatPlain), "\n"))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&asOf, "as-of", "", "the day, YYYY-MM-DD (default: today in the configured time zone)")
	fl.StringVar(&lang, "lang", "zh", "zh or en")
	return cmd
}
