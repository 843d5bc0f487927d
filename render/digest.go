package render

import (
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// TitleRunes is how many runes of a task title a digest line shows.
const TitleRunes = 40

// Digest renders where a plan stands (SPEC §3 /digest) for a leader or a
// group: the totals by status and light, one line per department, the
// overdue tasks and those due soon. Lines are separated by "\n" and sections
// by a blank line; use DigestPages to fit Telegram's message limit.
func Digest(d ledger.Digest, lang Lang, f Format) string {
	dr := digestRenderer{l: NewLocalizer(lang), f: f, cal: d.Calendar, asOf: d.AsOf}
	return strings.Join(dr.lines(d), "\n")
}

type digestRenderer struct {
	l    *Localizer
	f    Format
	cal  ledger.Calendar // for the working days late
	asOf ledger.Date
}

func (dr digestRenderer) t(id string, data map[string]any) string { return dr.l.T(id, data) }

func (dr digestRenderer) lines(d ledger.Digest) []string {
	var out []string

	// Heading: title, date, and what the digest covers.
	out = append(out, bold(dr.f, dr.t("digest_title", nil))+dr.t("digest_as_of", map[string]any{"Date": dr.l.Date(d.AsOf)}))
	scope := dr.t("digest_all_plans", nil)
	if d.PlanTitle != "" {
		scope = esc(dr.f, d.PlanTitle)
	}
	if d.Department != "" {
		scope += " · " + esc(dr.f, d.Department)
	}
	out = append(out, scope)

	// Totals. Every status is shown, zeros included: this is the one line
	// where a reader looks for the complete breakdown, and a fixed layout
	// makes two digests easy to compare.
	out = append(out,
		dr.t("digest_total", map[string]any{"Count": d.Total, "Parts": dr.statusParts(d.ByStatus, d.StageDone, true, " · ")}),
		dr.doneLine(d),
		dr.t("digest_lights", map[string]any{
			"Red": d.ByLight[ledger.LightRed], "Yellow": d.ByLight[ledger.LightYellow],
			"Green": d.ByLight[ledger.LightGreen], "Overdue": d.Overdue,
		}))
	if line, ok := dr.awaitingLine(d); ok {
		out = append(out, line)
	}

	// Departments, in the order given. Zero statuses are left out here:
	// there are many lines and each should stay short.
	if len(d.Departments) > 0 {
		out = append(out, "", bold(dr.f, dr.t("digest_departments", nil)))
		sep := dr.t("digest_list_sep", nil)
		for _, dep := range d.Departments {
			out = append(out, dr.t("digest_department_line", map[string]any{
				"Name": esc(dr.f, dep.Name), "Count": dep.Total,
				"Parts": dr.statusParts(dep.ByStatus, dep.StageDone, false, sep),
				"Red":   dep.ByLight[ledger.LightRed], "Yellow": dep.ByLight[ledger.LightYellow],
			}))
		}
	}

	out = append(out, "")
	out = append(out, dr.section("digest_overdue", "digest_no_overdue", "🔴", d.OverdueList, dr.daysLate)...)
	out = append(out, "")
	out = append(out, dr.section("digest_due_soon", "digest_no_due_soon", "🟡", d.DueSoon, dr.daysLeft)...)
	if d.Changes != nil {
		out = append(out, dr.changes(*d.Changes, d)...)
	}
	return out
}

// statusParts lists the counts by status ("已销号 22 · 整改中 3 · …"). Not
// in ledger order, which starts with 未开始: a reader wants the outcome
// first, so closed and in progress lead. The long-term tasks done at their
// stage (stageDone, of the ongoing) are named after the ongoing count.
func (dr digestRenderer) statusParts(by map[ledger.Status]int, stageDone int, withZeros bool, sep string) string {
	order := []ledger.Status{ledger.StatusClosed, ledger.StatusInProgress, ledger.StatusPendingVerification, ledger.StatusNotStarted, ledger.StatusOngoing}
	var parts []string
	for _, s := range order {
		n := by[s]
		if n == 0 && !withZeros {
			continue
		}
		part := dr.t("digest_status_count", map[string]any{"Status": dr.statusName(s), "Count": n})
		if s == ledger.StatusOngoing && stageDone > 0 {
			part += dr.t("stage_digest_ongoing", map[string]any{"Stage": stageDone})
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, sep)
}

// doneLine is the outcome as the 通报 counts it: done (closed, or long-term
// with its stage goals met) and still being worked on (the rest).
func (dr digestRenderer) doneLine(d ledger.Digest) string {
	data := map[string]any{"Done": d.Done(), "Open": d.Total - d.Done(), "Stage": d.StageDone}
	if d.StageDone > 0 {
		return dr.t("stage_digest_done_with_stage", data)
	}
	return dr.t("stage_digest_done", data)
}

// awaitingLine says what waits for a decision, when anything does.
func (dr digestRenderer) awaitingLine(d ledger.Digest) (string, bool) {
	closures := d.ByStatus[ledger.StatusPendingVerification]
	if closures == 0 && d.DeadlineRequests == 0 {
		return "", false
	}
	return dr.t("digest_awaiting", map[string]any{"Closures": closures, "Deadlines": d.DeadlineRequests}), true
}

// statusName is the localised name of a status. The status_* ids are built
// here from the constants; TestStatusNames checks each exists.
func (dr digestRenderer) statusName(s ledger.Status) string {
	return dr.t("status_"+string(s), nil)
}

// section renders a heading with its count and one line per task, or a
// sentence saying the list is empty.
func (dr digestRenderer) section(headID, emptyID, light string, tasks []ledger.TaskLine, days func(ledger.TaskLine) string) []string {
	if len(tasks) == 0 {
		return []string{bold(dr.f, dr.t(headID, nil)) + dr.t("digest_section_count", map[string]any{"Count": 0}), dr.t(emptyID, nil)}
	}
	out := make([]string, 0, len(tasks)+1)
	out = append(out, bold(dr.f, dr.t(headID, nil))+dr.t("digest_section_count", map[string]any{"Count": len(tasks)}))
	for _, tl := range tasks {
		out = append(out, dr.taskLine(light, tl, days(tl)))
	}
	return out
}

// taskLine is "🔴 CODE title — department officer (leader: …), N days late".
// Parts that are unknown (no officer yet, say) are left out rather than
// shown empty.
func (dr digestRenderer) taskLine(light string, tl ledger.TaskLine, days string) string {
	var b strings.Builder
	b.WriteString(light)
	if tl.Code != "" {
		b.WriteString(" " + esc(dr.f, tl.Code))
	}
	if tl.Title != "" {
		b.WriteString(" " + esc(dr.f, truncateRunes(tl.Title, TitleRunes)))
	}
	// In progress is what a listed task normally is; any other status
	// changes what the reader should do (verify it, or chase a task that
	// has not started), so it is shown.
	if tl.Status != "" && tl.Status != ledger.StatusInProgress {
		b.WriteString(dr.t("digest_task_status", map[string]any{"Status": dr.statusName(tl.Status)}))
	}
	var who []string
	for _, s := range []string{tl.Department, tl.Officer} {
		if s != "" {
			who = append(who, esc(dr.f, s))
		}
	}
	if len(who) > 0 {
		b.WriteString(" — " + strings.Join(who, " "))
	}
	if tl.Leader != "" {
		b.WriteString(dr.t("digest_task_leader", map[string]any{"Leader": esc(dr.f, tl.Leader)}))
	}
	b.WriteString(days)
	return b.String()
}

func (dr digestRenderer) daysLate(tl ledger.TaskLine) string {
	return dr.t("digest_days_late", map[string]any{"Late": OverdueOn(dr.l, dr.cal, tl.Deadline, dr.asOf)})
}

func (dr digestRenderer) daysLeft(tl ledger.TaskLine) string {
	date := ""
	if !tl.Deadline.IsZero() {
		date = dr.l.Date(tl.Deadline)
	}
	if tl.Days <= 0 {
		return dr.t("digest_due_today", map[string]any{"Date": date})
	}
	return dr.t("digest_days_left", map[string]any{"Count": tl.Days, "Date": date})
}
