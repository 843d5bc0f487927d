package main

// Helpers of the fault tests (faults_test.go): the rectibot binary built
// once per test run, `rectibot serve` as child processes, a proxy in front
// of the fake Bot API that can hold one chat's sends and records every send
// attempt, a generated ledger of overdue tasks with one officer each, and
// linking officers through the store as /start does.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/config"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/syncbuf"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/scheduler"
)

// TestMain removes the binary the fault tests built (there is no other
// TestMain in this package).
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// rectibotBinary builds ./cmd/rectibot once per test run (go build caches,
// so this takes a few seconds) and returns its path.
func rectibotBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "rectibot-faults-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "rectibot")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		// The test runs in cmd/rectibot: "." is ./cmd/rectibot.
		out, err := exec.CommandContext(ctx, "go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// faultEnv is one fault test's world: a database (testdb), the strict fake
// Bot API behind a recording proxy, and the environment every rectibot
// process of the test gets.
type faultEnv struct {
	t     *testing.T
	bin   string
	fake  *tgfake.Server
	api   *apiProxy
	env   map[string]string
	zone  *time.Location
	today ledger.Date
}

func newFaultEnv(t *testing.T, opts tgfake.Options) *faultEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("fault tests run real processes for up to a minute each; skipped with -short")
	}
	bin := rectibotBinary(t)
	fake := tgfake.New(opts)
	t.Cleanup(fake.Close)
	api := newAPIProxy(fake)
	t.Cleanup(api.Close)
	loc := testdb.Location(t)
	dbURL := loc.DSN
	if loc.Path != "" {
		dbURL = "sqlite:" + loc.Path
	}
	zoneName := noonZone(time.Now())
	zone, err := time.LoadLocation(zoneName)
	if err != nil {
		t.Fatal(err)
	}
	e := &faultEnv{t: t, bin: bin, fake: fake, api: api, zone: zone, today: ledger.DateOf(time.Now().In(zone)),
		env: map[string]string{
			"DATABASE_URL":       dbURL,
			"TELEGRAM_BOT_TOKEN": fake.Token(),
			"TELEGRAM_API_URL":   api.URL(),
			// Always inside the send window, whatever the day and hour.
			"RECTIBOT_WORK_HOURS": "00:00-24:00",
			"RECTIBOT_WORKDAYS":   "all",
			"RECTIBOT_TIME_ZONE":  zoneName,
			// Webhook mode: replicas behind a load balancer take updates on
			// the webhook; two of them long-polling one bot would end each
			// other's polls with 409. Nothing is posted to it here.
			"RECTIBOT_WEBHOOK_URL":    "https://bot.example.cn/telegram/webhook",
			"RECTIBOT_WEBHOOK_SECRET": "fault_test_secret",
			"RECTIBOT_LOG_LEVEL":      "info",
		}}
	if r := os.Getenv("REDIS_URL"); r != "" {
		e.env["REDIS_URL"] = r
	}
	return e
}

// noonZone names a fixed-offset zone where it is now between 12:00 and
// 13:00. The plan and the installation use it, so "today" is many hours
// from midnight: an officer's overdue notice of today cannot turn into
// tomorrow's (a second message) while a test runs.
func noonZone(now time.Time) string {
	off := 12 - now.UTC().Hour() // hours east of UTC, -11…12
	switch {
	case off == 0:
		return "Etc/UTC"
	case off > 0:
		return fmt.Sprintf("Etc/GMT-%d", off) // POSIX signs: GMT-8 is UTC+8
	default:
		return fmt.Sprintf("Etc/GMT+%d", -off)
	}
}

func (e *faultEnv) getenv(k string) string { return e.env[k] }

