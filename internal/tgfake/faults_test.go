package tgfake

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestInjected429IsBinding(t *testing.T) {
	s, b, clock := newFake(t, Options{})
	s.SetFaults(FaultConfig{Rate429: 1, RetryAfter: 5})
	_, err := send(t, b, alice, "通知")
	wantRetryAfter(t, err, 5)
	s.SetFaults(FaultConfig{})
	// Retrying early is refused like on Telegram, with the time left.
	clock.Advance(2 * time.Second)
	_, err = send(t, b, alice, "通知")
	wantRetryAfter(t, err, 3)
	clock.Advance(3 * time.Second)
	if _, err := send(t, b, alice, "通知"); err != nil {
		t.Fatal(err)
	}
	if got := s.Messages(alice); len(got) != 1 || got[0].Text != "通知" {
		t.Fatalf("delivered %+v, want exactly one", got)
	}
}

func TestInjected500SendsNothing(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	s.SetFaults(FaultConfig{Rate500: 1})
	_, err := b.SendDocument(t.Context(), &bot.SendDocumentParams{ChatID: alice,
		Document: &models.InputFileUpload{Filename: "a.txt", Data: stringsReader("x")}})
	if err == nil || errors.Is(err, bot.ErrorBadRequest) {
		t.Fatalf("err = %v, want a plain error", err)
	}
	if len(s.Messages(alice)) != 0 {
		t.Fatal("a failed send was stored")
	}
	rej := s.Rejected()
	if len(rej) != 1 || rej[0].Code != 500 || rej[0].Description != "Internal Server Error" {
		t.Fatalf("Rejected = %+v", rej)
	}
}

// TestRetriesDeliverOnce is what a sender's retry loop should achieve
// against a flaky Telegram: every message exactly once, in order.
func TestRetriesDeliverOnce(t *testing.T) {
	s, b, clock := newFake(t, Options{})
	s.SetFaults(FaultConfig{Rate429: 0.2, Rate500: 0.2, RetryAfter: 2, Seed: 7})
	faults := 0
	for i := range 30 {
		for {
			_, err := send(t, b, group, fmt.Sprint(i))
			if err == nil {
				break
			}
			faults++
			var tm *bot.TooManyRequestsError
			if errors.As(err, &tm) {
				clock.Advance(time.Duration(tm.RetryAfter) * time.Second)
			} else {
				clock.Advance(100 * time.Millisecond)
			}
		}
		clock.Advance(3 * time.Second) // the group's 20/min pace
	}
	msgs := s.Messages(group)
	if len(msgs) != 30 || faults == 0 {
		t.Fatalf("%d delivered after %d faults", len(msgs), faults)
	}
	for i, m := range msgs {
		if m.Text != fmt.Sprint(i) {
			t.Fatalf("message %d is %q", i, m.Text)
		}
	}
	// The same seed gives the same faults.
	s2, b2, _ := newFake(t, Options{Limits: Limits{Unlimited: true}})
	s3, b3, _ := newFake(t, Options{Limits: Limits{Unlimited: true}})
	s2.SetFaults(FaultConfig{Rate500: 0.5, Seed: 42})
	s3.SetFaults(FaultConfig{Rate500: 0.5, Seed: 42})
	for range 20 {
		_, e2 := send(t, b2, alice, "x")
		_, e3 := send(t, b3, alice, "x")
		if (e2 == nil) != (e3 == nil) {
			t.Fatal("same seed, different faults")
		}
	}
}
