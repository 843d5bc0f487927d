package handlers

import (
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

// The deadline prompt's example is the end of next month: across a year's
// end, and in a leap February.
func TestDeadlineExampleIsTheEndOfNextMonth(t *testing.T) {
	for today, want := range map[ledger.Date]ledger.Date{
		ledger.MustDate(2026, 12, 5):  ledger.MustDate(2027, 1, 31),
		ledger.MustDate(2028, 1, 31):  ledger.MustDate(2028, 2, 29),
		ledger.MustDate(2021, 11, 1):  ledger.MustDate(2021, 12, 31),
		ledger.MustDate(2027, 10, 31): ledger.MustDate(2027, 11, 30),
	} {
		if got := deadlineExample(today); got != want {
			t.Errorf("today %s: example %s, want %s", today, got, want)
		}
	}
}
