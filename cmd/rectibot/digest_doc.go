package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
)

// checkCompilationOutput refuses an -o the digest cannot write: it must
// be a .docx or .md, and needs --since (a compilation has a period).
func checkCompilationOutput(output, since string) error {
	if output == "" {
		return nil
	}
	if since == "" {
		return withCode(exitUsage, fmt.Errorf("digest -o %s: a document is the half-monthly compilation: give its period's start with --since", output))
	}
	if ext := strings.ToLower(filepath.Ext(output)); ext != ".docx" && ext != ".md" {
		return withCode(exitUsage, fmt.Errorf("digest -o %s: the file name must end in .docx or .md", output))
	}
	return nil
}

// writeCompilation writes the half-monthly compilation of d (its Changes
// set) as a document, signed by the unit: the --unit's, or the plan's.
func writeCompilation(ctx context.Context, a *app, output string, unit models.Unit, planID uint, d ledger.Digest) error {
	name := unit.Name
	if name == "" && planID != 0 {
		plan, err := a.store.FindPlan(ctx, fmt.Sprint(planID))
		if err != nil {
			return err
		}
		if name, err = a.store.LedgerUnitName(ctx, plan); err != nil {
			return err
		}
	}
	doc := notice.BuildCompilation(name, d, *d.Changes)
	data := notice.Markdown(doc)
	if strings.EqualFold(filepath.Ext(output), ".docx") {
		layout, err := a.docxTemplate("") // the office's, RECTIBOT_DOCX_TEMPLATE, or the default
		if err != nil {
			return err
		}
		if data, err = layout.DOCX(doc); err != nil {
			return err
		}
	}
	if err := writeAtomically(output, data); err != nil {
		return fmt.Errorf("digest %s: %w", output, err)
	}
	fmt.Fprintf(a.out, "wrote the half-monthly compilation %s to %s to %s\n", d.Changes.Since, d.AsOf, output)
	return nil
}
