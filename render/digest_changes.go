package render

import (
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// Bounds of the compilation's quoted words and lists, so it stays a read
// of a few screens: a report or a measure is quoted up to changesQuote
// characters; at most changesOpenLines unfinished tasks are listed, with
// how many more there are.
const (
	changesQuote     = 60
	changesOpenLines = 20
)

// changes renders the half-monthly compilation (半月梳理汇总) of the
// period c.Since–c.AsOf: the completion rate against the start of the
// period, what changed — closed, reported (with what the latest report
// says), re-dated, newly late — every task still open with why and what
// next, and the departments lagging behind, named. Every list of changes is
// shown, an empty one as its heading with 0, so the reader knows it was
// looked at. d is the digest it closes (its totals and departments).
func (dr digestRenderer) changes(c ledger.DigestChanges, d ledger.Digest) []string {
	asOf := c.AsOf
	if asOf.IsZero() {
		asOf = d.AsOf
	}
	out := []string{"", bold(dr.f, dr.t("changes_title", map[string]any{"Since": dr.l.Date(c.Since), "AsOf": dr.l.Date(asOf)}))}
	if rate := dr.completion(c, d); rate != "" {
		out = append(out, rate)
	}
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
		tail := dr.t("changes_reports", map[string]any{"Count": p.Reports})
		if q := dr.quote(p.Latest); q != "" {
			tail += dr.t("changes_latest", map[string]any{"Text": q})
		}
		lines = append(lines, dr.taskLine("📝", who(p.TaskLine), tail))
	}
	list("changes_progress", lines)
	lines = nil
	for _, m := range c.DeadlineChanges {
		lines = append(lines, dr.taskLine("📅", who(m.TaskLine),
			dr.t("changes_moved", map[string]any{"Old": dr.l.Date(m.Old), "New": dr.l.Date(m.New), "Reason": esc(dr.f, truncateRunes(m.Reason, changesQuote))})))
	}
	list("changes_deadlines", lines)
	lines = nil
	for _, tl := range c.NewlyOverdue {
		lines = append(lines, dr.taskLine("🔴", tl, dr.daysLate(tl)))
	}
	list("changes_overdue", lines)
	out = append(out, dr.open(c.Open)...)
	if lag := dr.lagging(d); lag != "" {
		out = append(out, lag)
	}
	return out
}

// completion is "完成率 88%（22/25），较上期（2021年11月1日）84% 提高 4 个百分点".
func (dr digestRenderer) completion(c ledger.DigestChanges, d ledger.Digest) string {
	if d.Total == 0 {
		return ""
	}
	now, then := d.Done(), c.DoneAtSince
	pct := func(n int) float64 { return float64(n) / float64(d.Total) }
	args := map[string]any{"Percent": Percent(pct(now), now < d.Total), "Done": now, "Total": d.Total,
		"Since": dr.l.Date(c.Since), "Before": Percent(pct(then), then < d.Total)}
	switch diff := pct(now) - pct(then); {
	case now == then:
		return dr.t("changes_rate_same", args)
	case diff > 0:
		args["Points"] = Percent(diff, false)
		return dr.t("changes_rate_up", args)
	default:
		args["Points"] = Percent(-diff, false)
		return dr.t("changes_rate_down", args)
	}
}

// open lists the dated tasks still open: the latest report, why not done
// yet (the reason of the approved new deadline), the next step (the first
// measure not ticked).
func (dr digestRenderer) open(open []ledger.OpenLine) []string {
	out := []string{dr.t("changes_open", map[string]any{"Count": len(open)})}
	for i, o := range open {
		if i == changesOpenLines {
			out = append(out, dr.t("changes_open_more", map[string]any{"Count": len(open) - i}))
			break
		}
		// Each part is a clause of one sentence: its own full stop goes.
		clause := func(s string) string { return dr.quote(strings.TrimRight(strings.TrimSpace(s), "。.；;，,")) }
		var parts []string
		if q := clause(o.Latest); q != "" {
			parts = append(parts, dr.t("changes_open_latest", map[string]any{"Text": q}))
		} else {
			parts = append(parts, dr.t("changes_open_unreported", nil))
		}
		if q := clause(o.Reason); q != "" {
			parts = append(parts, dr.t("changes_open_reason", map[string]any{"Text": q}))
		}
		if q := clause(o.NextStep); q != "" {
			parts = append(parts, dr.t("changes_open_next", map[string]any{"Text": q}))
		}
		light := "⏳"
		if !o.Deadline.IsZero() && o.Deadline.Before(dr.asOf) {
			light = "🔴"
		}
		tl := o.TaskLine
		tl.Leader, tl.Status = "", ""
		out = append(out, dr.taskLine(light, tl, "")+dr.t("changes_open_tail", map[string]any{"Parts": strings.Join(parts, dr.t("changes_open_sep", nil))}))
	}
	return out
}

// lagging names the departments with overdue tasks, in the digest's order
// (most overdue first, then the ledger's order).
func (dr digestRenderer) lagging(d ledger.Digest) string {
	var names []string
	for _, ds := range d.Lagging() {
		names = append(names, dr.t("changes_lagging_one", map[string]any{"Department": esc(dr.f, ds.Name), "Count": strconv.Itoa(ds.ByLight[ledger.LightRed])}))
	}
	if len(names) == 0 {
		return dr.t("changes_lagging_none", nil)
	}
	return dr.t("changes_lagging", map[string]any{"Departments": strings.Join(names, dr.t("digest_list_sep", nil))})
}

// quote is a report or measure cut to one line and changesQuote
// characters, escaped for the format.
func (dr digestRenderer) quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	return esc(dr.f, truncateRunes(s, changesQuote))
}
