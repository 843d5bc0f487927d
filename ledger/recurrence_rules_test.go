package ledger

import (
	"strings"
	"testing"
	"time"
)

var (
	monthly    = Recurrence{Kind: RecurMonthly}
	quarterly  = Recurrence{Kind: RecurQuarterly}
	halfYearly = Recurrence{Kind: RecurHalfYearly}
	byApril30  = Recurrence{Kind: RecurYearly, Month: time.April, Day: 30}
	byYearEnd  = Recurrence{Kind: RecurYearly, Month: time.December, Day: 31}
	byFeb29    = Recurrence{Kind: RecurYearly, Month: time.February, Day: 29}
)

func TestRecurrenceForms(t *testing.T) {
	tests := []struct {
		r       Recurrence
		storage string
		chinese string
	}{
		{Recurrence{}, "", ""},
		{monthly, "monthly", "每月"},
		{quarterly, "quarterly", "每季度"},
		{halfYearly, "half-yearly", "每半年"},
		{byApril30, "yearly:04-30", "每年4月30日前"},
		{byYearEnd, "yearly:12-31", "每年12月31日前"},
		{byFeb29, "yearly:02-29", "每年2月29日前"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.storage {
			t.Errorf("%+v.String() = %q, want %q", tt.r, got, tt.storage)
		}
		if got := tt.r.Chinese(); got != tt.chinese {
			t.Errorf("%+v.Chinese() = %q, want %q", tt.r, got, tt.chinese)
		}
		// Both forms read back to the same recurrence.
		for _, form := range []string{tt.storage, tt.chinese} {
			got, err := ParseRecurrence(form)
			if err != nil || got != tt.r {
				t.Errorf("ParseRecurrence(%q) = %+v, %v; want %+v", form, got, err, tt.r)
			}
		}
	}
}

func TestParseRecurrence(t *testing.T) {
	tests := []struct {
		in   string
		want Recurrence
	}{
		{"  Monthly ", monthly},
		{"每季", quarterly},
		{"yearly", byYearEnd},
		{"每年", byYearEnd},
		{"yearly:4-30", byApril30},
		{"每年4月30日", byApril30},
		{"每年4月底前", byApril30},
		{"每年 4 月 30 日前", byApril30},
		{"每年２月底", byFeb29},
		{"每年１２月３１日前", byYearEnd},
	}
	for _, tt := range tests {
		got, err := ParseRecurrence(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseRecurrence(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRecurrenceErrors(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"weekly", "expected"},
		{"每周", "expected"},
		{"yearly:", "expected"},
		{"yearly:13-01", "no such month"},
		{"yearly:00-10", "no such month"},
		{"yearly:02-30", "no such day"},
		{"yearly:04-31", "no such day"},
		{"yearly:04-00", "no such day"},
		{"每年13月底前", "no such month"},
		{"每年4月31日前", "no such day"},
		{"monthly:05", "expected"},
	}
	for _, tt := range tests {
		got, err := ParseRecurrence(tt.in)
		if err == nil {
			t.Errorf("ParseRecurrence(%q) = %+v, want an error", tt.in, got)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.reason) || !strings.Contains(msg, tt.in) {
			t.Errorf("ParseRecurrence(%q): %q, want the input and %q", tt.in, msg, tt.reason)
		}
	}
}

func TestRecurrenceNext(t *testing.T) {
	d := MustDate
	tests := []struct {
		r     Recurrence
		after Date
		want  Date
	}{
		{monthly, d(2021, 1, 15), d(2021, 1, 31)},
		{monthly, d(2021, 1, 31), d(2021, 2, 28)}, // strictly after
		{monthly, d(2024, 1, 31), d(2024, 2, 29)},
		{monthly, d(2021, 12, 31), d(2022, 1, 31)},
		{monthly, d(2021, 4, 1), d(2021, 4, 30)},
		{quarterly, d(2021, 1, 1), d(2021, 3, 31)},
		{quarterly, d(2021, 3, 31), d(2021, 6, 30)},
		{quarterly, d(2021, 7, 1), d(2021, 9, 30)},
		{quarterly, d(2021, 9, 30), d(2021, 12, 31)},
		{quarterly, d(2021, 12, 31), d(2022, 3, 31)},
		{halfYearly, d(2021, 1, 1), d(2021, 6, 30)},
		{halfYearly, d(2021, 6, 30), d(2021, 12, 31)},
		{halfYearly, d(2021, 12, 31), d(2022, 6, 30)},
		{byApril30, d(2021, 4, 25), d(2021, 4, 30)},
		{byApril30, d(2021, 4, 30), d(2022, 4, 30)},
		{byApril30, d(2021, 9, 14), d(2022, 4, 30)},
		{byYearEnd, d(2021, 9, 14), d(2021, 12, 31)},
		{byYearEnd, d(2021, 12, 31), d(2022, 12, 31)},
		{byFeb29, d(2023, 1, 1), d(2023, 2, 28)}, // common year
		{byFeb29, d(2023, 2, 28), d(2024, 2, 29)},
		{byFeb29, d(2024, 2, 29), d(2025, 2, 28)},
		// Values ParseRecurrence never produces are made safe, not trusted.
		{Recurrence{Kind: RecurYearly}, d(2021, 5, 1), d(2021, 12, 31)},
		{Recurrence{Kind: RecurYearly, Month: 2, Day: 31}, d(2021, 1, 1), d(2021, 2, 28)},
		{Recurrence{}, d(2021, 5, 1), Date{}},
		{Recurrence{Kind: "weekly"}, d(2021, 5, 1), Date{}},
	}
	for _, tt := range tests {
		if got := tt.r.Next(tt.after); got != tt.want {
			t.Errorf("%v.Next(%v) = %v, want %v", tt.r, tt.after, got, tt.want)
		}
	}
}

// Every check-in day is strictly after the day asked about, and no check-in
// day lies between them: walking day by day over four years agrees with Next.
func TestRecurrenceNextWalk(t *testing.T) {
	isCheckIn := map[Recurrence]func(Date) bool{
		monthly:    func(d Date) bool { return d == LastDayOfMonth(d.Year, d.Month) },
		quarterly:  func(d Date) bool { return d.Month%3 == 0 && d == LastDayOfMonth(d.Year, d.Month) },
		halfYearly: func(d Date) bool { return d.Month%6 == 0 && d == LastDayOfMonth(d.Year, d.Month) },
		byApril30:  func(d Date) bool { return d.Month == 4 && d.Day == 30 },
		byFeb29:    func(d Date) bool { return d == LastDayOfMonth(d.Year, 2) },
	}
	for r, check := range isCheckIn {
		for day := MustDate(2021, 1, 1); day.Before(MustDate(2025, 1, 1)); day = day.AddDays(1) {
			want := day.AddDays(1)
			for !check(want) {
				want = want.AddDays(1)
			}
			if got := r.Next(day); got != want {
				t.Fatalf("%v.Next(%v) = %v, want %v", r, day, got, want)
			}
		}
	}
}
