package tgfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestStartDeliversQueuedUpdates(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	got := make(chan *models.Update, 10)
	b, err := bot.New(s.Token(), bot.WithServerURL(s.URL()), bot.WithSkipGetMe(),
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
			got <- u
			if u.Message != nil {
				_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "收到: " + u.Message.Text})
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	// The command handler matches on the bot_command entity the fake adds.
	b.RegisterHandler(bot.HandlerTypeMessageText, "start", bot.MatchTypeCommand, func(_ context.Context, _ *bot.Bot, u *models.Update) {
		got <- &models.Update{ID: u.ID, Message: &models.Message{Text: "matched /start"}}
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	s.Text(alice, "/start")
	s.Text(alice, "整改已完成")
	// go-telegram/bot runs each update in its own goroutine: any order.
	texts := map[string]bool{}
	for range 2 {
		texts[(<-got).Message.Text] = true
	}
	if !texts["matched /start"] || !texts["整改已完成"] {
		t.Fatalf("handled %v", texts)
	}
	if err := s.WaitSent(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	if s.Last(alice).Text != "收到: 整改已完成" {
		t.Fatalf("reply = %+v", s.Last(alice))
	}
	// A later update wakes the pending long poll at once.
	before := time.Now()
	s.Press(alice, alice, s.Last(alice).MessageID, "x")
	if u := <-got; u.CallbackQuery == nil || time.Since(before) > 2*time.Second {
		t.Fatalf("callback update = %+v after %v", u, time.Since(before))
	}
}

func getUpdates(t *testing.T, s *Server, params map[string]any) (int, []models.Update, rawResponse) {
	t.Helper()
	code, r := call(t, s, "getUpdates", params)
	var ups []models.Update
	if r.OK {
		if err := json.Unmarshal(r.Result, &ups); err != nil {
			t.Fatal(err)
		}
	}
	return code, ups, r
}

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	a := s.Text(alice, "1")
	s.Text(alice, "2")
	c := s.Text(bob, "3")
	_, ups, _ := getUpdates(t, s, map[string]any{"limit": 2})
	if len(ups) != 2 || ups[0].ID != a.ID || ups[1].Message.Text != "2" {
		t.Fatalf("limit 2: %+v", ups)
	}
	// Without an offset nothing is confirmed.
	if _, ups, _ = getUpdates(t, s, nil); len(ups) != 3 {
		t.Fatalf("unconfirmed: %d", len(ups))
	}
	_, ups, _ = getUpdates(t, s, map[string]any{"offset": c.ID})
	if len(ups) != 1 || ups[0].ID != c.ID || s.Pending() != 1 {
		t.Fatalf("offset: %+v, pending %d", ups, s.Pending())
	}
	s.Text(alice, "4")
	s.Text(alice, "5")
	_, ups, _ = getUpdates(t, s, map[string]any{"offset": -1})
	if len(ups) != 1 || ups[0].Message.Text != "5" || s.Pending() != 1 {
		t.Fatalf("offset -1: %+v", ups)
	}
}

func TestLongPollTimeoutAndConflict(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	start := time.Now()
	if _, ups, _ := getUpdates(t, s, map[string]any{"timeout": 1}); len(ups) != 0 || time.Since(start) < 900*time.Millisecond {
		t.Fatalf("timeout: %d updates after %v", len(ups), time.Since(start))
	}

	poll := func(out chan<- rawResponse) {
		_, r, err := tryPost(t.Context(), s.URL()+"/bot"+s.Token()+"/getUpdates", "application/json",
			bytes.NewReader([]byte(`{"timeout":30}`)))
		if err != nil {
			t.Error(err)
		}
		out <- r
	}
	first, second := make(chan rawResponse, 1), make(chan rawResponse, 1)
	go poll(first)
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.poll != nil })
	go poll(second)
	// Telegram ends the older request, not the newer.
	r := <-first
	if r.ErrorCode != 409 || !strings.HasPrefix(r.Description, "Conflict: terminated by other getUpdates request") {
		t.Fatalf("first poll: %+v", r)
	}
	s.Text(alice, "hi")
	if r := <-second; !r.OK || !strings.Contains(string(r.Result), `"text":"hi"`) {
		t.Fatalf("second poll: %+v", r)
	}
}

func TestLongPollHonoursCancellation(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, _ := bot.New(s.Token(), bot.WithServerURL(s.URL()), bot.WithSkipGetMe())
		c.Start(ctx)
	}()
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.poll != nil })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Start did not return after cancel")
	}
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.poll == nil })
}

