package main

// Helpers of the inbox fault tests (inbox_faults_test.go): reading the
// inbox table beside the running processes, long polling instead of the
// fault tests' webhook, posting updates to a replica's webhook as Telegram
// would, reading a replica's inbox counters, and stopping and starting the
// PostgreSQL cluster.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/models"
)

// The entrance's notices and the answer the tests' commands get (render/
// locales/bot.zh.toml: inbox_delayed, inbox_failed, inbox_flood and
// task_not_found).
const (
	noticeDelayed = "系统暂时无法处理"
	noticeFailed  = "未能处理"
	noticeFlood   = "请逐条发送"
)

// taskNotFound is the answer to "/task CODE" for a code nobody may see:
// it names the code, so each command's answer is told apart from the
// others'.
var taskNotFound = regexp.MustCompile(`没有找到您可查看的任务 (\S+?)。`)

// floodKeep is the inbox's default FloodKeep (bot.InboxOptions): a chat may
// have this many commands waiting; more are dropped.
const floodKeep = 5

// inboxLease is the chat lease these tests give serve
// (RECTIBOT_INBOX_LEASE): a killed process's chats wait this long for
// another process. Short, so the kill test does not wait out the default
// 30 s.
const inboxLease = 3 * time.Second

// longPolling is the extra environment that makes serve poll getUpdates
// rather than take the webhook (faultEnv sets RECTIBOT_WEBHOOK_URL).
var longPolling = map[string]string{"RECTIBOT_WEBHOOK_URL": "", "RECTIBOT_INBOX_LEASE": inboxLease.String()}

// inboxRows reads the whole inbox table (updates in update order) with a
// handle of its own. On SQLite it only reads, which WAL allows beside a
// running serve.
func (e *faultEnv) inboxRows() []models.InboxUpdate {
	e.t.Helper()
	ctx := context.Background()
	db, _, _ := e.openDB()
	defer func() { _ = models.Close(db) }()
	var ups []models.InboxUpdate
	if err := db.WithContext(ctx).Order("update_id").Find(&ups).Error; err != nil {
		e.t.Fatalf("read the inbox: %v", err)
	}
	return ups
}