// cli runs a rectibot command to completion as a child process.
func (e *faultEnv) cli(args ...string) string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Env = e.environ(nil)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		e.t.Fatalf("rectibot %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// environ is the child's whole environment: nothing of the test's own but
// PATH and HOME, so a DATABASE_URL or REDIS_URL of the shell cannot leak in
// except as passed on purpose.
func (e *faultEnv) environ(extra map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range e.env {
		if _, over := extra[k]; !over {
			env = append(env, k+"="+v)
		}
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

// importOverdue imports, with the command line, a plan of n tasks in
// progress whose deadline was yesterday, each with its own officer, and
// returns the rows (officer names[i] is rows[i].Officer). Texts come from
// ledgergen.
func (e *faultEnv) importOverdue(n int) (rows []ledger.Row, names []string) {
	e.t.Helper()
	rows = ledgergen.Overdue(n, e.today)
	ex := make([]render.ExportRow, len(rows))
	names = make([]string, len(rows))
	for i, r := range rows {
		ex[i] = render.ExportRow{Row: r}
		names[i] = r.Officer
	}
	path := filepath.Join(e.t.TempDir(), "overdue.csv")
	var buf bytes.Buffer
	if err := render.WriteCSV(&buf, ex); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		e.t.Fatal(err)
	}
	e.cli("import", path, "--plan-title", "巡察整改故障测试", "--unit", "测试单位", "--team", "测试巡察组",
		"--feedback-date", e.today.AddDays(-60).String(), "--time-zone", e.zone.String())
	return rows, names
}

// officerID is the Telegram id the tests give the i-th officer.
func officerID(i int) int64 { return 7_100_000 + int64(i) }

// openDB opens the test's database with a handle of its own, beside the
// running processes; the caller closes it.
func (e *faultEnv) openDB() (*gorm.DB, config.Config, *slog.Logger) {
	e.t.Helper()
	return openDBFor(e.t, e.getenv)
}

// openDBFor opens the database an environment names, as the commands
// would, with a quiet log; the caller closes it.
func openDBFor(t *testing.T, getenv config.Getenv) (*gorm.DB, config.Config, *slog.Logger) {
	t.Helper()
	cfg, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := models.Open(context.Background(), cfg.Database, quiet)
	if err != nil {
		t.Fatal(err)
	}
	return db, cfg, quiet
}

// link links the named officers' Telegram accounts as /start with an
// invite does: through the store with the scheduler's planner installed,
// so each link plans, in its own transaction, the notify job that tells
// them what waited for them. Officer names[i] gets officerID(first+i); the
// fake learns them as users who started the bot. On SQLite call it only
// while no serve runs (SQLite is single-process).
func (e *faultEnv) link(names []string, first int) []int64 {
	e.t.Helper()
	ctx := context.Background()
	db, cfg, quiet := e.openDB()
	defer func() { _ = models.Close(db) }()
	store := models.NewStore(db, clock.System{})
	// Installs the planner on the store; the queue is never started here.
	if _, err := scheduler.New(scheduler.Config{Store: store, Location: cfg.Database, Settings: cfg.Schedule,
		Clock: clock.System{}, Zone: cfg.TimeZone, Light: cfg.Light, Admins: cfg.Admins, Log: quiet}); err != nil {
		e.t.Fatal(err)
	}
	ids := make([]int64, len(names))
	work := make(chan int)
	errs := make(chan error, len(names))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				id := officerID(first + i)
				code, _, err := store.CreateInvite(ctx, models.PersonRef{Name: names[i]}, ledger.RoleOfficer, time.Hour, models.CLIActor)
				if err == nil {
					_, err = store.RedeemInvite(ctx, code, id)
				}
				if err != nil {
					errs <- fmt.Errorf("link %s: %w", names[i], err)
					continue
				}
				ids[i] = id
				e.fake.AddUser(tgmodels.User{ID: id, FirstName: names[i], LanguageCode: "zh-hans"})
			}
		}()
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		e.t.Fatal(err)
	}
	return ids
}

// jobReport is what the queue's notify jobs look like.
type jobReport struct {
	byState  map[string]int // jobs by state
	byPID    map[string]int // completed jobs by the process (pid) that last worked them
	cancels  int            // jobs that failed an attempt with "context canceled"
	rescued  int            // jobs the rescuer found left running
	attempts map[int]int    // completed jobs by attempts taken
}

