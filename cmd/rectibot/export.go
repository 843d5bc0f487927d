package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/render"
)

func newExportCommand(a *app) *cobra.Command {
	var planRef, asOf string
	var byDepartment bool
	cmd := &cobra.Command{
		Use:   "export FILE.xlsx|FILE.csv",
		Short: "Write a plan's ledger (台账) to XLSX, with the traffic light as row colour, or CSV",
		Args:  usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			ext := strings.ToLower(filepath.Ext(path))
			if ext != ".xlsx" && ext != ".csv" {
				return withCode(exitUsage, fmt.Errorf("export %s: the file name must end in .xlsx or .csv", path))
			}
			if byDepartment && ext != ".xlsx" {
				return withCode(exitUsage, fmt.Errorf("export %s: --by-department needs an .xlsx file (a CSV has one sheet)", path))
			}
			if err := checkAsOf(asOf); err != nil {
				return err
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			plan, err := a.store.FindPlan(cmd.Context(), planRef)
			if err != nil {
				return err
			}
			today, err := asOfDate(a, asOf, plan.Location())
			if err != nil {
				return err
			}
			rows, err := a.store.LedgerRows(cmd.Context(), plan.ID)
			if err != nil {
				return err
			}
			out := make([]render.ExportRow, len(rows))
			for i, r := range rows {
				out[i] = render.ExportRow{Row: r.Row, MeasuresDone: r.MeasuresDone, DeadlineMoves: r.DeadlineMoves,
					ClosedOn: r.ClosedOn, ClosedBy: r.ClosedBy, Evidence: r.Evidence,
					Light: ledger.LightOf(r.Status, r.Deadline.Date, today, a.cfg.Light)}
			}
			unit, err := a.store.LedgerUnitName(cmd.Context(), plan)
			if err != nil {
				return err
			}
			opts := render.XLSXOptions{Unit: unit, AsOf: today, ByDepartment: byDepartment}
			var buf bytes.Buffer
			if ext == ".xlsx" {
				err = render.WriteXLSX(&buf, plan.Title, out, opts)
			} else {
				err = render.WriteCSV(&buf, out)
			}
			if err != nil {
				return fmt.Errorf("export %s: %w", path, err)
			}
			// Beside the target and renamed, so a failed export never leaves
			// half a file where the office expects the ledger; 0644, as any
			// document the office keeps.
			if err := writeAtomically(path, buf.Bytes()); err != nil {
				return fmt.Errorf("export %s: %w", path, err)
			}
			fmt.Fprintf(a.out, "exported %d tasks of plan %q to %s\n", len(out), plan.Title, path)
			return nil
		},
	}
	cmd.Flags().StringVar(&planRef, "plan", "", "plan id or title (default: the only plan)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "the day the traffic light is computed for and the ledger stands at, YYYY-MM-DD (default: today)")
	cmd.Flags().BoolVar(&byDepartment, "by-department", false, "XLSX: after the whole 台账, one sheet per 责任科室")
	return cmd
}
