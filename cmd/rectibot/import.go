package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

func newImportCommand(a *app) *cobra.Command {
	var (
		spec         models.PlanSpec
		feedbackDate string
		dryRun       bool
	)
	cmd := &cobra.Command{
		Use:   "import FILE.csv|FILE.xlsx",
		Short: "Import a plan or ledger (台账) as a new plan; all or nothing",
		Long: `Import a 整改台账 from CSV or XLSX with the columns
序号,问题类别,问题编号,问题,具体问题,整改措施,责任领导,责任科室,责任人,整改时限[,整改状态,整改情况]
(English headers are accepted too). Every bad row is listed by row and column and nothing is
written. A plan is identified by its title: importing under a title that already exists is
refused, so a file imported twice never duplicates a plan.`,
		Args: usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			if spec.Title == "" {
				spec.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
			}
			if feedbackDate != "" {
				d, err := ledger.ParseISODate(feedbackDate)
				if err != nil {
					return withCode(exitUsage, fmt.Errorf("--feedback-date: %w", err))
				}
				spec.FeedbackDate = d
				if spec.Year == 0 {
					spec.Year = d.Year
				}
			}
			if spec.TimeZone == "" {
				spec.TimeZone = a.cfg.TimeZone.String()
			}
			f, err := os.Open(path)
			if err != nil {
				return withCode(exitBadInput, fmt.Errorf("open %s: %w", path, errors.Unwrap(err)))
			}
			defer f.Close()
			res, err := importer.Read(f, path, importer.Options{PlanYear: spec.Year})
			if err != nil {
				return withCode(exitBadInput, fmt.Errorf("%s: nothing was imported:\n%w", path, err))
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			if spec.Unit != "" {
				// --unit may be a unit's short name: the plan joins that unit
				// rather than founding another under the short name.
				u, err := a.store.FindUnit(cmd.Context(), spec.Unit)
				switch {
				case err == nil:
					spec.Unit = u.Name
				case errors.Is(err, models.ErrAmbiguous):
					return withCode(exitBadInput, fmt.Errorf("%s: nothing was imported: --unit: %w", path, err))
				case !errors.Is(err, models.ErrNotFound):
					return err
				}
			}
			sum, err := a.store.ImportPlan(cmd.Context(), spec, res.Rows, models.CLIActor, dryRun)
			var conflict *models.ImportConflictError
			switch {
			case errors.Is(err, models.ErrPlanExists):
				return withCode(exitBadInput, fmt.Errorf("%s: nothing was imported: %w; a plan is identified by its title, so give this one another --plan-title", path, err))
			case errors.As(err, &conflict):
				return withCode(exitBadInput, fmt.Errorf("%s: nothing was imported:\n%w", path, err))
			case errors.Is(err, models.ErrUnitRequired):
				return withCode(exitBadInput, fmt.Errorf("%s: nothing was imported: %w; the units are %s", path, err, unitList(cmd.Context(), a)))
			case err != nil:
				return err
			}
			unit := spec.Unit
			if unit == "" {
				unit = onlyUnit(cmd.Context(), a)
			}
			printImportSummary(a, spec.Title, unit, sum)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&spec.Title, "plan-title", "", "the plan's title (default: the file name)")
	fl.StringVar(&spec.Unit, "unit", "", "the inspected unit (被巡察单位), its full name; created on first use (needed once there are several units)")
	fl.StringVar(&spec.UnitShort, "unit-short", "", "the unit's short name, such as 市委政法委 (set if the unit has none)")
	fl.StringVar(&spec.UnitSelf, "unit-self", "", "how the unit calls itself in its documents, such as 我委 (set if the unit has none)")
	fl.StringVar(&spec.Team, "team", "", "the inspection team (巡察组)")
	fl.StringVar(&feedbackDate, "feedback-date", "", "the feedback date (反馈日期), YYYY-MM-DD")
	fl.IntVar(&spec.Year, "plan-year", 0, "the year of deadlines written without one, such as 6月底前 (default: the feedback date's year)")
	fl.StringVar(&spec.TimeZone, "time-zone", "", "the plan's time zone (default: RECTIBOT_TIME_ZONE, Asia/Shanghai)")
	fl.BoolVar(&dryRun, "dry-run", false, "check everything, write nothing")
	return cmd
}

func printImportSummary(a *app, title, unit string, s models.ImportSummary) {
	verb := "imported"
	if s.DryRun {
		verb = "dry run: would import"
	}
	fmt.Fprintf(a.out, "%s plan %q", verb, title)
	if !s.DryRun {
		fmt.Fprintf(a.out, " (id %d)", s.PlanID)
	}
	switch {
	case s.NewUnit && s.DryRun:
		fmt.Fprintf(a.out, "\n  unit %q (new: would be created)", unit)
	case s.NewUnit:
		fmt.Fprintf(a.out, "\n  unit %q (new)", unit)
	case unit != "":
		fmt.Fprintf(a.out, "\n  unit %q (existing)", unit)
	}
	fmt.Fprintf(a.out, "\n  %d categories, %d problems, %d tasks (%d long-term), %d measures, %d progress entries\n",
		s.Categories, s.Problems, s.Tasks, s.LongTerm, s.Measures, s.ProgressItems)
	fmt.Fprintf(a.out, "  %d departments (%d new), %d leaders, %d officers (%d people new)\n",
		s.Departments, s.NewDepartments, s.Leaders, s.Officers, s.NewPeople)
	var parts []string
	for _, st := range ledger.Statuses {
		if n := s.ByStatus[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", st.Chinese(), n))
		}
	}
	status := strings.Join(parts, ", ")
	if s.StageDone > 0 {
		status += fmt.Sprintf(" (%d of them 阶段性完成: counted as done, check-ins go on)", s.StageDone)
	}
	fmt.Fprintf(a.out, "  status: %s\n", status)
	for _, w := range s.Warnings {
		fmt.Fprintf(a.out, "  warning: %s\n", w)
	}
}