// notifyJobs lists the notify jobs through River (scheduler.Queue.Jobs, a
// client that is never started). On SQLite it only reads, which WAL allows
// beside a running serve.
func (e *faultEnv) notifyJobs() jobReport {
	e.t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(e.getenv)
	if err != nil {
		e.t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := models.Open(ctx, cfg.Database, quiet)
	if err != nil {
		e.t.Fatal(err)
	}
	defer func() { _ = models.Close(db) }()
	q, err := scheduler.NewQueue(db, cfg.Database.Dialect, scheduler.NewWorkers(), nil, quiet)
	if err != nil {
		e.t.Fatal(err)
	}
	jobs, err := q.Jobs(ctx, scheduler.JobKindNotify)
	if err != nil {
		e.t.Fatal(err)
	}
	r := jobReport{byState: map[string]int{}, byPID: map[string]int{}, attempts: map[int]int{}}
	for _, j := range jobs {
		r.byState[string(j.State)]++
		for _, ae := range j.Errors {
			if strings.Contains(ae.Error, "context canceled") {
				r.cancels++
				break
			}
		}
		for _, ae := range j.Errors {
			if strings.Contains(ae.Error, "Stuck job rescued") {
				r.rescued++
				break
			}
		}
		if j.State == rivertype.JobStateCompleted {
			r.attempts[j.Attempt]++
			if n := len(j.AttemptedBy); n > 0 {
				// clientID is host_pid_random.
				parts := strings.Split(j.AttemptedBy[n-1], "_")
				r.byPID[parts[max(0, len(parts)-2)]]++
			}
		}
	}
	return r
}

// waitNotifyCompleted waits until want notify jobs are completed. River's
// completer writes that in the serve process a moment after the send, and
// nothing tells the test, so this polls the queue every 100 ms up to the
// deadline.
func (e *faultEnv) waitNotifyCompleted(want int, timeout time.Duration) jobReport {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		r := e.notifyJobs()
		if r.byState["completed"] >= want {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("notify jobs by state after %v: %v, want %d completed", timeout, r.byState, want)
		}
		<-tick.C
	}
}

// serveProc is one `rectibot serve` child process.
type serveProc struct {
	name string
	cmd  *exec.Cmd
	log  *syncbuf.Buffer
	done chan struct{} // closed when it has exited
	err  error         // its exit, once done is closed
}

// serve starts `rectibot serve` with the test's environment plus extra,
// on a free port. Cleanup stops it (SIGTERM, then SIGKILL after 30 s) and,
// when the test failed, prints the end of its log.
func (e *faultEnv) serve(name string, extra map[string]string) *serveProc {
	e.t.Helper()
	env := map[string]string{"RECTIBOT_HTTP_ADDR": freeAddr(e.t)}
	for k, v := range extra {
		env[k] = v
	}
	p := &serveProc{name: name, cmd: exec.Command(e.bin, "serve"), log: &syncbuf.Buffer{}, done: make(chan struct{})}
	p.cmd.Env = e.environ(env)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		e.t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	e.t.Cleanup(func() {
		if !p.exited() {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(30 * time.Second):
				_ = p.cmd.Process.Kill()
				<-p.done
			}
		}
		if e.t.Failed() {
			e.t.Logf("--- log of %s (pid %d), last 60 lines:\n%s", p.name, p.cmd.Process.Pid, p.log.Tail(60))
		}
	})
	return p
}

func (p *serveProc) pid() string { return strconv.Itoa(p.cmd.Process.Pid) }

func (p *serveProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop asks serve to stop as an operator's SIGTERM does and waits for it:
// it finishes the jobs in hand and exits 0.
func (p *serveProc) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("%s exited with %v after SIGTERM", p.name, p.err)
		}
	case <-time.After(40 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Errorf("%s did not stop within 40 s of SIGTERM", p.name)
	}
}

// kill9 kills the process outright: no deferred code, no graceful stop.
func (p *serveProc) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill -9 %s: %v", p.name, err)
	}
	<-p.done
}

