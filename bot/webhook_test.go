package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	dbmodels "github.com/rectibot/rectibot/models"
)

// webhook serves the bot's HTTP endpoints over real HTTP.
func (e *inboxEnv) webhook() *httptest.Server {
	srv := httptest.NewServer(e.bot.HTTPHandler())
	e.t.Cleanup(srv.Close)
	return srv
}

// post sends a body to the webhook as Telegram would and returns the status.
func post(t *testing.T, srv *httptest.Server, secret string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+WebhookPath, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func postUpdate(t *testing.T, srv *httptest.Server, secret string, u *models.Update) int {
	t.Helper()
	body, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	return post(t, srv, secret, body)
}

func TestWebhookRefusesAWrongSecretAndStoresNothing(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	srv := e.webhook()
	u := e.fake.Text(1, "/tasks")
	for _, secret := range []string{"", "wrong", "s3cre", "s3cret2", "S3CRET"} {
		if code := postUpdate(t, srv, secret, u); code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d, want 401", secret, code)
		}
	}
	e.work()
	if n := e.stored(); n != 0 || len(e.h.all()) != 0 {
		t.Errorf("%d rows stored, %v handled with a wrong secret", n, e.h.all())
	}
}

func TestWebhookAnswersOnceStoredWithoutWaitingForTheHandler(t *testing.T) {
	e := newInboxEnv(t, envOpts{inbox: InboxOptions{Poll: 24 * time.Hour}})
	e.h.entered = make(chan int64, 10)
	e.h.done = make(chan int64, 10)
	release := e.h.block(t, 42) // the chat's answer is slow
	stop := e.runInbox()
	srv := e.webhook()
	u1 := e.fake.Text(42, "/tasks")
	u2 := e.fake.Text(42, "/digest")
	if code := postUpdate(t, srv, "s3cret", u1); code != http.StatusOK {
		t.Fatalf("first update: %d, want 200", code)
	}
	if id := receive(t, e.h.entered, "the first update is handled from the inbox"); id != u1.ID {
		t.Fatalf("handler entered %d, want %d", id, u1.ID)
	}
	// The chat's handler is stuck; the next update and a redelivery of it
	// are answered all the same, once stored (a wait here is a hang: the
	// request would wait for the handler).
	answered := make(chan int, 2)
	go func() {
		answered <- postUpdate(t, srv, "s3cret", u2)
		answered <- postUpdate(t, srv, "s3cret", u2)
	}()
	for range 2 {
		if code := receive(t, answered, "200 while the chat's handler is stuck"); code != http.StatusOK {
			t.Errorf("update stored while its chat is busy: %d, want 200", code)
		}
	}
	if r := e.row(u2.ID); r.DoneAt != nil || e.h.callsOf(u2.ID) != 0 {
		t.Errorf("the second update was handled before the first finished")
	}
	release()
	receive(t, e.h.done, "first update handled")
	receive(t, e.h.done, "second update handled")
	// A redelivery after handling: 200, not handled again.
	if code := postUpdate(t, srv, "s3cret", u1); code != http.StatusOK {
		t.Errorf("redelivery after handling: %d, want 200", code)
	}
	stop()
	if got := e.h.all(); !slices.Equal(got, ids(u1, u2)) {
		t.Errorf("handled %v, want %v once each, in order", got, ids(u1, u2))
	}
	if n := e.stored(); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
}

