package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
)

// failingReady is an inbox table whose ReadyChats fails: with the
// context's error when stop cancels it during the call (as a shutdown
// does), with errDown otherwise.
type failingReady struct {
	InboxStore
	stop context.CancelFunc
}

var errDown = errors.New("connection refused")

func (f failingReady) ReadyChats(ctx context.Context, _ string, _ time.Time, _ int) ([]int64, error) {
	if f.stop != nil {
		f.stop()
		return nil, ctx.Err()
	}
	return nil, errDown
}

// TestTheInboxStopsWithoutComplaint: a database failing under a live
// inbox is a warning; the same call cut short by the process stopping
// ("context canceled") is not — every stop logged one.
func TestTheInboxStopsWithoutComplaint(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	clk := clock.NewManual(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))

	NewInbox(failingReady{}, nil, nil, clk, NewMetrics(), log, InboxOptions{}).Poll(context.Background())
	if !strings.Contains(buf.String(), "look for ready chats") || !strings.Contains(buf.String(), errDown.Error()) {
		t.Fatalf("a failing database was not logged:\n%s", buf.String())
	}

	buf.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	NewInbox(failingReady{stop: cancel}, nil, nil, clk, NewMetrics(), log, InboxOptions{}).Poll(ctx)
	if buf.Len() != 0 {
		t.Errorf("a stop was logged as a failure:\n%s", buf.String())
	}
}
