package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/notice"
)

func newNoticeCommand(a *app) *cobra.Command {
	var planRef, asOf, inspection, output string
	cmd := &cobra.Command{
		Use:   "notice -o FILE.docx|FILE.md",
		Short: "Write the stage progress report (整改阶段性进展情况通报) of a plan as .docx or Markdown",
		Args:  usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ext := strings.ToLower(filepath.Ext(output))
			switch {
			case output == "":
				return withCode(exitUsage, fmt.Errorf("notice: name the file to write with -o FILE.docx or -o FILE.md\nusage: %s", cmd.UseLine()))
			case ext != ".docx" && ext != ".md":
				return withCode(exitUsage, fmt.Errorf("notice %s: the file name must end in .docx or .md", output))
			}
			if err := checkAsOf(asOf); err != nil {
				return err
			}
			if err := a.open(cmd.Context()); err != nil {
				return err
			}
			ctx := cmd.Context()
			plan, err := a.store.FindPlan(ctx, planRef)
			if err != nil {
				return err
			}
			day, err := asOfDate(a, asOf, plan.Location())
			if err != nil {
				return err
			}
			rows, err := a.store.LedgerRows(ctx, plan.ID)
			if err != nil {
				return err
			}
			facts, err := a.store.NoticeFacts(ctx, plan)
			if err != nil {
				return err
			}
			report := notice.Build(plan, rows, notice.Extra{Inspection: inspection, NoticeFacts: facts}, day)
			data := notice.Markdown(report)
			if ext == ".docx" {
				if data, err = notice.DOCX(report); err != nil {
					return err
				}
			}
			if err := writeAtomically(output, data); err != nil {
				return fmt.Errorf("notice %s: %w", output, err)
			}
			fmt.Fprintf(a.out, "wrote the report of plan %q as of %s to %s: %s\n",
				plan.Title, day, output, strings.TrimSuffix(report.CountsSentence(), "。"))
			return nil
		},
	}
	cmd.Flags().StringVar(&planRef, "plan", "", "plan id or title (default: the only plan)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "the report's date, YYYY-MM-DD (default: today)")
	cmd.Flags().StringVar(&inspection, "inspection", "", "the inspection named in the title (default: the plan title without 整改)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "the file to write: .docx to publish, .md to read")
	return cmd
}

// writeAtomically writes beside the target and renames, so a failure never
// leaves half a report where the office expects one.
func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rectibot-notice-*"+filepath.Ext(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// CreateTemp makes the file 0600; a report is an ordinary document.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
