package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/tgfake"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serveSetup is a fake Bot API with the configured admin 9001 (in the
// given language) as a user, and a CLI with the Dongguan ledger imported
// and the environment serve needs to reach the fake; addr is its HTTP
// listener.
func serveSetup(t *testing.T, adminLang string) (*tgfake.Server, *cli, string) {
	t.Helper()
	fake := tgfake.New(tgfake.Options{BotUsername: "zhenggai_bot"})
	t.Cleanup(fake.Close)
	fake.AddUser(models.User{ID: 9001, FirstName: "督办", LanguageCode: adminLang})
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "ledger.csv"))
	addr := freeAddr(t)
	c.env["TELEGRAM_BOT_TOKEN"] = fake.Token()
	c.env["TELEGRAM_API_URL"] = fake.URL()
	c.env["RECTIBOT_ADMINS"] = "9001"
	c.env["RECTIBOT_HTTP_ADDR"] = addr
	return fake, c, addr
}

// TestServeAnswersOverLongPollingAndStopsGracefully runs `rectibot serve`
// as an operator would, against the fake Bot API: it learns its name,
// publishes its menus, answers a message, serves /healthz, and returns when
// told to stop.
func TestServeAnswersOverLongPollingAndStopsGracefully(t *testing.T) {
	fake, c, addr := serveSetup(t, "zh-hans")
	delete(c.env, "RECTIBOT_BOT_USERNAME") // serve learns it from getMe

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- c.runContext(ctx, "serve") }()

	fake.Text(9001, "/digest")
	wait, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	if err := fake.WaitSent(wait, 1); err != nil {
		cancel()
		t.Fatalf("no answer over long polling: %v\n%s", err, (<-done).errOut)
	}
	if got := fake.Last(9001).Text; !strings.Contains(got, "整改进展汇总") || !strings.Contains(got, "共 25 项") {
		t.Errorf("the admin's /digest: %q", got)
	}
	if cmds := fake.Commands("all_private_chats", "en"); len(cmds) == 0 || cmds[0].Command != "tasks" {
		t.Errorf("English private menu: %+v", cmds)
	}
	resp, err := http.Get(fmt.Sprintf("http://%s/healthz", addr))
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	cancel()
	select {
	case r := <-done:
		if r.err != nil {
			t.Errorf("serve ended with %v\n%s", r.err, r.errOut)
		}
		if strings.Contains(r.errOut, fake.Token()) {
			t.Error("the token appeared in serve's log")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of being told to")
	}
}

func TestServeRefusesToStartWithoutAToken(t *testing.T) {
	c := newCLI(t)
	r := c.run("serve")
	if r.code != exitConfig || !strings.Contains(r.err.Error(), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("exit %d: %v", r.code, r.err)
	}
	c.env["TELEGRAM_BOT_TOKEN"] = "not-a-token-hunter2"
	r = c.run("serve")
	if r.code != exitConfig || strings.Contains(r.err.Error(), "hunter2") {
		t.Errorf("exit %d: %v", r.code, r.err)
	}
}

