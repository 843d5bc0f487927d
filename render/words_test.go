package render

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// TestOverdueWording: working days first, the calendar days alongside when
// they differ, calendar days alone when the task is late only over days off.
func TestOverdueWording(t *testing.T) {
	zh, en := NewLocalizer(LangZh), NewLocalizer(LangEn)
	for _, c := range []struct {
		late   ledger.Lateness
		zh, en string
	}{
		{ledger.Lateness{}, "", ""},
		{ledger.Lateness{Workdays: 4, Days: 6}, "已逾期 4 个工作日（6 天）", "4 working days overdue (6 days)"},
		{ledger.Lateness{Workdays: 1, Days: 3}, "已逾期 1 个工作日（3 天）", "1 working day overdue (3 days)"},
		{ledger.Lateness{Workdays: 2, Days: 2}, "已逾期 2 个工作日", "2 working days overdue"},
		{ledger.Lateness{Workdays: 0, Days: 1}, "已逾期 1 天", "1 day overdue"},
	} {
		if got := Overdue(zh, c.late); got != c.zh {
			t.Errorf("zh %+v: %q, want %q", c.late, got, c.zh)
		}
		if got := Overdue(en, c.late); got != c.en {
			t.Errorf("en %+v: %q, want %q", c.late, got, c.en)
		}
	}
}

// TestReminderHintByRole: only a message with a task the reader may report
// on invites a reply.
func TestReminderHintByRole(t *testing.T) {
	l := NewLocalizer(LangZh)
	late := ledger.Lateness{Workdays: 4, Days: 6}
	officer := Reminder(l, "周杰", []ReminderItem{{Kind: RemindOverdue, Code: "6(2)", Late: late, MayReport: true}})
	leader := Reminder(l, "领导", []ReminderItem{{Kind: RemindEscalateLeader, Code: "6(2)", Late: late}})
	if want := l.T("remind_how", nil); !strings.Contains(officer, want) || strings.Contains(leader, want) {
		t.Errorf("reply hint: officer %q, leader %q", officer, leader)
	}
	if !strings.Contains(officer, "已逾期 4 个工作日（6 天）") || !strings.Contains(leader, "已逾期 4 个工作日（6 天）") {
		t.Errorf("lateness: officer %q, leader %q", officer, leader)
	}
}
