package handlers_test

import (
	"strings"
	"testing"
)

// TestAnyoneLearnsTheirTelegramID: /whoami answers anyone, a stranger
// included, with their id and nothing of the ledger.
func TestAnyoneLearnsTheirTelegramID(t *testing.T) {
	h := newHarness(t)
	const stranger = 4242
	reply := h.say(stranger, "/whoami")
	contains(t, reply, "您的 Telegram 用户 ID：4242", "RECTIBOT_ADMINS")
	if strings.Contains(reply.Text, "立行立改") || strings.Contains(reply.Text, "政治部") {
		t.Errorf("/whoami tells a stranger of the ledger:\n%s", reply.Text)
	}
	h.noRejections()
}
