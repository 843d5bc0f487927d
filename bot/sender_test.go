package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/outbound"
)

func TestSenderWaitsOutTelegramsFloodLimits(t *testing.T) {
	// Our limiter lets everything through, so the fake's real limits (1/s
	// per private chat after a burst of 3) answer 429 with retry_after.
	e := newEdge(t, tgfake.Limits{}, generous)
	e.fake.AddUser(models.User{ID: 42, FirstName: "周杰"})
	s := e.bot.Sender()
	for i := range 8 {
		if _, err := s.Send(context.Background(), outbound.Message{ChatID: 42, Text: fmt.Sprintf("第 %d 条", i)}); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	msgs := e.fake.Messages(42)
	if len(msgs) != 8 {
		t.Fatalf("%d messages delivered, want 8", len(msgs))
	}
	for i, m := range msgs {
		if m.Text != fmt.Sprintf("第 %d 条", i) {
			t.Errorf("message %d is %q: out of order or doubled", i, m.Text)
		}
	}
	rejected := rejected429(e.fake)
	if rejected == 0 || len(e.waits) != rejected {
		t.Errorf("%d 429s, %d waits: every 429 must be waited out", rejected, len(e.waits))
	}
	// None sent before its retry_after: consecutive sends after the burst are
	// at least a second apart on the fake's clock.
	for i := 3; i < len(msgs); i++ {
		if gap := msgs[i].At.Sub(msgs[i-1].At); gap < time.Second {
			t.Errorf("messages %d and %d only %s apart", i-1, i, gap)
		}
	}
	if len(e.deliveries.deliveries) != 8 {
		t.Errorf("%d deliveries recorded, want 8", len(e.deliveries.deliveries))
	}
}

func TestBlockedUserIsMarkedUnreachableAndNotRetried(t *testing.T) {
	e := newEdge(t, tgfakeNoLimits, generous)
	e.fake.AddUser(models.User{ID: 42})
	e.fake.Block(42)
	_, err := e.bot.Sender().Send(context.Background(), outbound.Message{ChatID: 42, Text: "提醒"})
	if !errors.Is(err, outbound.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if e.fake.Calls("sendMessage") != 1 {
		t.Errorf("%d sendMessage calls, want 1 (403 is not retried)", e.fake.Calls("sendMessage"))
	}
	if len(e.deliveries.unreachable) != 1 || e.deliveries.unreachable[0] != 42 {
		t.Errorf("unreachable %v", e.deliveries.unreachable)
	}
}

func TestFlakyTelegramStillDeliversEveryMessageExactlyOnce(t *testing.T) {
	e := newEdge(t, tgfakeNoLimits, generous)
	e.fake.SetFaults(tgfake.FaultConfig{Rate429: 0.1, Rate500: 0.05, RetryAfter: 2, Seed: 7})
	for id := int64(1); id <= 20; id++ {
		e.fake.AddUser(models.User{ID: id})
	}
	s := e.bot.Sender()
	for i := range 200 {
		chat := int64(i%20 + 1)
		if _, err := s.Send(context.Background(), outbound.Message{ChatID: chat, Text: fmt.Sprintf("msg %d", i)}); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	seen := map[string]int{}
	for id := int64(1); id <= 20; id++ {
		for _, m := range e.fake.Messages(id) {
			seen[m.Text]++
		}
	}
	for i := range 200 {
		if n := seen[fmt.Sprintf("msg %d", i)]; n != 1 {
			t.Errorf("msg %d delivered %d times", i, n)
		}
	}
	var r429, r500 int
	for _, r := range e.fake.Rejected() {
		switch r.Code {
		case 429:
			r429++
		case 500:
			r500++
		}
	}
	if r429 == 0 || r500 == 0 {
		t.Errorf("the fake injected %d 429s and %d 500s: the test did not exercise retries", r429, r500)
	}
}

func TestInvalidMessageIsAnErrorNotARetry(t *testing.T) {
	e := newEdge(t, tgfakeNoLimits, generous)
	e.fake.AddUser(models.User{ID: 42})
	_, err := e.bot.Sender().Send(context.Background(), outbound.Message{ChatID: 42, Text: strings.Repeat("长", 4097)})
	if err == nil || e.fake.Calls("sendMessage") != 1 {
		t.Errorf("an over-long message: err %v after %d calls; want one refused call", err, e.fake.Calls("sendMessage"))
	}
}

func TestTheTokenNeverReachesTheLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	token := "123456:SECRETsecretSECRETsecret_abc"
	// Our own poller talks HTTP itself; the client's errors carry the URL,
	// token included. It stops at its first wait after a failed round.
	in := NewInbox(nil, nil, nil, nil, NewMetrics(), quiet(), InboxOptions{})
	p := NewPoller("http://127.0.0.1:1", token, in, redactingLog(log, token), time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p.sleep = func(context.Context, time.Duration) error {
		cancel()
		return ctx.Err()
	}
	_ = p.Run(ctx)
	if !strings.Contains(buf.String(), "getUpdates round failed") {
		t.Fatalf("the poller logged no failure:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "SECRET") {
		t.Errorf("the token leaked into the log:\n%s", buf.String())
	}
	// And an error that carries it is redacted but still matches its cause.
	err := redact(fmt.Errorf("post %s: %w", "http://x/bot"+token+"/getMe", context.DeadlineExceeded), token)
	if strings.Contains(err.Error(), "SECRET") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("redact: %v", err)
	}
}

func TestADeferrableMessageReturnsTheWaitInsteadOfWaiting(t *testing.T) {
	e := newEdge(t, tgfake.Limits{}, generous)
	e.fake.AddUser(models.User{ID: 42})
	s := e.bot.Sender()
	var wait *outbound.RetryAfterError
	for i := range 6 {
		_, err := s.Send(context.Background(), outbound.Message{ChatID: 42, Text: fmt.Sprintf("提醒 %d", i), Deferrable: true})
		if errors.As(err, &wait) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if wait == nil || wait.After < time.Second {
		t.Fatalf("no RetryAfterError after a burst into one chat (wait %v)", wait)
	}
	if len(e.waits) != 0 {
		t.Errorf("the sender waited %v for a deferrable message", e.waits)
	}
}

// TestMenusWaitOutTelegramsFloodLimits: setMyCommands answered 429 is
// waited out as a message is, and every menu is set in the end.
func TestMenusWaitOutTelegramsFloodLimits(t *testing.T) {
	e := newEdge(t, tgfakeNoLimits, generous)
	e.fake.SetFaults(tgfake.FaultConfig{Rate429: 0.3, RetryAfter: 3, Seed: 11})
	menus := []outbound.Menu{
		{Scope: outbound.ScopePrivate, Commands: []outbound.Command{{Name: "tasks", Description: "我的整改任务"}}},
		{Scope: outbound.ScopeGroups, Commands: []outbound.Command{{Name: "digest", Description: "整改进展汇总"}}},
	}
	for id := int64(1); id <= 10; id++ {
		e.fake.AddUser(models.User{ID: id})
		menus = append(menus, outbound.Menu{Scope: outbound.ScopeAdminChat, ChatID: id, Language: "zh",
			Commands: []outbound.Command{{Name: "overview", Description: "各单位整改红黄榜"}}})
	}
	if err := e.bot.SetCommands(context.Background(), menus); err != nil {
		t.Fatalf("SetCommands: %v", err)
	}
	if got := e.fake.Commands("all_private_chats", ""); len(got) != 1 || got[0].Command != "tasks" {
		t.Errorf("private chats' menu: %+v", got)
	}
	for id := int64(1); id <= 10; id++ {
		if got := e.fake.Commands(fmt.Sprintf("chat:%d", id), "zh"); len(got) != 1 || got[0].Command != "overview" {
			t.Errorf("chat %d's menu: %+v", id, got)
		}
	}
	rejected := rejected429(e.fake)
	if rejected == 0 || len(e.waits) != rejected {
		t.Errorf("%d setMyCommands answered 429, %d waits: every 429 must be waited out", rejected, len(e.waits))
	}
}

// rejected429 counts the calls the fake answered 429.
func rejected429(fake *tgfake.Server) int {
	n := 0
	for _, r := range fake.Rejected() {
		if r.Code == 429 {
			n++
		}
	}
	return n
}
