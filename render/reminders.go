package render

import (
	"slices"
	"strings"

	"github.com/rectibot/rectibot/ledger"
)

// ReminderKind is why a task is in a reminder message.
type ReminderKind string

// The kinds a reminder message lists, in the order of its sections.
const (
	RemindOverdue        ReminderKind = "overdue"         // late, to the officer
	RemindEscalateAdmins ReminderKind = "escalate_admins" // long late, to the admins
	RemindEscalateLeader ReminderKind = "escalate_leader" // late, to the leader
	RemindDue            ReminderKind = "reminder"        // due soon or today
	RemindCheckIn        ReminderKind = "check_in"        // a long-term task's check-in
)

var reminderSections = []ReminderKind{RemindOverdue, RemindEscalateAdmins, RemindEscalateLeader, RemindDue, RemindCheckIn}

// ReminderItem is one task in a reminder message.
type ReminderItem struct {
	Kind       ReminderKind
	Code       string
	Title      string
	Deadline   ledger.Date
	Days       int             // days left (reminder)
	Late       ledger.Lateness // how late (overdue, escalations): ledger.LatenessOn, as on the card
	Department string
	Officer    string
	Rhythm     string // check-in: 每月…
	// MayReport: the reader may report progress on the task as its officer
	// (ledger.AskedToReport), so the message invites a reply.
	MayReport bool
}

// Reminder renders one calm message listing everything due for a person:
// late first, then escalations, then what falls due, then check-ins. It ends
// with how to answer: reply, or the buttons, when the reader may report on
// one of the tasks; the buttons only for a leader's or admin's escalation.
func Reminder(l *Localizer, name string, items []ReminderItem) string {
	e := func(s string) string { return esc(FormatHTML, s) }
	var b strings.Builder
	b.WriteString(l.T("remind_greeting", map[string]any{"Name": e(name)}))
	for _, kind := range reminderSections {
		var lines []string
		for _, it := range items {
			if it.Kind != kind {
				continue
			}
			lines = append(lines, reminderLine(l, it))
		}
		if len(lines) == 0 {
			continue
		}
		b.WriteString("\n\n<b>" + l.T("remind_section_"+string(kind), map[string]any{"Count": len(lines)}) + "</b>\n")
		b.WriteString(strings.Join(lines, "\n"))
	}
	how := "remind_how_view"
	if slices.ContainsFunc(items, func(it ReminderItem) bool { return it.MayReport }) {
		how = "remind_how"
	}
	b.WriteString("\n\n" + l.T(how, nil))
	return b.String()
}

func reminderLine(l *Localizer, it ReminderItem) string {
	e := func(s string) string { return esc(FormatHTML, s) }
	head := "<b>" + e(it.Code) + "</b> " + e(truncateRunes(it.Title, TitleRunes))
	var tail string
	switch it.Kind {
	case RemindOverdue:
		tail = l.T("remind_late", map[string]any{"Late": Overdue(l, it.Late), "Date": l.Date(it.Deadline)})
	case RemindEscalateLeader, RemindEscalateAdmins:
		tail = l.T("remind_escalated", map[string]any{"Late": Overdue(l, it.Late), "Date": l.Date(it.Deadline),
			"Department": e(it.Department), "Officer": e(it.Officer)})
	case RemindDue:
		if it.Days == 0 {
			tail = l.T("when_today", nil)
		} else {
			tail = l.T("when_left", map[string]any{"Count": it.Days, "Date": l.Date(it.Deadline)})
		}
	case RemindCheckIn:
		tail = l.T("remind_check_in", map[string]any{"Rhythm": e(it.Rhythm)})
	}
	light := "🟡"
	switch it.Kind {
	case RemindOverdue, RemindEscalateLeader, RemindEscalateAdmins:
		light = "🔴"
	case RemindCheckIn:
		light = "🔁"
	}
	return light + " " + head + " — " + tail
}

// FollowUp renders the 回头看 question for one closed task.
func FollowUp(l *Localizer, code, title string, closedOn ledger.Date) string {
	e := func(s string) string { return esc(FormatHTML, s) }
	return l.T("followup_question", map[string]any{"Code": "<b>" + e(code) + "</b>", "Title": e(title), "Date": l.Date(closedOn)})
}

// PeopleAttention lists, for the admins, who the bot cannot reach: people
// not linked to Telegram yet and people who blocked the bot.
func PeopleAttention(l *Localizer, unlinked, blocked []string) string {
	e := func(names []string) string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = esc(FormatHTML, n)
		}
		return strings.Join(out, l.T("list_sep", nil))
	}
	if len(unlinked) == 0 && len(blocked) == 0 {
		return l.T("attention_none", nil)
	}
	var b strings.Builder
	b.WriteString("<b>" + l.T("attention_title", nil) + "</b>")
	if len(blocked) > 0 {
		b.WriteString("\n" + l.T("attention_blocked", map[string]any{"Count": len(blocked), "Names": e(blocked)}))
	}
	if len(unlinked) > 0 {
		b.WriteString("\n" + l.T("attention_unlinked", map[string]any{"Count": len(unlinked), "Names": e(unlinked)}))
	}
	return b.String()
}

// GroupEscalation is the notice a group that wants escalations gets about
// one late task.
func GroupEscalation(l *Localizer, it ReminderItem, leader string) string {
	return "🔴 " + l.T("group_escalation_title", nil) + "\n" + reminderLine(l, it) + "\n" +
		l.T("group_escalation_leader", map[string]any{"Leader": esc(FormatHTML, leader)})
}
