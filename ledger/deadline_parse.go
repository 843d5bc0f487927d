package ledger

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DeadlineFormsExpected lists the 整改时限 forms ParseDeadline reads, for the
// importer's "row N, column 整改时限: <found>, expected <forms>" message.
const DeadlineFormsExpected = "2021-06-30, 2021/6/30, 2021年6月30日, 2021年6月底前, 6月底前 or 长期坚持"

// A deadline outside these years is a typo (202-06-30, 2201-06-30), never a
// real rectification deadline.
const (
	minDeadlineYear = 2000
	maxDeadlineYear = 2100
)

// DeadlineError says why a 整改时限 cell is not a deadline.
type DeadlineError struct {
	Input  string // the cell as written
	Reason string // e.g. "no such month"
}

func (e *DeadlineError) Error() string { return fmt.Sprintf("%q: %s", e.Input, e.Reason) }

var (
	// 2021-06-30, 2021/6/30, 2021.6.30; both separators must be the same,
	// which the check after matching enforces (RE2 has no backreferences).
	numericDateRe = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})$`)
	// [2021年]6月30日[前], [2021年]6月底[前].
	chineseDateRe = regexp.MustCompile(`^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(底))\s*前?$`)
	// 2021年底[前]: the usual way documents say "by the end of the year".
	yearEndRe = regexp.MustCompile(`^(\d{4})\s*年\s*底\s*前?$`)
	// 长期坚持[(每月)]; the input is lower-cased before matching.
	longTermRe = regexp.MustCompile(`^(?:长期坚持|long-?\s?term|ongoing)\s*(\([^()]*\))?$`)
)

// ParseDeadline reads a 整改时限 cell (SPEC §5). A date written without a
// year (6月底前) takes planYear; with planYear 0 it is an error, because
// guessing the year of a rectification deadline would silently misdate it.
// Full-width digits and punctuation are read as their ASCII forms, since
// Chinese input methods produce them. Every error is a *DeadlineError.
func ParseDeadline(s string, planYear int) (Deadline, error) {
	fail := func(reason string) (Deadline, error) {
		return Deadline{}, &DeadlineError{Input: s, Reason: reason}
	}
	t := strings.ToLower(strings.TrimSpace(foldWidth(s)))
	if t == "" {
		return fail("empty")
	}

	if m := longTermRe.FindStringSubmatch(t); m != nil {
		d := Deadline{LongTerm: true, Recurrence: DefaultRecurrence}
		if m[1] == "" {
			return d, nil
		}
		inner := strings.TrimSpace(m[1][1 : len(m[1])-1])
		if inner == "" {
			return fail("empty parentheses after 长期坚持; write e.g. 长期坚持（每月）")
		}
		r, err := ParseRecurrence(inner)
		if err != nil {
			return fail(fmt.Sprintf("unknown recurrence %q; expected %s", inner, RecurrenceFormsExpected))
		}
		d.Recurrence = r
		return d, nil
	}

	if m := numericDateRe.FindStringSubmatch(t); m != nil {
		if m[2] != m[4] {
			return fail(fmt.Sprintf("mixed separators %q and %q", m[2], m[4]))
		}
		return dated(s, atoi(m[1]), atoi(m[3]), m[5])
	}

	if m := chineseDateRe.FindStringSubmatch(t); m != nil {
		year := planYear
		if m[1] != "" {
			year = atoi(m[1])
		} else if planYear == 0 {
			return fail("the year is missing and no plan year is set; write it as 2021年6月底前")
		}
		day := m[3]
		if m[4] != "" { // 底: the last day of the month
			day = ""
		}
		return dated(s, year, atoi(m[2]), day)
	}

	if m := yearEndRe.FindStringSubmatch(t); m != nil {
		return dated(s, atoi(m[1]), int(time.December), "")
	}

	return fail("not a date or 长期坚持")
}

// dated checks year, month and day in that order, so the reason names the
// first thing wrong. An empty day means the last day of the month.
func dated(input string, year, month int, day string) (Deadline, error) {
	fail := func(reason string) (Deadline, error) {
		return Deadline{}, &DeadlineError{Input: input, Reason: reason}
	}
	if year < minDeadlineYear || year > maxDeadlineYear {
		return fail(fmt.Sprintf("year %d is outside %d–%d", year, minDeadlineYear, maxDeadlineYear))
	}
	if month < 1 || month > 12 {
		return fail("no such month")
	}
	last := LastDayOfMonth(year, time.Month(month))
	if day == "" {
		return Deadline{Date: last}, nil
	}
	dd, ok := NewDate(year, time.Month(month), atoi(day))
	if !ok {
		return fail(fmt.Sprintf("no such day (%04d-%02d has %d days)", year, month, last.Day))
	}
	return Deadline{Date: dd}, nil
}

// FormatDeadline writes a deadline as the 台账 does: YYYY-MM-DD or 长期坚持,
// and "" for none. ParseDeadline reads the result back to the same deadline,
// except that a long-term deadline's recurrence is not written (the 台账
// column has no room for it; Recurrence.Chinese gives it when wanted).
func FormatDeadline(d Deadline) string {
	switch {
	case d.LongTerm:
		return "长期坚持"
	case d.Date.IsZero():
		return ""
	default:
		return d.Date.String()
	}
}

// atoi converts a string the regexps above matched as 1–4 ASCII digits, so
// it cannot fail or overflow.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// foldWidth maps full-width ASCII variants (０-９, （）, －／．, ｌｏｎｇ…) to
// ASCII and the ideographic space to a space, so that text typed with a
// Chinese input method reads like its half-width twin.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～': // U+FF01..U+FF5E mirror U+0021..U+007E
			return r - '！' + '!'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}
