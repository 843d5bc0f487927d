package render

import (
	"github.com/rectibot/rectibot/ledger"
)

// changes renders the half-monthly compilation (半月梳理汇总): what changed
// since a day — closed, reported, re-dated, newly late. Every list is
// shown, an empty one as its heading with 0, so the reader knows it was
// looked at.
func (dr digestRenderer) changes(c ledger.DigestChanges) []string {
	out := []string{"", bold(dr.f, dr.t("changes_title", map[string]any{"Since": dr.l.Date(c.Since)}))}
	list := func(headID string, lines []string) {
		out = append(out, dr.t(headID, map[string]any{"Count": len(lines)}))
		out = append(out, lines...)
	}
	// who keeps a line to the task and the people, for lists where the
	// status and the leader add nothing.
	who := func(tl ledger.TaskLine) ledger.TaskLine {
		return ledger.TaskLine{Code: tl.Code, Title: tl.Title, Department: tl.Department, Officer: tl.Officer}
	}
	var lines []string
	for _, tl := range c.NewlyClosed {
		lines = append(lines, dr.taskLine("✅", who(tl), ""))
	}
	list("changes_closed", lines)
	lines = nil
	for _, p := range c.NewProgress {
		lines = append(lines, dr.taskLine("📝", who(p.TaskLine), dr.t("changes_reports", map[string]any{"Count": p.Reports})))
	}
	list("changes_progress", lines)
	lines = nil
	for _, m := range c.DeadlineChanges {
		lines = append(lines, dr.taskLine("📅", who(m.TaskLine),
			dr.t("changes_moved", map[string]any{"Old": dr.l.Date(m.Old), "New": dr.l.Date(m.New), "Reason": esc(dr.f, truncateRunes(m.Reason, 60))})))
	}
	list("changes_deadlines", lines)
	lines = nil
	for _, tl := range c.NewlyOverdue {
		lines = append(lines, dr.taskLine("🔴", tl, dr.daysLate(tl)))
	}
	list("changes_overdue", lines)
	return out
}
