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

// When says how a task stands against its deadline on day today: "逾期 3
// 天", "还剩 5 天(2021-11-30)", "长期坚持(每月)", or the date when closed.
func When(l *Localizer, status ledger.Status, dl ledger.Deadline, today ledger.Date) string {
	switch {
	case dl.LongTerm:
		return l.T("when_long_term", map[string]any{"Rhythm": recurrenceName(l, dl.Recurrence)})
	case dl.Date.IsZero():
		return ""
	case status == ledger.StatusClosed:
		return dl.Date.String()
	case today.After(dl.Date):
		return l.T("when_late", map[string]any{"Count": dl.Date.DaysUntil(today)})
	case today == dl.Date:
		return l.T("when_today", nil)
	default:
		return l.T("when_left", map[string]any{"Count": today.DaysUntil(dl.Date), "Date": dl.Date.String()})
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
}

// TaskLine renders one list line: light, code, title, status and when.
func TaskLine(l *Localizer, it ListItem, today ledger.Date, th ledger.LightThresholds) string {
	light := ledger.LightOf(it.Status, it.Deadline.Date, today, th)
	parts := []string{LightEmoji(light) + " <b>" + esc(FormatHTML, it.Code) + "</b> " + esc(FormatHTML, truncateRunes(it.Title, TitleRunes))}
	meta := StatusName(l, it.Status)
	if w := When(l, it.Status, it.Deadline, today); w != "" {
		meta += " · " + w
	}
	if it.Who != "" {
		meta += " · " + esc(FormatHTML, it.Who)
	}
	return strings.Join(parts, "") + "\n    " + meta
}

// Card is everything a task card shows.
type Card struct {
	Code, Title, ProblemTitle, Detail, Category, PlanTitle string
	Department, Officer, Leader                            string
	Status                                                 ledger.Status
	Deadline                                               ledger.Deadline
	OriginalDeadline                                       ledger.Date
	Measures                                               []CardMeasure
	Progress                                               []CardProgress // newest first
	ProgressCount                                          int
}

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
	cardDetailRunes   = 300
)

// TaskCard renders a task card in Telegram HTML.
func TaskCard(l *Localizer, c Card, today ledger.Date, th ledger.LightThresholds) string {
	e := func(s string) string { return esc(FormatHTML, s) }
	light := ledger.LightOf(c.Status, c.Deadline.Date, today, th)
	var b strings.Builder
	b.WriteString(LightEmoji(light) + " <b>" + e(c.Code) + " " + e(truncateRunes(c.Title, 80)) + "</b>\n")
	status := StatusName(l, c.Status)
	if w := When(l, c.Status, c.Deadline, today); w != "" {
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
		dl := c.Deadline.Date.String()
		if !c.OriginalDeadline.IsZero() && c.OriginalDeadline != c.Deadline.Date {
			dl = l.T("card_deadline_moved", map[string]any{"Date": dl, "Original": c.OriginalDeadline.String()})
		}
		b.WriteString(l.T("card_deadline", map[string]any{"Date": dl}) + "\n")
	}
	if len(c.Measures) > 0 {
		b.WriteString("\n<b>" + l.T("card_measures", nil) + "</b>\n")
		for i, m := range c.Measures {
			if i == cardMeasures {
				b.WriteString(l.T("card_more", map[string]any{"Count": len(c.Measures) - cardMeasures}) + "\n")
				break
			}
			box := "☐ "
			if m.Done {
				box = "☑ "
			}
			b.WriteString(box + e(truncateRunes(m.Text, cardMeasureRunes)) + "\n")
		}
	}
	b.WriteString("\n<b>" + l.T("card_progress", map[string]any{"Count": c.ProgressCount}) + "</b>\n")
	if len(c.Progress) == 0 {
		b.WriteString(l.T("card_no_progress", nil) + "\n")
	}
	for _, p := range c.Progress {
		line := "· " + p.At.Format("2006-01-02")
		if p.Author != "" {
			line += " " + e(p.Author)
		}
		line += ":" + e(truncateRunes(p.Text, cardProgressRunes))
		if p.Attachments > 0 {
			line += " " + l.T("card_attachments", map[string]any{"Count": p.Attachments})
		}
		b.WriteString(line + "\n")
	}
	if c.Status != ledger.StatusClosed {
		b.WriteString("\n" + l.T("card_reply_hint", nil))
	}
	return strings.TrimRight(b.String(), "\n")
}
