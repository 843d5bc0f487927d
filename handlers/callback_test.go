package handlers

import (
	"strings"
	"testing"
)

func TestCallbackDataRoundTrip(t *testing.T) {
	cases := []callbackData{
		{Prefix: cbOpenTask, ID: 12},
		{Prefix: cbTasksPage, ID: 3},
		{Prefix: cbInviteRole, ID: 4294967295, Arg: "officer"},
		{Prefix: cbLang, Arg: "en"},
		{Prefix: cbCancel},
	}
	for _, c := range cases {
		s := c.Encode()
		if len(s) > maxCallbackData {
			t.Errorf("%q is %d bytes", s, len(s))
		}
		got, err := parseCallback(s)
		if err != nil || got != c {
			t.Errorf("parse(%q) = %+v, %v; want %+v", s, got, err, c)
		}
	}
}

func TestCallbackDataRefusesWhatTheBotNeverWrites(t *testing.T) {
	for _, s := range []string{"", "T:1", "t:-1", "t:01", "t:1:", "t:1:a b", "t:99999999999", "toolong:1",
		"t:1:" + strings.Repeat("a", 33), strings.Repeat("t", 65), "t:1:<script>", "t：１"} {
		if c, err := parseCallback(s); err == nil {
			t.Errorf("parseCallback(%q) accepted: %+v", s, c)
		}
	}
}

func FuzzParseCallback(f *testing.F) {
	for _, s := range []string{"t:1", "tp:2", "ir:3:leader", "l:0:en", "x", "va:18446744073709551615", "rs:0:done", "g:0:digests"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCallback(s)
		if err != nil {
			return
		}
		// Whatever parses re-encodes to the same bytes and fits Telegram's limit.
		again := c.Encode()
		if len(again) > maxCallbackData {
			t.Fatalf("%q parsed to %+v which encodes to %d bytes", s, c, len(again))
		}
		if c2, err := parseCallback(again); err != nil || c2 != c {
			t.Fatalf("%q: round trip %+v → %q → %+v, %v", s, c, again, c2, err)
		}
	})
}