// waitSent waits until the fake has accepted n sends in all, failing the
// test at the deadline or as soon as one of procs exits.
func (e *faultEnv) waitSent(n int, timeout time.Duration, procs ...*serveProc) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for _, p := range procs {
		go func() {
			select {
			case <-p.done:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	if err := e.fake.WaitSent(ctx, n); err != nil {
		for _, p := range procs {
			if p.exited() {
				e.t.Fatalf("%s exited (%v) with %d of %d messages sent", p.name, p.err, e.fake.SentTotal(), n)
			}
		}
		e.t.Fatalf("%d of %d messages sent within %v", e.fake.SentTotal(), n, timeout)
	}
}

// apiProxy stands in front of the fake Bot API (tgfake.Server is an
// http.Handler): it records every sendMessage attempt with its chat, times
// and answer, and can hold one chat's sendMessage requests without passing
// them on, as a network that swallowed them would.
type apiProxy struct {
	fake *tgfake.Server
	srv  *httptest.Server

	mu       sync.Mutex
	holdChat int64         // 0 = hold nothing
	held     chan struct{} // receives once per held request
	attempts map[int64][]sendAttempt

	pollGate   chan struct{} // non-nil: getUpdates waits until it is closed
	pollWaited chan struct{} // receives when a getUpdates starts waiting at the gate
}

// sendAttempt is one sendMessage request as the proxy saw it.
type sendAttempt struct {
	start, end time.Time // arrival, and when the fake's answer was complete
	code       int       // HTTP status of the answer; 0 = held, never answered
	retryAfter int       // of a 429, seconds
}

func newAPIProxy(fake *tgfake.Server) *apiProxy {
	p := &apiProxy{fake: fake, held: make(chan struct{}, 16), attempts: map[int64][]sendAttempt{},
		pollWaited: make(chan struct{}, 1)}
	p.srv = httptest.NewServer(p)
	return p
}

func (p *apiProxy) URL() string { return p.srv.URL }

// Close ends held requests (their clients see the connection drop) and
// stops the proxy.
func (p *apiProxy) Close() {
	p.srv.CloseClientConnections()
	p.srv.Close()
}

// hold starts (chat != 0) or stops (0) holding chat's sendMessage requests.
func (p *apiProxy) hold(chat int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.holdChat = chat
}

// sends returns the sendMessage attempts into chat, in arrival order.
func (p *apiProxy) sends(chat int64) []sendAttempt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.attempts[chat])
}

// pausePolls makes getUpdates requests wait at the proxy (a poll already
// inside the fake goes on) until resumePolls, so that updates queued
// meanwhile reach the bot in one batch, as Telegram delivers a burst that
// came in while the bot was busy.
func (p *apiProxy) pausePolls() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pollGate == nil {
		p.pollGate = make(chan struct{})
	}
}

// resumePolls lets the waiting and later getUpdates requests through.
func (p *apiProxy) resumePolls() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pollGate != nil {
		close(p.pollGate)
		p.pollGate = nil
	}
}

func (p *apiProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	if strings.EqualFold(method, "getUpdates") {
		p.mu.Lock()
		gate := p.pollGate
		p.mu.Unlock()
		if gate != nil {
			select {
			case p.pollWaited <- struct{}{}:
			default:
			}
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
	}
	if !strings.EqualFold(method, "sendMessage") {
		p.fake.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	chat := chatIDOf(r, body)
	r.Body = io.NopCloser(bytes.NewReader(body))

	p.mu.Lock()
	holding := chat != 0 && chat == p.holdChat
	p.mu.Unlock()
	if holding {
		p.mu.Lock()
		p.attempts[chat] = append(p.attempts[chat], sendAttempt{start: start})
		p.mu.Unlock()
		select {
		case p.held <- struct{}{}:
		default:
		}
		// Never passed on: the fake (Telegram) does not see it. The
		// client gives up, is killed, or the proxy closes.
		<-r.Context().Done()
		return
	}
	rec := &recordingWriter{ResponseWriter: w}
	p.fake.ServeHTTP(rec, r)
	a := sendAttempt{start: start, end: time.Now(), code: rec.code}
	if rec.code == http.StatusTooManyRequests {
		var resp struct {
			Parameters struct {
				RetryAfter int `json:"retry_after"`
			} `json:"parameters"`
		}
		_ = json.Unmarshal(rec.body.Bytes(), &resp)
		a.retryAfter = resp.Parameters.RetryAfter
	}
	p.mu.Lock()
	p.attempts[chat] = append(p.attempts[chat], a)
	p.mu.Unlock()
}

// chatIDOf reads chat_id from a Bot API request body (go-telegram/bot
// sends multipart forms; JSON and url-encoded forms are read too).
func chatIDOf(r *http.Request, body []byte) int64 {
	var raw string
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var v struct {
			ChatID json.Number `json:"chat_id"`
		}
		_ = json.Unmarshal(body, &v)
		raw = v.ChatID.String()
	default:
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		if ct == "multipart/form-data" {
			_ = r2.ParseMultipartForm(1 << 20)
		} else {
			_ = r2.ParseForm()
		}
		raw = r2.FormValue("chat_id")
	}
	id, _ := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	return id
}

// recordingWriter keeps the status and body of an answer as it is written.
type recordingWriter struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (w *recordingWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}
