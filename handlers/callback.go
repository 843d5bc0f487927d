package handlers

import (
	"errors"
	"strconv"
	"strings"
)

// Callback data carries ids only, never authority: "prefix:id[:arg]", at
// most 64 bytes. Every press is re-checked against the ledger.
const (
	cbOpenTask   = "t"  // t:<task>            open a task card
	cbTasksPage  = "tp" // tp:<page>           page of /tasks
	cbReport     = "r"  // r:<task>            start /report on a task
	cbReportStep = "rs" // rs:0:<choice>       a choice in the report dialogue
	cbReplyTask  = "ry" // ry:<task>           which task a reply is about
	cbReplyOK    = "ro" // ro:0:<yes|no>       confirm recording a reply
	cbApprove    = "va" // va:<task>[:p<page>] approve a closure; va:0:p<page> pages /verify
	cbReject     = "vr" // vr:<task>[:p<page>] reject a closure (asks why)
	cbInvitePick = "ip" // ip:<person>|ip:0:p<page>
	cbInviteRole = "ir" // ir:<person>:<role>
	cbGroup      = "g"  // g:<department>:<toggle>  group subscriptions
	cbLang       = "l"  // l:0:<zh|en>
	cbCancel     = "x"  // x                   leave the dialogue
)

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

type callbackData struct {
	Prefix string
	ID     uint
	Arg    string
}

var errBadCallback = errors.New("malformed callback data")

// encode writes the data; it panics on data that could not be sent, which
// is a programming error (ids and args are the code's own).
func (c callbackData) encode() string {
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
	if len(s) > maxCallbackData || !validArg(c.Arg) || !validPrefix(c.Prefix) {
		panic("handlers: unsendable callback data " + strconv.Quote(s))
	}
	return s
}

func cb(prefix string, id uint, arg string) string {
	return callbackData{Prefix: prefix, ID: id, Arg: arg}.encode()
}

// parseCallback reads callback data strictly: anything not of the form the
// bot writes is refused (a client can send any bytes).
func parseCallback(s string) (callbackData, error) {
	if s == "" || len(s) > maxCallbackData {
		return callbackData{}, errBadCallback
	}
	parts := strings.SplitN(s, ":", 3)
	c := callbackData{Prefix: parts[0]}
	if !validPrefix(c.Prefix) {
		return callbackData{}, errBadCallback
	}
	if len(parts) > 1 {
		id, err := strconv.ParseUint(parts[1], 10, 32)
		if err != nil || (parts[1] != "0" && strings.HasPrefix(parts[1], "0")) {
			return callbackData{}, errBadCallback
		}
		c.ID = uint(id)
	}
	if len(parts) > 2 {
		if parts[2] == "" || !validArg(parts[2]) {
			return callbackData{}, errBadCallback
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
