package miniapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/miniapp"
	"github.com/rectibot/rectibot/models"
)

// recordingDecider stands for the bot's conversations: it records who
// asked what and answers with err (the handlers' own tests cover what a
// decision does).
type recordingDecider struct {
	mu    sync.Mutex
	calls []string
	err   error
}

func (d *recordingDecider) DecideClosure(_ context.Context, tg int64, task uint, approve bool, reason string) error {
	return d.record(fmt.Sprintf("closure %d by %d approve=%v reason=%q", task, tg, approve, reason))
}

func (d *recordingDecider) DecideDeadline(_ context.Context, tg int64, req uint, approve bool, reason string) error {
	return d.record(fmt.Sprintf("deadline %d by %d approve=%v reason=%q", req, tg, approve, reason))
}

func (d *recordingDecider) record(call string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, call)
	return d.err
}

func (d *recordingDecider) last() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.calls) == 0 {
		return ""
	}
	return d.calls[len(d.calls)-1]
}

// post sends a decision with an Authorization header and more headers.
func (h *harness) post(auth, path, body string, headers map[string]string) (int, []byte) {
	h.t.Helper()
	return h.send(http.MethodPost, path, auth, body, headers)
}

// TestDecisionsGoToTheBotAsTheSigner: the page's decisions reach the
// bot's path in the name of whoever Telegram signed (never a claimed
// user), and its refusals come back as codes the page translates.
func TestDecisionsGoToTheBotAsTheSigner(t *testing.T) {
	d := &recordingDecider{}
	h := newHarnessWith(t, func(deps *miniapp.Deps) { deps.Decide = d })
	h.linkEveryone()
	_, socialTask, request := h.history()
	lead := "tma " + h.initData(socialLeadID, "zh-hans")
	closure := fmt.Sprintf("tasks/%d/closure", socialTask)

	status, body := h.post(lead, closure+"?user=2002", `{"decision":"approve"}`, map[string]string{"X-Telegram-User": "2002"})
	if status != http.StatusOK || d.last() != fmt.Sprintf("closure %d by %d approve=true reason=\"\"", socialTask, socialLeadID) {
		t.Fatalf("approve: %d %s; the bot was asked %q", status, body, d.last())
	}
	var ok struct {
		OK   bool `json:"ok"`
		Task struct {
			ID   uint   `json:"id"`
			Code string `json:"code"`
		} `json:"task"`
	}
	if err := json.Unmarshal(body, &ok); err != nil || !ok.OK || ok.Task.ID != socialTask || ok.Task.Code != "立行立改四" {
		t.Errorf("approve answered %s", body)
	}
	if status, _ := h.post(lead, fmt.Sprintf("deadline-requests/%d", request), `{"decision":"reject","reason":"先补齐档案"}`, nil); status != http.StatusOK ||
		d.last() != fmt.Sprintf("deadline %d by %d approve=false reason=\"先补齐档案\"", request, socialLeadID) {
		t.Errorf("deadline: %d; the bot was asked %q", status, d.last())
	}

	calls := len(d.calls)
	for _, c := range []struct {
		name, auth, body string
		want             int
		code             string
	}{
		{"no initData", "", `{"decision":"approve"}`, http.StatusUnauthorized, "unauthorized"},
		{"forged initData", "tma " + strings.Replace(h.initData(socialLeadID, "zh"), "2001", "2002", 1), `{"decision":"approve"}`, http.StatusUnauthorized, "unauthorized"},
		{"no decision", lead, `{}`, http.StatusBadRequest, "bad_request"},
		{"another word", lead, `{"decision":"maybe"}`, http.StatusBadRequest, "bad_request"},
		{"unknown field", lead, `{"decision":"approve","task":1}`, http.StatusBadRequest, "bad_request"},
		{"not JSON", lead, `approve`, http.StatusBadRequest, "bad_request"},
		{"a huge reason", lead, `{"decision":"reject","reason":"` + strings.Repeat("很", 5000) + `"}`, http.StatusBadRequest, "bad_request"},
	} {
		status, body := h.post(c.auth, closure, c.body, nil)
		if status != c.want || !strings.Contains(string(body), `"`+c.code+`"`) {
			t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.want, c.code)
		}
	}
	if len(d.calls) != calls {
		t.Errorf("refused requests reached the bot: %v", d.calls[calls:])
	}

	for _, c := range []struct {
		err  error
		want int
		code string
	}{
		{&ledger.DeniedError{Action: ledger.ActVerify}, http.StatusForbidden, "forbidden"},
		{fmt.Errorf("task 9: %w", models.ErrNotFound), http.StatusForbidden, "forbidden"},
		{ledger.ErrReasonRequired, http.StatusBadRequest, "reason_required"},
		{fmt.Errorf("decided: %w", models.ErrConflict), http.StatusConflict, "already_decided"},
		{models.ErrOwnRequest, http.StatusConflict, "own_request"},
		{errors.New("database gone"), http.StatusServiceUnavailable, "try_later"},
	} {
		d.err = c.err
		status, body := h.post(lead, closure, `{"decision":"reject","reason":"再核实"}`, nil)
		if status != c.want || string(body) != `{"error":"`+c.code+`"}`+"\n" {
			t.Errorf("the bot's %v: %d %s, want %d %s", c.err, status, body, c.want, c.code)
		}
	}
}

// TestAwaitingIsWhatTheCallerMayDecide: the page's 待我审批 is /verify's
// list — the leader's pending closure and the deadline request of a task
// she leads, nothing for another department's leader, and never the
// officer's own request.
func TestAwaitingIsWhatTheCallerMayDecide(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	politTask, socialTask, request := h.history()
	type awaiting struct {
		Closures []struct {
			ID   uint   `json:"id"`
			Code string `json:"code"`
		} `json:"closures"`
		Deadlines []struct {
			ID     uint   `json:"id"`
			TaskID uint   `json:"task_id"`
			To     string `json:"to"`
			Reason string `json:"reason"`
			By     string `json:"requested_by"`
		} `json:"deadlines"`
	}
	social := getJSON[awaiting](h, socialLeadID, "awaiting")
	if len(social.Closures) != 1 || social.Closures[0].ID != socialTask || social.Closures[0].Code != "立行立改四" || len(social.Deadlines) != 0 {
		t.Errorf("分管社会治理副书记 awaits %+v", social)
	}
	polit := getJSON[awaiting](h, politLeadID, "awaiting")
	if len(polit.Closures) != 0 || len(polit.Deadlines) != 1 || polit.Deadlines[0].ID != request || polit.Deadlines[0].TaskID != politTask ||
		polit.Deadlines[0].To != "2021-12-15" || polit.Deadlines[0].Reason != "档案散件仍在补充" || polit.Deadlines[0].By != "刘洋" {
		t.Errorf("政治部主任 awaits %+v", polit)
	}
	for _, who := range []int64{liuYangID, zhouJieID, viewerID} {
		if a := getJSON[awaiting](h, who, "awaiting"); len(a.Closures)+len(a.Deadlines) != 0 {
			t.Errorf("%d awaits %+v", who, a)
		}
	}
	if status, body := h.get(strangerID, "awaiting"); status != http.StatusForbidden || string(body) != `{"error":"not_linked"}`+"\n" {
		t.Errorf("a stranger: %d %s", status, body)
	}
}
