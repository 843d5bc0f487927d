package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/models"
)

// TestInboxListsFailedUpdatesAndPutsOneBackInLine: an operator sees what
// the bot could not handle — who wrote what, and why it failed — and can
// put an update back in line for the running bot.
func TestInboxListsFailedUpdatesAndPutsOneBackInLine(t *testing.T) {
	c := newCLI(t)
	if r := c.run("inbox"); r.err != nil || !strings.Contains(r.out, "no failed updates") {
		t.Fatalf("empty inbox: %q %v", r.out, r.err)
	}
	store := c.store()
	now := time.Date(2021, 11, 1, 2, 0, 0, 0, time.UTC)
	payload := `{"update_id":501,"message":{"message_id":7,"date":0,"chat":{"id":1003,"type":"private"},"text":"/report 8(2) 已完成材料归档，请审核"}}`
	if _, err := store.StoreUpdates(context.Background(), []models.InboxUpdate{
		{UpdateID: 501, ChatID: 1003, Kind: models.UpdateCommand, Payload: payload, ReceivedAt: now, NextAttemptAt: now},
		{UpdateID: 502, ChatID: 1003, Kind: models.UpdateMessage, Payload: `{"update_id":502}`, ReceivedAt: now, NextAttemptAt: now},
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.FailUpdate(context.Background(), 501, 10, "sendMessage: telegram refused the request: Bad Request: can't parse entities", now); err != nil {
		t.Fatal(err)
	}
	r := c.run("inbox")
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, want := range []string{"501", "1003", "command", "10", "/report 8(2)", "can't parse entities"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("rectibot inbox lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "502") {
		t.Errorf("an update still waiting is listed as failed:\n%s", r.out)
	}

	if r := c.run("inbox", "--retry", "502"); r.code != exitBadInput {
		t.Errorf("retrying an update that did not fail: exit %d %v", r.code, r.err)
	}
	if r := c.run("inbox", "--retry", "501"); r.err != nil || !strings.Contains(r.out, "back in line") {
		t.Fatalf("retry: %q %v", r.out, r.err)
	}
	outcome, done, err := store.UpdateOutcome(context.Background(), 501)
	if err != nil || done || outcome != "" {
		t.Errorf("after --retry: outcome %q done %v (%v); want waiting again", outcome, done, err)
	}
	if r := c.run("inbox"); !strings.Contains(r.out, "no failed updates") {
		t.Errorf("after --retry the update is still listed:\n%s", r.out)
	}
}

// store opens the CLI's database, migrated, the way the commands do.
func (c *cli) store() *models.Store {
	c.t.Helper()
	if r := c.run("migrate"); r.err != nil {
		c.t.Fatal(r.err)
	}
	db, _, _ := openDBFor(c.t, func(k string) string { return c.env[k] })
	c.t.Cleanup(func() { _ = models.Close(db) })
	return models.NewStore(db, clock.System{})
}
