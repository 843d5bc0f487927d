package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func newPlansCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plans",
		Short: "List the plans (整改方案) with their unit, tasks and what the 通报 says beyond the ledger",
		Long: `List the plans with their unit, number of tasks, 巡察时间, the contact of the 通报's closing
paragraph, and whether the office wrote its own 组织领导 and 督促检查 paragraphs (else the 通报
writes default ones). Set them with ` + "`rectibot plans set`" + `.`,
		Args: usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			plans, err := a.store.PlanInfos(cmd.Context())
			if err != nil {
				return err
			}
			if len(plans) == 0 {
				fmt.Fprintln(a.out, "no plans yet: import one with `rectibot import`")
				return nil
			}
			tw := newTable(a.out)
			fmt.Fprintln(tw, "ID\tTITLE\tUNIT\tTASKS\tINSPECTED\tCONTACT\tORGANISATION\tSUPERVISION")
			for _, p := range plans {
				unit := p.UnitName
				if unit == "" {
					unit = p.Unit
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", p.ID, p.Title, dash(unit), p.Tasks,
					inspectedText(p.Plan), dash(p.Contact), excerpt(p.Organisation), excerpt(p.Supervision))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%d plans\n", len(plans))
			return nil
		},
	}
	cmd.AddCommand(newPlansSetCommand(a))
	return cmd
}

func newPlansSetCommand(a *app) *cobra.Command {
	var inspected, contact, organisation, supervision, principal string
	cmd := &cobra.Command{
		Use:   "set PLAN [--inspected FROM..TO] [--contact TEXT] [--organisation TEXT] [--supervision TEXT] [--principal NAME]",
		Short: "Set what a plan's 通报 and 整改报告 say beyond the ledger: 巡察时间, contact, 组织领导, 督促检查, 第一责任人",
		Long: `Set what the stage progress report (通报) of a plan says beyond the ledger:
  --inspected     the 巡察时间, 2020-12-08..2021-01-08 (the opening: 于…至…对…开展了巡察)
  --contact       the contact of the closing paragraph inviting 监督,
                  such as "联系电话：0769-12345678；电子邮箱：…"
  --organisation  the office's 组织领导 paragraph(s), one a line
  --supervision   the office's 督促检查 paragraph(s), one a line
  --principal     the 第一责任人 (the unit's principal leader) who signs the
                  整改报告 to the 巡察组 (rectibot notice --kind report)
An empty value clears a field; the 通报 then writes its default sentences.
PLAN is the plan's id or title (see ` + "`rectibot plans`" + `).`,
		Args: usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var d models.PlanDetails
			if cmd.Flags().Changed("inspected") {
				from, to, err := parseInspected(inspected)
				if err != nil {
					return withCode(exitUsage, err)
				}
				d.InspectedFrom, d.InspectedTo = &from, &to
			}
			for _, f := range []struct {
				name string
				val  *string
				to   **string
			}{{"contact", &contact, &d.Contact}, {"organisation", &organisation, &d.Organisation}, {"supervision", &supervision, &d.Supervision},
				{"principal", &principal, &d.Principal}} {
				if cmd.Flags().Changed(f.name) {
					*f.to = f.val
				}
			}
			if d == (models.PlanDetails{}) {
				return withCode(exitUsage, fmt.Errorf("nothing to set: give --inspected, --contact, --organisation, --supervision or --principal\nusage: %s", cmd.UseLine()))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			p, err := a.store.SetPlanDetails(cmd.Context(), args[0], d, cliActor)
			if err != nil {
				return planError(cmd.Context(), a, args[0], err)
			}
			fmt.Fprintf(a.out, "plan %d %s: inspected %s, contact %s, organisation %s, supervision %s, principal %s\n", p.ID, p.Title,
				inspectedText(p), dash(p.Contact), excerpt(p.Organisation), excerpt(p.Supervision), dash(p.Principal))
			return nil
		},
	}
	cmd.Flags().StringVar(&inspected, "inspected", "", "the 巡察时间, FROM..TO in YYYY-MM-DD (\"\" clears it)")
	cmd.Flags().StringVar(&contact, "contact", "", "the contact line of the 通报's closing paragraph")
	cmd.Flags().StringVar(&organisation, "organisation", "", "the office's 组织领导 paragraph(s), one a line")
	cmd.Flags().StringVar(&supervision, "supervision", "", "the office's 督促检查 paragraph(s), one a line")
	cmd.Flags().StringVar(&principal, "principal", "", "the 第一责任人 who signs the 整改报告")
	return cmd
}

// parseInspected reads FROM..TO; "" is no 巡察时间 (both days zero).
func parseInspected(s string) (from, to ledger.Date, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return from, to, nil
	}
	a, b, ok := strings.Cut(s, "..")
	if !ok {
		return from, to, fmt.Errorf("--inspected %q: want FROM..TO, such as 2020-12-08..2021-01-08", s)
	}
	if from, err = ledger.ParseISODate(strings.TrimSpace(a)); err == nil {
		to, err = ledger.ParseISODate(strings.TrimSpace(b))
	}
	if err != nil {
		return from, to, fmt.Errorf("--inspected %q: %w", s, err)
	}
	if to.Before(from) {
		return from, to, fmt.Errorf("--inspected %q: %w", s, models.ErrInspectionDates)
	}
	return from, to, nil
}

// inspectedText is the 巡察时间 as `plans` lists it.
func inspectedText(p models.Plan) string {
	if p.InspectedFrom.IsZero() {
		return "-"
	}
	return p.InspectedFrom.String() + ".." + p.InspectedTo.String()
}

