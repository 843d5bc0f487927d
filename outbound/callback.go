package outbound

import (
	"errors"
	"strconv"
	"strings"
)

// Callback data carries ids only, never authority: "prefix:id[:arg]", at
// most 64 bytes. Every press is re-checked against the ledger by the
// handlers. The codec lives here, beside the message types, because the
// scheduler's reminders carry buttons the handlers answer.

// Prefixes shared by the scheduler's messages and the handlers.
const (
	PrefixOpenTask = "t"  // t:<task>        open a task card
	PrefixReport   = "r"  // r:<task>        start /report on a task
	PrefixFollowUp = "fu" // fu:<task>:<yes|no>  answer a follow-up review (回头看)
)

// MaxCallbackData is Telegram's limit on callback_data, in bytes.
const MaxCallbackData = 64

type CallbackData struct {
	Prefix string
	ID     uint
	Arg    string
}

// ErrBadCallback is a press whose data the bot never wrote.
var ErrBadCallback = errors.New("malformed callback data")

// encode writes the data; it panics on data that could not be sent, which
// is a programming error (ids and args are the code's own).
func (c CallbackData) Encode() string {
	var b strings.Builder
	b.WriteString(c.Prefix)
	if c.ID != 0 || c.Arg != "" {
		b.WriteByte(':')
		b.WriteString(strconv.FormatUint(uint64(c.ID), 10))
	}
	if c.Arg != "" {
		b.WriteByte(':')
		b.WriteString(c.Arg)
	}
	s := b.String()
	if len(s) > MaxCallbackData || !validArg(c.Arg) || !validPrefix(c.Prefix) {
		panic("outbound: unsendable callback data " + strconv.Quote(s))
	}
	return s
}

// Data builds callback data; see CallbackData.Encode.
func Data(prefix string, id uint, arg string) string {
	return CallbackData{Prefix: prefix, ID: id, Arg: arg}.Encode()
}

// ParseData reads callback data strictly: anything not of the form the
// bot writes is refused (a client can send any bytes).
func ParseData(s string) (CallbackData, error) {
	if s == "" || len(s) > MaxCallbackData {
		return CallbackData{}, ErrBadCallback
	}
	parts := strings.SplitN(s, ":", 3)
	c := CallbackData{Prefix: parts[0]}
	if !validPrefix(c.Prefix) {
		return CallbackData{}, ErrBadCallback
	}
	if len(parts) > 1 {
		id, err := strconv.ParseUint(parts[1], 10, 32)
		if err != nil || (parts[1] != "0" && strings.HasPrefix(parts[1], "0")) {
			return CallbackData{}, ErrBadCallback
		}
		c.ID = uint(id)
	}
	if len(parts) > 2 {
		if parts[2] == "" || !validArg(parts[2]) {
			return CallbackData{}, ErrBadCallback
		}
		c.Arg = parts[2]
	}
	return c, nil
}

func validPrefix(p string) bool {
	if p == "" || len(p) > 3 {
		return false
	}
	for _, r := range p {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func validArg(a string) bool {
	if len(a) > 32 {
		return false
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
