package render

import (
	"math"
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// Overview renders the supervisors' ranking of the units (红黄榜, issue 11
// item 4): a heading, one line per unit in the ranked order — rank, short
// name, on-time rate, tasks and done, overdue (🔴) and due soon (🟡),
// closures and new deadlines awaiting a decision, days since the unit last
// reported — and how the rate is counted. Use OverviewPages to fit
// Telegram's message limit, OverviewPage for a slice of the ranking.
func Overview(ov ledger.Overview, lang Lang, f Format) string {
	return OverviewPage(ov, lang, f, 0, len(ov.Units))
}

// OverviewPages renders the whole ranking as messages of at most maxUnits
// UTF-16 code units each (see Paginate), a unit's line never split.
func OverviewPages(ov ledger.Overview, lang Lang, f Format, maxUnits int) []string {
	return Paginate(Overview(ov, lang, f), f, maxUnits)
}

// briefTop and briefBottom are the units OverviewBrief shows of a long
// ranking: the best (红榜) and the last (黄榜), where attention goes.
const (
	briefTop    = 10
	briefBottom = 20
)

// OverviewBrief renders the ranking as one message for a chat that cannot
// page through it (a group, a scheduled digest): every unit while they
// fit, else the best briefTop and the last briefBottom with how many are
// left out between and where the whole ranking is (/overview in a private
// chat). A province's thousands of units would otherwise be hundreds of
// messages into a group allowed 20 a minute.
func OverviewBrief(ov ledger.Overview, lang Lang, f Format) string {
	n := len(ov.Units)
	if n <= briefTop+briefBottom {
		return Overview(ov, lang, f)
	}
	r := overviewRenderer{l: NewLocalizer(lang), f: f, asOf: ov.AsOf}
	lines := []string{
		bold(f, r.t("overview_title", nil)) + r.t("overview_as_of", map[string]any{"Date": r.l.Date(ov.AsOf)}),
		r.t("overview_scope", map[string]any{"Count": n}), "",
	}
	for i := range briefTop {
		lines = append(lines, r.line(i+1, ov.Units[i]))
	}
	lines = append(lines, r.t("overview_omitted", map[string]any{"Count": n - briefTop - briefBottom}))
	for i := n - briefBottom; i < n; i++ {
		lines = append(lines, r.line(i+1, ov.Units[i]))
	}
	return strings.Join(append(lines, "", r.t("overview_note", nil), r.t("overview_whole", nil)), "\n")
}

// OverviewPage renders the heading and the units ranked from+1 to to (the
// bot's paged list): ranks stay those of the whole ranking.
func OverviewPage(ov ledger.Overview, lang Lang, f Format, from, to int) string {
	r := overviewRenderer{l: NewLocalizer(lang), f: f, asOf: ov.AsOf}
	lines := []string{
		bold(f, r.t("overview_title", nil)) + r.t("overview_as_of", map[string]any{"Date": r.l.Date(ov.AsOf)}),
	}
	if len(ov.Units) == 0 {
		return strings.Join(append(lines, r.t("overview_none", nil)), "\n")
	}
	lines = append(lines, r.t("overview_scope", map[string]any{"Count": len(ov.Units)}), "")
	from, to = max(from, 0), min(to, len(ov.Units))
	for i := from; i < to; i++ {
		lines = append(lines, r.line(i+1, ov.Units[i]))
	}
	return strings.Join(append(lines, "", r.t("overview_note", nil)), "\n")
}

type overviewRenderer struct {
	l    *Localizer
	f    Format
	asOf ledger.Date
}

func (r overviewRenderer) t(id string, data map[string]any) string { return r.l.T(id, data) }

// line is one unit: "1. 市委政法委：按期完成率 66.7%（2/3） · …".
func (r overviewRenderer) line(rank int, u ledger.UnitSummary) string {
	return r.t("overview_line", map[string]any{
		"Rank": rank, "Name": esc(r.f, UnitName(r.l, u)), "Rate": r.rate(u),
		"Tasks": u.Tasks, "Done": u.Done, "Overdue": u.Overdue, "Yellow": u.Yellow,
		"Closures": u.AwaitingClosure, "Deadlines": u.DeadlineRequests, "Reported": r.reported(u),
	})
}

// UnitName is how a unit is named on its line and its button: its short
// name, else its full name, else (a unit imported without a name) its
// number.
func UnitName(l *Localizer, u ledger.UnitSummary) string {
	if name := u.Label(); name != "" {
		return name
	}
	return l.T("overview_unnamed", map[string]any{"ID": u.UnitID})
}

func (r overviewRenderer) rate(u ledger.UnitSummary) string {
	rate, ok := u.OnTimeRate()
	if !ok {
		return r.t("overview_rate_none", nil)
	}
	return r.t("overview_rate", map[string]any{"Percent": Percent(rate, u.OnTime < u.Due), "OnTime": u.OnTime, "Due": u.Due})
}

func (r overviewRenderer) reported(u ledger.UnitSummary) string {
	days, ok := u.DaysSinceReport(r.asOf)
	switch {
	case !ok:
		return r.t("overview_never_reported", nil)
	case days == 0:
		return r.t("overview_reported_today", nil)
	}
	return r.t("overview_reported_days", map[string]any{"Count": days})
}

// Percent writes a rate as a percentage with at most one decimal (66.7,
// 50, 100). A rate short of the whole never shows as 100: 999 of 1,000 is
// 99.9, not a perfect record.
func Percent(rate float64, short bool) string {
	p := math.Round(rate*1000) / 10
	if short && p >= 100 {
		p = 99.9
	}
	return strconv.FormatFloat(p, 'f', -1, 64)
}
