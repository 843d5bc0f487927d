package render

import (
	"strings"
	"time"

	"github.com/rectibot/rectibot/ledger"
)

// LightEmoji is how a traffic light shows in a chat.
func LightEmoji(l ledger.Light) string {
	switch l {
	case ledger.LightRed:
		return "🔴"
	case ledger.LightYellow:
		return "🟡"
	}
	return "🟢"
}

// StatusName is the status in the reader's language.
func StatusName(l *Localizer, s ledger.Status) string { return l.T("status_"+string(s), nil) }

// When says how a task stands against its deadline on day today: "已逾期
// 4 个工作日（6 天）" (Overdue, working days of cal), "还剩 5 天(2021-11-30)",
// "长期坚持(每月)", or the date when closed.
func When(l *Localizer, status ledger.Status, dl ledger.Deadline, today ledger.Date, cal ledger.Calendar) string {
	switch {
	case dl.LongTerm:
		return l.T("when_long_term", map[string]any{"Rhythm": recurrenceName(l, dl.Recurrence)})
	case dl.Date.IsZero():
		return ""
	case status == ledger.StatusClosed:
		return l.Date(dl.Date)
	case today.After(dl.Date):
		return OverdueOn(l, cal, dl.Date, today)
	case today == dl.Date:
		return l.T("when_today", nil)
	default:
		return l.T("when_left", map[string]any{"Count": today.DaysUntil(dl.Date), "Date": l.Date(dl.Date)})
	}
}

func recurrenceName(l *Localizer, r ledger.Recurrence) string {
	if l.Lang() == LangZh {
		return r.Chinese()
	}
	return r.String()
}

// ListItem is one task in a list message.
type ListItem struct {
	Code     string
	Title    string
	Status   ledger.Status
	Deadline ledger.Deadline
	Who      string // "department officer", when the reader is not the officer
	Plan     string // the plan's short label, when the list spans several plans
}

// TaskLine renders one list line: light, code, title, status and when.
func TaskLine(l *Localizer, it ListItem, today ledger.Date, cal ledger.Calendar, th ledger.LightThresholds) string {
	light := ledger.LightOf(it.Status, it.Deadline.Date, today, th)
	parts := []string{LightEmoji(light) + " <b>" + esc(FormatHTML, it.Code) + "</b> " + esc(FormatHTML, truncateRunes(it.Title, TitleRunes))}
	meta := StatusName(l, it.Status)
	if w := When(l, it.Status, it.Deadline, today, cal); w != "" {
		meta += " · " + w
	}
	if it.Who != "" {
		meta += " · " + esc(FormatHTML, it.Who)
	}
	if it.Plan != "" {
		meta += " · " + esc(FormatHTML, it.Plan)
	}
	return strings.Join(parts, "") + "\n    " + meta
}

// Card is everything a task card shows. StageDone is the day a long-term
// task was marked done at its stage (阶段性完成); zero when not.
type Card struct {
	Code, Title, ProblemTitle, Detail, Category, PlanTitle string
	Department, Officer, Leader                            string
	Status                                                 ledger.Status
	Deadline                                               ledger.Deadline
	OriginalDeadline                                       ledger.Date
	Measures                                               []CardMeasure
	Progress                                               []CardProgress // newest first
	ProgressCount                                          int
	StageDone                                              ledger.Date
	Files                                                  int                  // on every entry
	DeadlineRequest                                        *CardDeadlineRequest // an officer's new deadline awaiting approval
	DeadlineChanges                                        []CardDeadlineChange // approved changes, oldest first
	Hint                                                   CardHint             // the last line: what the reader can do
}

// CardHint is what a card tells its reader they can do with it, by their
// part in the task: only the officer who may report is told to reply.
type CardHint int

// The hints a card may end with.
const (
	HintNone   CardHint = iota // nothing to do here (a leader's or admin's card of an open task, a closed task)
	HintReply                  // the reader may report progress: reply to the card
	HintVerify                 // a closure waits for the reader's review
)

// CardDeadlineRequest is a new deadline asked for and not yet decided: the
// original deadline stands meanwhile.
type CardDeadlineRequest struct {
	New    ledger.Date
	Reason string
	By     string
	At     time.Time
}

// CardDeadlineChange is an approved change of the deadline.
type CardDeadlineChange struct {
	Old, New   ledger.Date
	Reason     string
	ApprovedBy string // "" for the office at the command line
}

// approverName is who approved: a person, or the office at the command line.
func approverName(l *Localizer, name string) string {
	if name == "" {
		return l.T("role_admin", nil)
	}
	return name
}

// cardReasonRunes bounds a reason on the card; the ledger keeps it whole.
const cardReasonRunes = 200

