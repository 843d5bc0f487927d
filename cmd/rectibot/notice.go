package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rectibot/rectibot/notice"
)

// The documents `notice --kind` writes.
const (
	kindNotice = "notice" // 整改阶段性进展情况通报
	kindReport = "report" // 整改报告 to the 巡察组
	kindPlan   = "plan"   // 整改方案 with its 三个清单
)

func newNoticeCommand(a *app) *cobra.Command {
	var planRef, asOf, inspection, output, kind string
	cmd := &cobra.Command{
		Use:   "notice [--kind notice|report|plan] -o FILE.docx|FILE.md",
		Short: "Write a plan's documents as .docx or Markdown: the 通报 (default), the 整改报告 or the 整改方案",
		Long: `Write a document of a plan from its ledger, as .docx to publish or Markdown to read:
  --kind notice  the stage progress report (整改阶段性进展情况通报), the default
  --kind report  the 整改报告 to the 巡察组: the work done, every problem's measures and
                 results, the clues handed over and the people held accountable, the next
                 steps, signed by the 第一责任人 (rectibot plans set PLAN --principal NAME)
  --kind plan    the 整改方案 with its 三个清单: 问题清单, 任务清单 and 责任清单`,
		Args: usageArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ext := strings.ToLower(filepath.Ext(output))
			switch {
			case kind != kindNotice && kind != kindReport && kind != kindPlan:
				return withCode(exitUsage, fmt.Errorf("notice --kind %q: want notice, report or plan\nusage: %s", kind, cmd.UseLine()))
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
			extra := notice.Extra{Inspection: inspection, NoticeFacts: facts}
			report := notice.Build(plan, rows, extra, day)
			var doc notice.Document = report
			what, counts := "the report", strings.TrimSuffix(report.CountsSentence(), "。")
			switch kind {
			case kindReport:
				rr := notice.BuildRectReport(plan, rows, extra, day)
				doc, what = rr, "the 整改报告"
				if rr.Principal == "" {
					counts += fmt.Sprintf("\nnote: no 第一责任人 set, the line to sign is left blank: rectibot plans set %d --principal NAME", plan.ID)
				}
			case kindPlan:
				pd := notice.BuildPlanDoc(plan, rows, extra, day)
				doc, what, counts = pd, "the 整改方案", fmt.Sprintf("问题清单, 任务清单 and 责任清单 of %d tasks", len(pd.Rows))
			}
			data := notice.Markdown(doc)
			if ext == ".docx" {
				if data, err = notice.DOCX(doc); err != nil {
					return err
				}
			}
			if err := writeAtomically(output, data); err != nil {
				return fmt.Errorf("notice %s: %w", output, err)
			}
			fmt.Fprintf(a.out, "wrote %s of plan %q as of %s to %s: %s\n", what, plan.Title, day, output, counts)
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", kindNotice, "the document: notice (通报), report (整改报告) or plan (整改方案)")
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
