package render

import (
	"github.com/rectibot/rectibot/ledger"
)

// changes renders the half-monthly compilation (半月梳理汇总): what changed
// since a day — closed, reported, re-dated, newly late. Every list is
// shown, an empty one as its heading with 0, so the reader knows it was
// looked at.
func (dr digestRenderer) changes(c ledger.DigestChanges) []string {
	out := []string{"", bold(dr.f, dr.t("changes_title", map[string]any{"Since": c.Since.String()}))}

	head := dr.t("changes_closed", map[string]any{"Count": len(c.NewlyClosed)})
	if len(c.NewlyClosed) == 0 {
		out = append(out, head)
	} else {
		out = append(out, head)
		for _, tl := range c.NewlyClosed {
			out = append(out, dr.taskLine("✅", ledger.TaskLine{Code: tl.Code, Title: tl.Title, Department: tl.Department, Officer: tl.Officer}, ""))
		}
	}
	head = dr.t("changes_progress", map[string]any{"Count": len(c.NewProgress)})
	if len(c.NewProgress) == 0 {
		out = append(out, head)
	} else {
		out = append(out, head)
		for _, p := range c.NewProgress {
			tl := p.TaskLine
			out = append(out, dr.taskLine("📝", ledger.TaskLine{Code: tl.Code, Title: tl.Title, Department: tl.Department, Officer: tl.Officer},
				dr.t("changes_reports", map[string]any{"Count": p.Reports})))
		}
	}
	head = dr.t("changes_deadlines", map[string]any{"Count": len(c.DeadlineChanges)})
	if len(c.DeadlineChanges) == 0 {
		out = append(out, head)
	} else {
		out = append(out, head)
		for _, m := range c.DeadlineChanges {
			tl := m.TaskLine
			out = append(out, dr.taskLine("📅", ledger.TaskLine{Code: tl.Code, Title: tl.Title, Department: tl.Department, Officer: tl.Officer},
				dr.t("changes_moved", map[string]any{"Old": m.Old.String(), "New": m.New.String(), "Reason": esc(dr.f, truncateRunes(m.Reason, 60))})))
		}
	}
	head = dr.t("changes_overdue", map[string]any{"Count": len(c.NewlyOverdue)})
	if len(c.NewlyOverdue) == 0 {
		out = append(out, head)
	} else {
		out = append(out, head)
		for _, tl := range c.NewlyOverdue {
			out = append(out, dr.taskLine("🔴", tl, dr.daysLate(tl)))
		}
	}
	return out
}
