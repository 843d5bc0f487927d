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
	var planRef, asOf, inspection, output, kind, templatePath string
	cmd := &cobra.Command{
		Use:   "notice [--kind notice|report|plan] [--template LAYOUT.docx] -o FILE.docx|FILE.md",
		Short: "Write a plan's documents as .docx or Markdown: the 通报 (default), the 整改报告 or the 整改方案",
		Long: `Write a document of a plan from its ledger, as .docx to publish or Markdown to read:
  --kind notice  the stage progress report (整改阶段性进展情况通报), the default
  --kind report  the 整改报告 to the 巡察组: the work done, every problem's measures and
                 results, the clues handed over and the people held accountable, the next
                 steps, signed by the 第一责任人 (rectibot plans set PLAN --principal NAME)
  --kind plan    the 整改方案 with its 三个清单: 问题清单, 任务清单 and 责任清单
A .docx takes its styles, fonts, page number and page setup from the embedded
reference document, or from the office's own (--template, or the file
RECTIBOT_DOCX_TEMPLATE names): any .docx rectibot wrote, its styles edited.`,
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
			layout, err := a.docxTemplate(templatePath)
			if err != nil {
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
				if data, err = layout.DOCX(doc); err != nil {
					return err
				}
			}
			if err := writeAtomically(output, data); err != nil {
				return fmt.Errorf("notice %s: %w", output, err)
			}
			fmt.Fprintf(a.out, "wrote %s of plan %q as of %s to %s: %s\n", what, plan.Title, day, output, counts)
			if layout != nil && ext == ".docx" {
				fmt.Fprintf(a.out, "layout: %s\n", a.docxTemplateName(templatePath))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", kindNotice, "the document: notice (通报), report (整改报告) or plan (整改方案)")
	cmd.Flags().StringVar(&planRef, "plan", "", "plan id or title (default: the only plan)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "the report's date, YYYY-MM-DD (default: today)")
	cmd.Flags().StringVar(&inspection, "inspection", "", "the inspection named in the title (default: the plan title without 整改)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "the file to write: .docx to publish, .md to read")
	cmd.Flags().StringVar(&templatePath, "template", "", "a reference .docx whose styles and page setup the .docx takes (default: RECTIBOT_DOCX_TEMPLATE, else the built-in layout)")
	return cmd
}

// docxTemplate is the layout a .docx takes: the file of --template, else
// the one RECTIBOT_DOCX_TEMPLATE names, else the embedded default (nil). A
// file that is not a usable template is refused before anything is
// written: --template's as a bad input file, the setting's as bad
// configuration (as `serve` refuses it).
func (a *app) docxTemplate(flagPath string) (*notice.Template, error) {
	if flagPath == "" {
		return configuredTemplate(a.cfg.DOCXTemplate)
	}
	tpl, err := notice.LoadTemplateFile(flagPath)
	if err != nil {
		return nil, withCode(exitBadInput, fmt.Errorf("--template %s: %w; nothing was written", flagPath, err))
	}
	return tpl, nil
}

// docxTemplateName is the file the layout came from, for the output.
func (a *app) docxTemplateName(flagPath string) string {
	if flagPath != "" {
		return flagPath
	}
	return a.cfg.DOCXTemplate + " (RECTIBOT_DOCX_TEMPLATE)"
}

// configuredTemplate loads the template RECTIBOT_DOCX_TEMPLATE names; nil
// (the embedded default) when it names none.
func configuredTemplate(path string) (*notice.Template, error) {
	if path == "" {
		return nil, nil
	}
	tpl, err := notice.LoadTemplateFile(path)
	if err != nil {
		return nil, withCode(exitConfig, fmt.Errorf("RECTIBOT_DOCX_TEMPLATE %s: %w", path, err))
	}
	return tpl, nil
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
