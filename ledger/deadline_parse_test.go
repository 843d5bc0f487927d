package ledger

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func dated2021(m time.Month, d int) Deadline { return Deadline{Date: MustDate(2021, m, d)} }

func TestParseDeadline(t *testing.T) {
	longTerm := func(r Recurrence) Deadline { return Deadline{LongTerm: true, Recurrence: r} }
	tests := []struct {
		in       string
		planYear int
		want     Deadline
	}{
		// Numeric forms.
		{"2021-06-30", 0, dated2021(6, 30)},
		{"2021-6-30", 0, dated2021(6, 30)},
		{"2021/6/30", 0, dated2021(6, 30)},
		{"2021.6.30", 0, dated2021(6, 30)},
		{"2024-02-29", 0, Deadline{Date: MustDate(2024, 2, 29)}},
		{"2000-01-01", 0, Deadline{Date: MustDate(2000, 1, 1)}},
		{"2100-12-31", 0, Deadline{Date: MustDate(2100, 12, 31)}},
		// Chinese forms, with and without a year.
		{"2021年6月30日", 0, dated2021(6, 30)},
		{"2021年6月30日前", 0, dated2021(6, 30)},
		{"2021年6月底前", 0, dated2021(6, 30)},
		{"2021年6月底", 0, dated2021(6, 30)},
		{"2021年2月底前", 0, dated2021(2, 28)},
		{"2024年2月底前", 0, Deadline{Date: MustDate(2024, 2, 29)}},
		{"2021年底前", 0, dated2021(12, 31)},
		{"6月底前", 2021, dated2021(6, 30)},
		{"6月底", 2021, dated2021(6, 30)},
		{"6月30日前", 2021, dated2021(6, 30)},
		{"6月30日", 2021, dated2021(6, 30)},
		{"2022年6月底前", 2021, Deadline{Date: MustDate(2022, 6, 30)}}, // a written year wins
		// The five Chinese-format deadlines of the Dongguan fixture.
		{"2021年9月30日", 2021, dated2021(9, 30)},
		{"2021年11月30日", 2021, dated2021(11, 30)},
		{"2021年10月底前", 2021, dated2021(10, 31)},
		{"8月底前", 2021, dated2021(8, 31)},
		// Long-term, with and without a recurrence.
		{"长期坚持", 0, longTerm(DefaultRecurrence)},
		{"长期坚持（每月）", 0, longTerm(Recurrence{Kind: RecurMonthly})},
		{"长期坚持(每季度)", 0, longTerm(Recurrence{Kind: RecurQuarterly})},
		{"长期坚持 (每半年)", 0, longTerm(Recurrence{Kind: RecurHalfYearly})},
		{"长期坚持（每年）", 0, longTerm(Recurrence{Kind: RecurYearly, Month: 12, Day: 31})},
		{"长期坚持（每年4月30日前）", 0, longTerm(Recurrence{Kind: RecurYearly, Month: 4, Day: 30})},
		{"长期坚持( 每年4月30日前 )", 0, longTerm(Recurrence{Kind: RecurYearly, Month: 4, Day: 30})},
		{"long-term", 0, longTerm(DefaultRecurrence)},
		{"Long term (quarterly)", 0, longTerm(Recurrence{Kind: RecurQuarterly})},
		{"ONGOING", 0, longTerm(DefaultRecurrence)},
		// Whitespace and full-width input.
		{"  2021-06-30\t", 0, dated2021(6, 30)},
		{"\u30002021年6月底前\u3000", 0, dated2021(6, 30)},
		{"２０２１－０６－３０", 0, dated2021(6, 30)},
		{"２０２１／６／３０", 0, dated2021(6, 30)},
		{"２０２１．６．３０", 0, dated2021(6, 30)},
		{"２０２１年６月３０日", 0, dated2021(6, 30)},
		{"８月底前", 2021, dated2021(8, 31)},
		{"长期坚持（每年４月３０日前）", 0, longTerm(Recurrence{Kind: RecurYearly, Month: 4, Day: 30})},
	}
	for _, tt := range tests {
		got, err := ParseDeadline(tt.in, tt.planYear)
		if err != nil {
			t.Errorf("ParseDeadline(%q, %d): %v", tt.in, tt.planYear, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDeadline(%q, %d) = %+v, want %+v", tt.in, tt.planYear, got, tt.want)
		}
	}
}

func TestParseDeadlineErrors(t *testing.T) {
	tests := []struct {
		in       string
		planYear int
		reason   string // a part of the reason
	}{
		{"", 2021, "empty"},
		{"   ", 2021, "empty"},
		{"2021-13-01", 0, "no such month"},
		{"2021-00-10", 0, "no such month"},
		{"2021年13月底前", 0, "no such month"},
		{"13月底前", 2021, "no such month"},
		{"2021-02-30", 0, "no such day (2021-02 has 28 days)"},
		{"2021-04-31", 0, "no such day"},
		{"2021-06-00", 0, "no such day"},
		{"2021年2月29日", 0, "no such day"},
		{"1999-06-30", 0, "outside 2000–2100"},
		{"2101-01-01", 0, "outside 2000–2100"},
		{"0000-01-01", 0, "outside"},
		{"6月底前", 0, "year is missing"},
		{"6月30日前", 0, "year is missing"},
		{"6月底前", 1999, "outside"},
		{"2021-06/30", 0, "mixed separators"},
		{"2021-006-30", 0, "not a date"},
		{"21-06-30", 0, "not a date"},
		{"2021-06", 0, "not a date"},
		{"2021年6月", 0, "not a date"},
		{"6-30", 2021, "not a date"},
		{"2021-06-30 12:00", 0, "not a date"},
		{"明年", 2021, "not a date"},
		{"长期", 0, "not a date"},
		{"长期坚持()", 0, "empty parentheses"},
		{"长期坚持（每周）", 0, `unknown recurrence "每周"`},
		{"长期坚持（每年2月30日前）", 0, "unknown recurrence"},
		{"长期坚持（每月", 0, "not a date"},
		{"长期坚持每月", 0, "not a date"},
		{"2021-06-30前", 0, "not a date"},
	}
	for _, tt := range tests {
		got, err := ParseDeadline(tt.in, tt.planYear)
		var de *DeadlineError
		if !errors.As(err, &de) {
			t.Errorf("ParseDeadline(%q, %d) = %+v, %v; want a *DeadlineError", tt.in, tt.planYear, got, err)
			continue
		}
		if de.Input != tt.in || !strings.Contains(de.Reason, tt.reason) {
			t.Errorf("ParseDeadline(%q, %d): %+v, want input %q and a reason containing %q", tt.in, tt.planYear, de, tt.in, tt.reason)
		}
		if got != (Deadline{}) {
			t.Errorf("ParseDeadline(%q, %d) returned %+v with its error", tt.in, tt.planYear, got)
		}
	}
}

func TestDeadlineErrorMessage(t *testing.T) {
	_, err := ParseDeadline("2021-13-01", 0)
	if got, want := err.Error(), `"2021-13-01": no such month`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = ParseDeadline("6月底前", 0)
	if got := err.Error(); !strings.HasPrefix(got, `"6月底前": `) || !strings.Contains(got, "plan year") {
		t.Errorf("Error() = %q, want the input and a word about the plan year", got)
	}
}

func TestFormatDeadline(t *testing.T) {
	tests := []struct {
		in   Deadline
		want string
	}{
		{Deadline{}, ""},
		{dated2021(6, 30), "2021-06-30"},
		{Deadline{Date: MustDate(2021, 5, 3)}, "2021-05-03"},
		{Deadline{LongTerm: true, Recurrence: DefaultRecurrence}, "长期坚持"},
		{Deadline{LongTerm: true, Recurrence: Recurrence{Kind: RecurYearly, Month: 4, Day: 30}}, "长期坚持"},
	}
	for _, tt := range tests {
		if got := FormatDeadline(tt.in); got != tt.want {
			t.Errorf("FormatDeadline(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParseDeadline: the parser never panics, what it accepts is a real day
// in range or long-term, and its result survives a format/parse round trip.
// A yearless date must read the same with the plan year as with it written.
func FuzzParseDeadline(f *testing.F) {
	const planYear = 2021
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDeadline(s, planYear)
		if err != nil {
			var de *DeadlineError
			if !errors.As(err, &de) || de.Input != s || de.Reason == "" {
				t.Fatalf("ParseDeadline(%q): error %v is not a complete *DeadlineError", s, err)
			}
			return
		}
		if d.LongTerm {
			if !d.Date.IsZero() || d.Recurrence.String() == "" {
				t.Fatalf("ParseDeadline(%q) = %+v: long-term with a date or without a recurrence", s, d)
			}
		} else {
			if _, ok := NewDate(d.Date.Year, d.Date.Month, d.Date.Day); !ok {
				t.Fatalf("ParseDeadline(%q) = %+v: not a real date", s, d)
			}
			if d.Date.Year < minDeadlineYear || d.Date.Year > maxDeadlineYear {
				t.Fatalf("ParseDeadline(%q) = %+v: year out of range", s, d)
			}
		}
		formatted := FormatDeadline(d)
		again, err := ParseDeadline(formatted, 0)
		if err != nil {
			t.Fatalf("ParseDeadline(%q) = %+v, formatted %q does not parse: %v", s, d, formatted, err)
		}
		if again.LongTerm != d.LongTerm || again.Date != d.Date {
			t.Fatalf("ParseDeadline(%q) = %+v, but its form %q parses to %+v", s, d, formatted, again)
		}
		if withoutPlan, err := ParseDeadline(s, 0); err == nil && withoutPlan != d {
			t.Fatalf("ParseDeadline(%q) depends on the plan year although it has its own", s)
		}
	})
}
