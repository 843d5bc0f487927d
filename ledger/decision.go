package ledger

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// MaxReasonRunes bounds the reason of a refusal (a closure sent back, a new
// deadline refused) so the officer's message stays one message: a reason
// is a sentence or two, not a report.
const MaxReasonRunes = 1000

// Errors of CheckReason.
var (
	ErrReasonRequired = errors.New("a refusal needs a reason")
	ErrReasonTooLong  = errors.New("the reason is too long")
)

// CheckReason trims a refusal's reason and checks it is there and short
// enough; the chat and the Mini App both ask it.
func CheckReason(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", ErrReasonRequired
	case utf8.RuneCountInString(s) > MaxReasonRunes:
		return "", ErrReasonTooLong
	}
	return s, nil
}