func TestWebhookBlocksGetUpdates(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	_, err := b.SetWebhook(t.Context(), &bot.SetWebhookParams{URL: "http://example.com/hook"})
	wantBadRequest(t, err, "An HTTPS URL must be provided for webhook")
	_, err = b.SetWebhook(t.Context(), &bot.SetWebhookParams{URL: "https://example.com:9000/hook"})
	wantBadRequest(t, err, "ports 80, 88, 443 or 8443")
	_, err = b.SetWebhook(t.Context(), &bot.SetWebhookParams{URL: "https://example.com/hook", SecretToken: "bad token!"})
	wantBadRequest(t, err, "secret token")
	if _, err := b.SetWebhook(t.Context(), &bot.SetWebhookParams{URL: "https://example.com/hook", SecretToken: "s3cr3t"}); err != nil {
		t.Fatal(err)
	}
	if w := s.Webhook(); w.URL != "https://example.com/hook" || w.SecretToken != "s3cr3t" {
		t.Fatalf("Webhook = %+v", w)
	}
	s.Text(alice, "queued while the webhook is set")
	info, err := b.GetWebhookInfo(t.Context())
	if err != nil || info.URL != "https://example.com/hook" || info.PendingUpdateCount != 1 {
		t.Fatalf("info = %+v, %v", info, err)
	}
	code, _, r := getUpdates(t, s, nil)
	if code != 409 || !strings.Contains(r.Description, "can't use getUpdates method while webhook is active") {
		t.Fatalf("getUpdates: %d %+v", code, r)
	}
	if _, err := b.DeleteWebhook(t.Context(), &bot.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
	if _, ups, _ := getUpdates(t, s, nil); len(ups) != 1 {
		t.Fatalf("after deleteWebhook: %d updates", len(ups))
	}
}

func TestGroupPrivacyMode(t *testing.T) {
	s, b, _ := newFake(t, Options{BotUsername: "zg_bot"})
	m, _ := send(t, b, group, "请各单位回复")
	chat := s.GroupText(group, alice, "闲聊")        // not for the bot
	s.GroupText(group, alice, "/report@other_bot") // another bot's command
	cmd := s.GroupText(group, carol, "/report")
	if !s.Withheld(chat.ID) || s.Withheld(cmd.ID) {
		t.Errorf("Withheld: chatter %v, command %v", s.Withheld(chat.ID), s.Withheld(cmd.ID))
	}
	s.GroupText(group, bob, "问一下 @zg_bot")
	s.Reply(alice, group, m.ID, "已回复")
	_, ups, _ := getUpdates(t, s, nil)
	var texts []string
	for _, u := range ups {
		texts = append(texts, u.Message.Text)
	}
	if strings.Join(texts, "|") != "/report|问一下 @zg_bot|已回复" {
		t.Fatalf("delivered %q", texts)
	}

	s2, _, _ := newFake(t, Options{PrivacyOff: true})
	s2.GroupText(group, alice, "闲聊")
	if s2.Pending() != 1 {
		t.Fatal("privacy off: group message not queued")
	}
}

func TestAllowedUpdates(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	m, _ := send(t, b, alice, "x", keyboard([]models.InlineKeyboardButton{cb("a", "a")}))
	s.Text(alice, "text")
	s.Press(alice, alice, m.ID, "a")
	_, ups, _ := getUpdates(t, s, map[string]any{"allowed_updates": []string{"callback_query"}})
	if len(ups) != 1 || ups[0].CallbackQuery == nil || s.Pending() != 1 {
		t.Fatalf("allowed_updates: %+v", ups)
	}
}

func TestUpdateHelpers(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	f := s.Forwarded(alice, "转发的通知")
	if o := f.Message.ForwardOrigin; o == nil || o.MessageOriginUser == nil || o.MessageOriginUser.SenderUser.ID == alice {
		t.Fatalf("forward_origin = %+v", o)
	}
	p1, p2 := s.Photo(alice, "现场1", "album"), s.Photo(alice, "", "album")
	if p1.Message.MediaGroupID != "album" || p2.Message.MediaGroupID != "album" || p1.ID+1 != p2.ID {
		t.Fatalf("album = %+v / %+v", p1.Message, p2.Message)
	}
	cp := s.ChannelPost(-100123, "公告")
	if cp.ChannelPost == nil || cp.ChannelPost.SenderChat == nil || cp.ChannelPost.Chat.Type != models.ChatTypeChannel {
		t.Fatalf("channel post = %+v", cp)
	}
	if _, err := send(t, b, -100123, "channel reply"); err != nil {
		t.Fatal(err)
	}
	// A returned update is the caller's: changing it leaves the queue alone.
	u := s.Text(bob, "原文")
	u.Message.Text = "changed"
	_, ups, _ := getUpdates(t, s, map[string]any{"offset": u.ID})
	if len(ups) != 1 || ups[0].Message.Text != "原文" {
		t.Fatalf("queued = %+v", ups)
	}
}

func TestWaitSentHonoursContext(t *testing.T) {
	s, _, _ := newFake(t, Options{})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := s.WaitSent(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

// waitFor polls a condition on server state that has no signal of its own
// (whether a long poll is parked), for at most 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestMembershipUpdates(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	s.Block(alice)
	s.Text(alice, "/start") // Restart: unblocks first
	up := s.BotAdded(-5001, "新群", bob)
	if _, err := send(t, b, -5001, "大家好"); err != nil {
		t.Fatal(err)
	}
	s.RemoveFromGroup(-5001, bob)
	_, ups, _ := getUpdates(t, s, nil)
	var got []string
	for _, u := range ups {
		switch {
		case u.MyChatMember != nil:
			m := u.MyChatMember
			got = append(got, string(m.OldChatMember.Type)+">"+string(m.NewChatMember.Type))
		case u.Message != nil:
			got = append(got, u.Message.Text)
		}
	}
	if strings.Join(got, " ") != "member>kicked kicked>member /start left>member member>left" {
		t.Fatalf("updates = %v", got)
	}
	if up.MyChatMember.NewChatMember.Member == nil || up.MyChatMember.NewChatMember.Member.User.ID != 7000000001 {
		t.Fatalf("BotAdded = %+v", up.MyChatMember)
	}
	_, err := send(t, b, -5001, "还在吗")
	wantForbidden(t, err, "bot was kicked from the group chat")
}
