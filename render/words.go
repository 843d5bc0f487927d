package render

import "github.com/rectibot/rectibot/ledger"

// Overdue is the one wording of how late a task is, wherever it is said
// (card, lists, /overdue, digests, reminders, escalations, group posts):
// working days, the scheduler's count, with the calendar days alongside
// when they differ — "已逾期 4 个工作日（6 天）", "4 working days overdue
// (6 days)". A task late only over days off says the calendar days. It is
// "" when the task is not late.
func Overdue(l *Localizer, late ledger.Lateness) string {
	switch {
	case !late.Late():
		return ""
	case late.Workdays == 0:
		return l.T("overdue_by_days", map[string]any{"Count": late.Days})
	case late.Workdays == late.Days:
		return l.T("overdue_by_workdays", map[string]any{"Count": late.Workdays})
	}
	return l.T("overdue_by", map[string]any{"Count": late.Workdays, "Days": late.Days})
}

// OverdueOn is Overdue for a deadline on day today, counted with cal (nil
// is China's calendar).
func OverdueOn(l *Localizer, cal ledger.Calendar, deadline, today ledger.Date) string {
	return Overdue(l, ledger.LatenessOn(cal, deadline, today))
}