func TestWebhookRefusesWhatIsNotAnUpdate(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	srv := e.webhook()
	for _, body := range []string{"", "{", `{"update_id":0}`, `{"update_id":3,"message":"x"}`, strings.Repeat("x", 2<<20)} {
		if code := post(t, srv, "s3cret", []byte(body)); code != http.StatusBadRequest {
			t.Errorf("body %.20q: %d, want 400", body, code)
		}
	}
	resp, err := srv.Client().Get(srv.URL + WebhookPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
	if n := e.stored(); n != 0 {
		t.Errorf("%d rows stored from bodies that are not updates", n)
	}
}

func TestWebhookAnswers503WhenTheUpdateCannotBeStored(t *testing.T) {
	flaky := &flakyStore{failures: 2, pending: func() int { return 0 }}
	e := newInboxEnv(t, envOpts{wrap: func(s InboxStore) InboxStore {
		flaky.InboxStore = s
		return flaky
	}})
	srv := e.webhook()
	u := e.fake.Text(42, "整改完成")
	for range 2 { // the database is down: Telegram is to send it again
		if code := postUpdate(t, srv, "s3cret", u); code != http.StatusServiceUnavailable {
			t.Errorf("not stored: %d, want 503", code)
		}
	}
	if n := e.stored(); n != 0 {
		t.Fatalf("%d rows while the database was down", n)
	}
	if code := postUpdate(t, srv, "s3cret", u); code != http.StatusOK {
		t.Fatalf("once the database is back: %d, want 200", code)
	}
	e.work()
	if got := e.h.all(); !slices.Equal(got, ids(u)) {
		t.Errorf("handled %v, want %v once", got, ids(u))
	}
	if got := e.notices.all(); len(got) != 1 || got[0].kind != "delayed" {
		t.Errorf("notices %+v, want one delayed notice for two refusals", got)
	}
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	var mu sync.Mutex
	down := true
	e := newInboxEnv(t, envOpts{set: func(o *Options) {
		o.Ready = map[string]func(context.Context) error{
			"database": func(context.Context) error { return nil },
			"redis": func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				if down {
					return errTransient
				}
				return nil
			},
		}
	}})
	srv := e.webhook()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("healthz %d %q", code, body)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, `"redis":"unreachable"`) || !strings.Contains(body, `"database":"ok"`) {
		t.Errorf("readyz with Redis down: %d %s", code, body)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("readyz: %d", code)
	}
	if code := postUpdate(t, srv, "s3cret", e.fake.Text(11, "整改完成")); code != 200 {
		t.Fatalf("webhook: %d", code)
	}
	e.work()
	_, body := get("/metrics")
	for _, want := range []string{
		`rectibot_inbox_updates_total{kind="message",outcome="handled"} 1`,
		`rectibot_updates_total{outcome="ok",type="message"} 1`,
		"rectibot_handler_seconds_bucket",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestServeStopsAtOnceNamingTheAddressWhenItCannotListen(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	addr := busy.Addr().String()
	e := newInboxEnv(t, envOpts{set: func(o *Options) { o.HTTPAddr = addr }})
	served := make(chan error, 1)
	go func() { served <- e.bot.Serve(context.Background()) }()
	err = receive(t, served, "Serve returns when its address is taken")
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("Serve: %v; want an error naming %s", err, addr)
	}
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("Serve's error %v does not carry the listener's cause", err)
	}
	// Listen, which serve calls before anything else starts, says the same.
	if err := e.bot.Listen(); err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("Listen: %v; want an error naming %s", err, addr)
	}
}

func TestServeTakesUpdatesByLongPollingAndStopsCleanly(t *testing.T) {
	e := newInboxEnv(t, envOpts{set: func(o *Options) { o.HTTPAddr = "127.0.0.1:0" }})
	e.h.done = make(chan int64, 10)
	e.h.answer = echo(e, nil)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.bot.Serve(ctx) }()
	u1 := e.fake.Text(42, "/tasks")
	u2 := e.fake.Text(43, "/tasks")
	got := []int64{receive(t, e.h.done, "an update handled"), receive(t, e.h.done, "another update handled")}
	slices.Sort(got)
	if !slices.Equal(got, ids(u1, u2)) {
		t.Errorf("handled %v, want %v", got, ids(u1, u2))
	}
	// The HTTP endpoints are up on the listener Serve opened.
	resp, err := http.Get("http://" + e.bot.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz on %s: %d", e.bot.Addr(), resp.StatusCode)
	}
	cancel()
	if err := receive(t, served, "Serve stops"); err != nil {
		t.Errorf("Serve: %v", err)
	}
	for _, u := range []*models.Update{u1, u2} {
		if r := e.row(u.ID); r.Outcome != dbmodels.OutcomeHandled {
			t.Errorf("update %d: %q, want handled", u.ID, r.Outcome)
		}
	}
	if n := len(e.fake.Messages(42)) + len(e.fake.Messages(43)); n != 2 {
		t.Errorf("%d answers, want 2", n)
	}
	var held int64
	if err := e.db.Model(&dbmodels.InboxChat{}).Where("owner <> ''").Count(&held).Error; err != nil || held != 0 {
		t.Errorf("%d chat leases still held after Serve returned (%v)", held, err)
	}
}
