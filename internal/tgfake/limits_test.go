package tgfake

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestPrivateChatLimit(t *testing.T) {
	s, b, clock := newFake(t, Options{})
	for i := range 3 { // the tolerated burst
		if _, err := send(t, b, alice, fmt.Sprint(i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	_, err := send(t, b, alice, "too soon")
	wantRetryAfter(t, err, 1)
	// Another chat is not affected.
	if _, err := send(t, b, bob, "bob"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if _, err := send(t, b, alice, "after a second"); err != nil {
		t.Fatal(err)
	}
	_, err = send(t, b, alice, "again too soon")
	wantRetryAfter(t, err, 1)
	if n := len(s.Messages(alice)); n != 4 {
		t.Fatalf("%d messages stored, want 4 (refused sends store nothing)", n)
	}
	// Edits are not limited.
	last := s.Last(alice)
	for i := range 5 {
		if _, err := b.EditMessageText(t.Context(), &bot.EditMessageTextParams{ChatID: alice, MessageID: last.MessageID, Text: fmt.Sprint("edit ", i)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGroupLimit(t *testing.T) {
	_, b, clock := newFake(t, Options{})
	for i := range 20 {
		if _, err := send(t, b, group, fmt.Sprint(i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		clock.Advance(time.Second)
	}
	// 20 sends in the last 20 s: the first leaves the window 40 s from now.
	_, err := send(t, b, group, "21st")
	wantRetryAfter(t, err, 40)
	clock.Advance(39*time.Second + 500*time.Millisecond)
	_, err = send(t, b, group, "21st")
	wantRetryAfter(t, err, 1) // half a second, rounded up
	clock.Advance(500 * time.Millisecond)
	if _, err := send(t, b, group, "21st"); err != nil {
		t.Fatal(err)
	}
}

func TestGlobalLimit(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	for i := range 31 {
		s.AddUser(models.User{ID: 5000 + int64(i)})
	}
	for i := range 30 {
		if _, err := send(t, b, 5000+int64(i), "x"); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	_, err := send(t, b, 5030, "31st in one second")
	wantRetryAfter(t, err, 1)
}

func TestConfiguredLimits(t *testing.T) {
	_, b, _ := newFake(t, Options{Limits: Limits{PrivateBurst: 1, PrivateEvery: 5 * time.Second}})
	if _, err := send(t, b, alice, "1"); err != nil {
		t.Fatal(err)
	}
	_, err := send(t, b, alice, "2")
	wantRetryAfter(t, err, 5)

	_, b, _ = newFake(t, Options{Limits: Limits{Unlimited: true}})
	for i := range 50 {
		if _, err := send(t, b, alice, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestThousandSendsUnderTheLimits paces 1,000 sends over 100 chats the way
// a compliant sender would (one every 34 ms, round-robin) on a fake clock:
// none is refused, and no second of real time passes.
func TestThousandSendsUnderTheLimits(t *testing.T) {
	s, b, clock := newFake(t, Options{})
	for i := range 100 {
		s.AddUser(models.User{ID: 10000 + int64(i)})
	}
	start := time.Now()
	for i := range 1000 {
		if _, err := send(t, b, 10000+int64(i%100), fmt.Sprintf("第%d条", i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		clock.Advance(34 * time.Millisecond)
	}
	if s.SentTotal() != 1000 || len(s.Messages(10042)) != 10 || len(s.Rejected()) != 0 {
		t.Fatalf("sent %d, rejected %d", s.SentTotal(), len(s.Rejected()))
	}
	t.Logf("1000 sends in %v of real time", time.Since(start))
}

// TestParallelSenders hammers one chat from many goroutines: ids stay
// unique and dense, and WaitSent sees them all.
func TestParallelSenders(t *testing.T) {
	s, b, _ := newFake(t, Options{Limits: Limits{Unlimited: true}})
	var wg sync.WaitGroup
	for w := range 20 {
		wg.Go(func() {
			for i := range 10 {
				if _, err := send(t, b, group, fmt.Sprint(w, "-", i)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	if err := s.WaitSent(t.Context(), 200); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, m := range s.Messages(group) {
		seen[m.MessageID] = true
	}
	if len(seen) != 200 || !seen[1] || !seen[200] {
		t.Fatalf("%d distinct ids", len(seen))
	}
}

func BenchmarkSendMessage(b *testing.B) {
	s := New(Options{Limits: Limits{Unlimited: true}})
	defer s.Close()
	s.AddUser(models.User{ID: alice})
	c, _ := bot.New(s.Token(), bot.WithServerURL(s.URL()), bot.WithSkipGetMe())
	for b.Loop() {
		if _, err := c.SendMessage(b.Context(), &bot.SendMessageParams{ChatID: alice, Text: "<b>x</b>", ParseMode: models.ParseModeHTML}); err != nil {
			b.Fatal(err)
		}
	}
}
