package miniapp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/miniapp"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// recordingSender stands for the bot's SendEvidence: who asked for which
// file (the handlers' tests cover what the bot then sends).
type recordingSender struct {
	calls []string
	err   error
}

func (s *recordingSender) SendEvidence(_ context.Context, tg int64, attachment uint) error {
	s.calls = append(s.calls, fmt.Sprintf("attachment %d to %d", attachment, tg))
	return s.err
}

// TestEvidenceIsSentToTheSignersChat: 发到与助手的对话 asks the bot to send
// the file to whoever Telegram signed, never to a user the request
// claims; the bot's refusals come back as codes the page translates.
func TestEvidenceIsSentToTheSignersChat(t *testing.T) {
	s := &recordingSender{}
	h := newHarnessWith(t, func(d *miniapp.Deps) { d.Send = s })
	h.linkEveryone()
	lead := "tma " + h.initData(politLeadID, "zh-hans")

	status, body := h.post(lead, "evidence/7/send?user=2002", "", map[string]string{"X-Telegram-User": "2002"})
	if status != http.StatusOK || len(s.calls) != 1 || s.calls[0] != fmt.Sprintf("attachment 7 to %d", politLeadID) {
		t.Fatalf("send: %d %s; the bot was asked %q", status, body, s.calls)
	}
	for _, c := range []struct {
		name, auth, path string
		want             int
	}{
		{"no initData", "", "evidence/7/send", http.StatusUnauthorized},
		{"tampered initData", "tma " + strings.Replace(h.initData(politLeadID, "zh"), "auth_date=", "auth_date=1", 1), "evidence/7/send", http.StatusUnauthorized},
		{"a stranger", "tma " + h.initData(strangerID, "zh"), "evidence/7/send", http.StatusForbidden},
		{"no id", lead, "evidence/0/send", http.StatusNotFound},
		{"not a number", lead, "evidence/x/send", http.StatusNotFound},
	} {
		if status, body := h.post(c.auth, c.path, "", nil); status != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, status, body, c.want)
		}
	}
	if len(s.calls) != 1 {
		t.Errorf("refused requests reached the bot: %q", s.calls[1:])
	}

	for _, c := range []struct {
		err  error
		want int
		code string
	}{
		{&ledger.DeniedError{Action: ledger.ActViewTask}, http.StatusForbidden, "forbidden"},
		{fmt.Errorf("attachment 7: %w", models.ErrNotFound), http.StatusForbidden, "forbidden"},
		{fmt.Errorf("send: %w", outbound.ErrUnreachable), http.StatusConflict, "blocked"},
		{&outbound.FilesRefusedError{Err: outbound.ErrRejected}, http.StatusNotFound, "file_gone"},
		{errors.New("database gone"), http.StatusServiceUnavailable, "try_later"},
	} {
		s.err = c.err
		status, body := h.post(lead, "evidence/7/send", "", nil)
		if status != c.want || string(body) != `{"error":"`+c.code+`"}`+"\n" {
			t.Errorf("the bot's %v: %d %s, want %d %s", c.err, status, body, c.want, c.code)
		}
	}
}
