package handlers_test

// Helpers of the /report and reply tests.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/session"
)

// expiringHarness is a harness whose dialogues a test can expire. In memory
// the clock moves past the TTL. With Redis (REDIS_URL), whose TTLs run on
// its own clock, the state key is deleted and its marker kept — exactly
// what Redis leaves when the state's TTL lapses before the marker's.
func expiringHarness(t *testing.T) (*harness, func(chat, user int64)) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		h := newHarness(t)
		return h, func(int64, int64) { h.clock.Advance(session.DefaultTTL + time.Minute) }
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		if keys, _ := rdb.Keys(context.Background(), prefix+"*").Result(); len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
		_ = rdb.Close()
	})
	h := newHarness(t, harnessOpts{sessions: session.NewRedis(rdb, prefix, session.DefaultTTL)})
	return h, func(chat, user int64) {
		if err := rdb.Del(context.Background(), fmt.Sprintf("%ssess:{%d}:%d", prefix, chat, user)).Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// reportEntries are the progress entries written through the bot (not the
// imported ones), oldest first.
func reportEntries(h *harness, code string) []dbmodels.ProgressEntry {
	h.t.Helper()
	var out []dbmodels.ProgressEntry
	err := h.store.DB().Where("task_id = ? AND source <> ?", h.taskID(code), dbmodels.SourceImport).Order("id").Find(&out).Error
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

func reportAttachments(h *harness, entryID uint) []dbmodels.Attachment {
	h.t.Helper()
	var out []dbmodels.Attachment
	if err := h.store.DB().Where("progress_entry_id = ?", entryID).Order("id").Find(&out).Error; err != nil {
		h.t.Fatal(err)
	}
	return out
}

// reportAnswer is the text of the latest answer to a button press.
func reportAnswer(h *harness) string {
	h.t.Helper()
	answers := h.fake.CallbackAnswers()
	if len(answers) == 0 {
		h.t.Fatal("no button press was answered")
	}
	return answers[len(answers)-1].Text
}