// excerptRunes keeps a paragraph to a table cell.
const excerptRunes = 16

// excerpt is the start of an office's paragraph on one line, or "default"
// when there is none (the 通报 writes its own).
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "default"
	}
	if r := []rune(s); len(r) > excerptRunes {
		return string(r[:excerptRunes]) + "…"
	}
	return s
}

// planError codes an error about the plan ref: exit 3, naming the plans,
// for a plan that is not there or a ref several plans could be.
func planError(ctx context.Context, a *app, ref string, err error) error {
	if !errors.Is(err, models.ErrNotFound) && !errors.Is(err, models.ErrAmbiguousPlan) {
		return err
	}
	plans, lerr := a.store.Plans(ctx)
	if lerr != nil || len(plans) == 0 {
		return withCode(exitBadInput, err)
	}
	names := make([]string, len(plans))
	for i, p := range plans {
		names[i] = fmt.Sprintf("%d %s", p.ID, p.Title)
	}
	return withCode(exitBadInput, fmt.Errorf("no plan %q; the plans are %s", ref, strings.Join(names, "; ")))
}

func newResultsCommand(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "results PLAN",
		Short: "List a plan's result figures (整改成效): the sums per kind and each entry",
		Long: `List the result figures the 通报 reports of a plan: 新建、修订制度 (rules, 项),
追回资金 (funds, 万元), 问责 (accountability, 人) and 移交问题线索 (clues, 件), summed per kind,
then each entry. Add one with ` + "`rectibot results add`" + `.`,
		Args: usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			ctx := cmd.Context()
			p, err := a.store.FindPlan(ctx, args[0])
			if err != nil {
				return planError(ctx, a, args[0], err)
			}
			totals, err := a.store.Results(ctx, p.ID)
			if err != nil {
				return err
			}
			entries, err := a.store.ResultEntries(ctx, p.ID)
			if err != nil {
				return err
			}
			if len(entries) == 0 {
				fmt.Fprintf(a.out, "plan %d %s has no result figures yet: add one with `rectibot results add`\n", p.ID, p.Title)
				return nil
			}
			fmt.Fprintf(a.out, "plan %d %s:\n", p.ID, p.Title)
			tw := newTable(a.out)
			fmt.Fprintln(tw, "KIND\tTOTAL\tENTRIES")
			for _, t := range totals {
				fmt.Fprintf(tw, "%s\t%s%s\t%d\n", t.Kind, t.Amount, t.Kind.Unit(), t.Entries)
			}
			fmt.Fprintln(tw, "\nID\tKIND\tAMOUNT\tTASK\tNOTE\tBY\tAT")
			for _, e := range entries {
				fmt.Fprintf(tw, "%d\t%s\t%s%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, e.Amount, e.Kind.Unit(), dash(e.TaskCode),
					dash(e.Note), e.Author, e.CreatedAt.In(p.Location()).Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(newResultsAddCommand(a))
	return cmd
}

func newResultsAddCommand(a *app) *cobra.Command {
	var kind, amount, task, note string
	cmd := &cobra.Command{
		Use:   "add PLAN --kind rules|funds|accountability|clues --amount N [--task CODE] [--note TEXT]",
		Short: "Add a result figure to a plan, or to one of its tasks",
		Long: `Add a result figure: --kind rules (新建、修订制度, 项), funds (追回资金, 万元, two decimals at
most), accountability (问责, 人) or clues (移交问题线索, 件); --amount the number, negative to
correct an earlier entry (a total never goes below zero); --task the task it belongs to (6(2),
立行立改四); --note what it is.`,
		Args: usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if kind == "" || amount == "" {
				return withCode(exitUsage, fmt.Errorf("give --kind and --amount\nusage: %s", cmd.UseLine()))
			}
			k, err := models.ParseResultKind(kind)
			if err != nil {
				return withCode(exitUsage, fmt.Errorf("--kind: %w", err))
			}
			n, err := models.ParseAmount(k, amount)
			if err != nil {
				return withCode(exitUsage, fmt.Errorf("--amount: %w", err))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			ctx := cmd.Context()
			p, err := a.store.FindPlan(ctx, args[0])
			if err != nil {
				return planError(ctx, a, args[0], err)
			}
			r, err := a.store.AddResult(ctx, models.NewResult{PlanID: p.ID, TaskCode: task, Kind: k, Amount: n, Note: note}, cliActor)
			if errors.Is(err, models.ErrNotFound) || errors.Is(err, models.ErrResultAmount) {
				return withCode(exitBadInput, err)
			}
			if err != nil {
				return err
			}
			totals, err := a.store.Results(ctx, p.ID)
			if err != nil {
				return err
			}
			total := models.Amount(0)
			for _, t := range totals {
				if t.Kind == k {
					total = t.Amount
				}
			}
			on := "the plan"
			if task != "" {
				on = "task " + task
			}
			fmt.Fprintf(a.out, "added result %d to %s of plan %d %s: %s %s%s; %s now total %s%s\n",
				r.ID, on, p.ID, p.Title, k, n, k.Unit(), k, total, k.Unit())
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "rules, funds, accountability or clues")
	cmd.Flags().StringVar(&amount, "amount", "", "the number: 项, 万元 (two decimals), 人 or 件; negative to correct")
	cmd.Flags().StringVar(&task, "task", "", "the task it belongs to (its 问题编号), if not the plan as a whole")
	cmd.Flags().StringVar(&note, "note", "", "what it is, such as the rules' names")
	return cmd
}