// CardMeasure is one item of 整改措施.
type CardMeasure struct {
	Text string
	Done bool
}

// CardProgress is one progress entry.
type CardProgress struct {
	At          time.Time // in the plan's zone
	Author      string
	Text        string
	Attachments int
}

// Card limits keep a card inside one message (4096 characters) whatever the
// ledger holds; the full texts are in the export and the report.
const (
	cardMeasureRunes  = 160
	cardMeasures      = 8
	cardProgressRunes = 300
	// CardLatestRunes is how much of the latest report a card shows; a
	// longer one is sent whole by the 佐证材料 button.
	CardLatestRunes = 1500
	cardDetailRunes = 300
)

// TaskCard renders a task card in Telegram HTML.
func TaskCard(l *Localizer, c Card, today ledger.Date, cal ledger.Calendar, th ledger.LightThresholds) string {
	e := func(s string) string { return esc(FormatHTML, s) }
	light := ledger.LightOf(c.Status, c.Deadline.Date, today, th)
	var b strings.Builder
	b.WriteString(LightEmoji(light) + " <b>" + e(c.Code) + " " + e(truncateRunes(c.Title, 80)) + "</b>\n")
	status := StatusName(l, c.Status)
	if !c.StageDone.IsZero() {
		status += " · " + l.T("stage_card", map[string]any{"Date": l.Date(c.StageDone)})
	}
	if w := When(l, c.Status, c.Deadline, today, cal); w != "" {
		status += " · " + w
	}
	b.WriteString(status + "\n")
	if c.Title != c.ProblemTitle && c.ProblemTitle != "" {
		b.WriteString(l.T("card_problem", map[string]any{"Title": e(truncateRunes(c.ProblemTitle, 80))}) + "\n")
	}
	if c.Detail != "" && c.Detail != c.Title {
		b.WriteString("<i>" + e(truncateRunes(c.Detail, cardDetailRunes)) + "</i>\n")
	}
	b.WriteString(l.T("card_people", map[string]any{"Department": e(c.Department), "Officer": e(c.Officer), "Leader": e(c.Leader)}) + "\n")
	if !c.Deadline.LongTerm && !c.Deadline.Date.IsZero() {
		dl := l.Date(c.Deadline.Date)
		if !c.OriginalDeadline.IsZero() && c.OriginalDeadline != c.Deadline.Date {
			dl = l.T("card_deadline_moved", map[string]any{"Date": dl, "Original": l.Date(c.OriginalDeadline)})
		}
		b.WriteString(l.T("card_deadline", map[string]any{"Date": dl}) + "\n")
	}
	for _, ch := range c.DeadlineChanges {
		b.WriteString(l.T("card_deadline_change", map[string]any{"Old": l.Date(ch.Old), "New": l.Date(ch.New),
			"Reason": e(truncateRunes(ch.Reason, cardReasonRunes)), "Approver": e(approverName(l, ch.ApprovedBy))}) + "\n")
	}
	if rq := c.DeadlineRequest; rq != nil {
		b.WriteString("📅 " + l.T("card_deadline_request", map[string]any{"New": l.Date(rq.New), "Who": e(rq.By),
			"Date": l.Date(ledger.DateOf(rq.At)), "Reason": e(truncateRunes(rq.Reason, cardReasonRunes))}) + "\n")
	}
	b.WriteString(cardMeasureLines(l, c.Measures))
	b.WriteString("\n<b>" + l.T("card_progress", map[string]any{"Count": c.ProgressCount}) + "</b>")
	if c.Files > 0 {
		b.WriteString(" " + l.T("card_attachments", map[string]any{"Count": c.Files}))
	}
	b.WriteString("\n")
	if len(c.Progress) == 0 {
		b.WriteString(l.T("card_no_progress", nil) + "\n")
	}
	for i, p := range c.Progress {
		line := "· " + l.Date(ledger.DateOf(p.At))
		limit := cardProgressRunes
		if i == 0 {
			// The latest report is what a leader signs off on: whole, up to
			// what a card can hold; the 佐证材料 button sends it all.
			line, limit = "· "+l.Time(p.At), CardLatestRunes
		}
		if p.Author != "" {
			line += " " + e(p.Author)
		}
		line += ":" + e(truncateRunes(p.Text, limit))
		if p.Attachments > 0 {
			line += " " + l.T("card_attachments", map[string]any{"Count": p.Attachments})
		}
		b.WriteString(line + "\n")
	}
	switch {
	case c.Status == ledger.StatusClosed:
	case c.Hint == HintReply:
		b.WriteString("\n" + l.T("card_reply_hint", nil))
	case c.Hint == HintVerify:
		b.WriteString("\n" + l.T("card_verify_hint", nil))
	}
	return strings.TrimRight(b.String(), "\n")
}