// TestServeInWebhookMode registers the webhook with Telegram and answers
// updates posted to it: 401 without the secret, 200 once stored, and the
// answer follows from the inbox.
func TestServeInWebhookMode(t *testing.T) {
	fake, c, addr := serveSetup(t, "en")
	c.env["RECTIBOT_WEBHOOK_URL"] = "https://bot.example.cn/telegram/webhook"
	c.env["RECTIBOT_WEBHOOK_SECRET"] = "hook_s3cret"

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan result, 1)
	go func() { done <- c.runContext(ctx, "serve") }()

	url := fmt.Sprintf("http://%s/telegram/webhook", addr)
	body, _ := json.Marshal(fake.Text(9001, "/help"))
	post := func(secret string) int {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The listener comes up after getMe and setWebhook; wait for it.
	deadline := time.Now().Add(20 * time.Second)
	for post("wrong") != http.StatusUnauthorized {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("webhook listener never answered\n%s", (<-done).errOut)
		}
		runtime.Gosched() // the listener is starting in another goroutine
	}
	if fake.SentTotal() != 0 {
		t.Error("an update with a wrong secret was handled")
	}
	// The listener is up before setWebhook is called (so Telegram's first
	// post finds it); wait for the registration too.
	for fake.Webhook().URL == "" && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if wh := fake.Webhook(); wh.URL != "https://bot.example.cn/telegram/webhook" || wh.SecretToken != "hook_s3cret" {
		t.Errorf("setWebhook: %+v", wh)
	}
	if code := post("hook_s3cret"); code != http.StatusOK {
		t.Fatalf("webhook answered %d", code)
	}
	// 200 came once the update was stored; the answer follows.
	wait, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	if err := fake.WaitSent(wait, 1); err != nil {
		t.Fatalf("no answer after the webhook's 200: %v", err)
	}
	if got := fake.Last(9001).Text; !strings.Contains(got, "/invite") {
		t.Errorf("the admin's /help over the webhook: %q", got)
	}
	// A redelivery is stored once; a new update of the same chat after it
	// is answered after it would have been, so two answers in all proves
	// the redelivery was not handled again.
	if code := post("hook_s3cret"); code != http.StatusOK {
		t.Errorf("a redelivered update: %d", code)
	}
	body, _ = json.Marshal(fake.Text(9001, "/digest"))
	if code := post("hook_s3cret"); code != http.StatusOK {
		t.Errorf("a new update: %d", code)
	}
	if err := fake.WaitSent(wait, 2); err != nil {
		t.Fatalf("no answer to the new update: %v", err)
	}
	if got := fake.Last(9001).Text; strings.Contains(got, "/invite") {
		t.Errorf("the second answer is /help's again: the redelivery was handled twice")
	}
	cancel()
	if r := <-done; r.err != nil {
		t.Errorf("serve ended with %v", r.err)
	}
}

// TestServeRemindsThroughTheJobQueue runs serve with the job queue: an
// officer who links gets, at once, the reminder of what waited for them (the
// Dongguan deadlines are long past), through River on the same database.
func TestServeRemindsThroughTheJobQueue(t *testing.T) {
	fake := tgfake.New(tgfake.Options{BotUsername: "zhenggai_bot"})
	defer fake.Close()
	fake.AddUser(models.User{ID: 1001, FirstName: "周杰", LanguageCode: "zh-hans"})
	c := newCLI(t)
	c.importFile(fixture.Path(t, fixture.Dongguan, "plan.csv"))
	link := c.mustRun("invite", "--person", "周杰", "--role", "officer")
	code := strings.TrimSpace(strings.SplitN(strings.SplitN(link, "start=", 2)[1], "\n", 2)[0])
	c.env["TELEGRAM_BOT_TOKEN"] = fake.Token()
	c.env["TELEGRAM_API_URL"] = fake.URL()
	c.env["RECTIBOT_HTTP_ADDR"] = freeAddr(t)
	// Always inside the send window, so the test does not depend on the day.
	c.env["RECTIBOT_WORK_HOURS"] = "00:00-24:00"
	c.env["RECTIBOT_WORKDAYS"] = "all"

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- c.runContext(ctx, "serve") }()
	fake.Text(1001, "/start "+code)

	wait, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	// The welcome, then the reminder from the job queue.
	if err := fake.WaitSent(wait, 2); err != nil {
		cancel()
		t.Fatalf("no reminder through the queue: %v\n%s", err, (<-done).errOut)
	}
	var reminder string
	for _, m := range fake.Messages(1001) {
		if strings.Contains(m.Text, "以下整改事项请抓紧办理并按时报送") {
			reminder = m.Text
		}
	}
	if !strings.Contains(reminder, "已逾期") || !strings.Contains(reminder, "立行立改四") {
		t.Errorf("the reminder: %q", reminder)
	}
	cancel()
	if r := <-done; r.err != nil {
		t.Errorf("serve ended with %v\n%s", r.err, r.errOut)
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Errorf("Telegram refused %+v", rej)
	}
}

// TestServeStopsNamingTheAddressWhenItCannotListen: with the HTTP address
// taken (the sandbox left running on it, say), serve exits 1 at once and
// says which address and which setting, rather than hanging.
func TestServeStopsNamingTheAddressWhenItCannotListen(t *testing.T) {
	_, c, _ := serveSetup(t, "zh-hans")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	c.env["RECTIBOT_HTTP_ADDR"] = busy.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := c.runContext(ctx, "serve")
	if ctx.Err() != nil {
		t.Fatal("serve hung on a busy address instead of stopping")
	}
	if r.code != exitFailure || r.err == nil || !strings.Contains(r.err.Error(), busy.Addr().String()) ||
		!strings.Contains(r.err.Error(), "RECTIBOT_HTTP_ADDR") {
		t.Errorf("exit %d: %v", r.code, r.err)
	}
}