// waitInbox polls the inbox table every 100 ms until ok holds for its rows,
// failing the test at the deadline (with what was last seen) or as soon as
// one of procs exits.
func (e *faultEnv) waitInbox(what string, timeout time.Duration, ok func([]models.InboxUpdate) bool, procs ...*serveProc) []models.InboxUpdate {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		rows := e.inboxRows()
		if ok(rows) {
			return rows
		}
		for _, p := range procs {
			if p.exited() {
				e.t.Fatalf("%s exited (%v) while waiting for %s; inbox: %s", p.name, p.err, what, inboxSummary(rows))
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("no %s within %v; inbox: %s", what, timeout, inboxSummary(rows))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitFor polls cond every 50 ms until it holds, failing the test at the
// deadline or as soon as one of procs exits. status describes the state
// for the failure message.
func (e *faultEnv) waitFor(what string, timeout time.Duration, cond func() bool, status func() string, procs ...*serveProc) {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		for _, p := range procs {
			if p.exited() {
				e.t.Fatalf("%s exited (%v) while waiting for %s: %s", p.name, p.err, what, status())
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("no %s within %v: %s", what, timeout, status())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// allDone reports whether every row is done; n > 0 also wants n rows.
func allDone(n int) func([]models.InboxUpdate) bool {
	return func(rows []models.InboxUpdate) bool {
		if n > 0 && len(rows) != n {
			return false
		}
		for _, r := range rows {
			if r.DoneAt == nil {
				return false
			}
		}
		return true
	}
}

// inboxSummary counts rows by chat and state, for failure messages.
func inboxSummary(rows []models.InboxUpdate) string {
	type key struct {
		chat  int64
		state string
	}
	counts := map[key]int{}
	var order []key
	for _, r := range rows {
		state := "waiting"
		if r.DoneAt != nil {
			state = string(r.Outcome)
		}
		if r.Attempts > 0 {
			state += fmt.Sprintf("(attempts %d, last error %q)", r.Attempts, r.LastError)
		}
		k := key{r.ChatID, state}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	parts := make([]string, 0, len(order))
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("chat %d %s ×%d", k.chat, k.state, counts[k]))
	}
	return fmt.Sprintf("%d rows [%s]", len(rows), strings.Join(parts, "; "))
}

// outcomes counts a chat's rows by outcome ("" = not done yet).
func outcomes(rows []models.InboxUpdate, chat int64) map[models.Outcome]int {
	out := map[models.Outcome]int{}
	for _, r := range rows {
		if r.ChatID != chat {
			continue
		}
		if r.DoneAt == nil {
			out[""]++
			continue
		}
		out[r.Outcome]++
	}
	return out
}

// answers lists the codes of the "/task CODE" answers the fake accepted in
// chat, in the order the chat received them.
func (e *faultEnv) answers(chat int64) []string {
	var codes []string
	for _, m := range e.fake.Messages(chat) {
		if sm := taskNotFound.FindStringSubmatch(m.Text); sm != nil {
			codes = append(codes, sm[1])
		}
	}
	return codes
}

// countText counts the bot's messages in chat that contain s.
func (e *faultEnv) countText(chat int64, s string) int {
	n := 0
	for _, m := range e.fake.Messages(chat) {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

// sendCodes has user send "/task CODE" for each code, through the fake's
// getUpdates queue, and returns the updates.
func (e *faultEnv) sendCodes(user int64, codes ...string) []*tgmodels.Update {
	ups := make([]*tgmodels.Update, len(codes))
	for i, c := range codes {
		ups[i] = e.fake.Text(user, "/task "+c)
	}
	return ups
}

// sendAttemptCodes counts a chat's sendMessage attempts at the proxy by
// status: 0 = held, never answered.
func (e *faultEnv) sendAttemptCodes(chat int64) map[int]int {
	out := map[int]int{}
	for _, a := range e.api.sends(chat) {
		out[a.code]++
	}
	return out
}

// webhookSecret is faultEnv's RECTIBOT_WEBHOOK_SECRET.
const webhookSecret = "fault_test_secret"

var webhookClient = &http.Client{Timeout: 15 * time.Second}

// postUpdate posts upd to the webhook of the replica listening on addr, as
// Telegram does, and returns the HTTP status (0: no answer).
func postUpdate(addr string, upd *tgmodels.Update) (int, error) {
	body, err := json.Marshal(upd)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/webhook", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
	resp, err := webhookClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// waitListening waits until the replica on addr answers /healthz.
func (e *faultEnv) waitListening(p *serveProc, addr string, timeout time.Duration) {
	e.t.Helper()
	client := &http.Client{Timeout: time.Second}
	e.waitFor(p.name+"'s HTTP listener on "+addr, timeout, func() bool {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, func() string { return p.log.Tail(5) }, p)
}

// inboxCounter reads rectibot_inbox_updates_total{outcome=outcome} from the
// replica's /metrics, summed over update kinds.
func inboxCounter(addr, outcome string) (float64, error) {
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var sum float64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "rectibot_inbox_updates_total{") || !strings.Contains(line, `outcome="`+outcome+`"`) {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			return 0, fmt.Errorf("metrics line %q: %w", line, err)
		}
		sum += v
	}
	return sum, sc.Err()
}

// pgCtl runs pg_ctlcluster action (stop, start) on the test's cluster.
func pgCtl(t *testing.T, version, cluster, action string) {
	t.Helper()
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_ctlcluster %s %s %s: %v\n%s", version, cluster, action, err, out)
	}
}

// pgOnline reports whether pg_lsclusters shows the cluster online.
func pgOnline(version, cluster string) bool {
	out, err := exec.Command("pg_lsclusters", "--no-header").Output()
	if err != nil {
		return false
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && f[0] == version && f[1] == cluster {
			return f[3] == "online"
		}
	}
	return false
}
