package sandbox

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/riverqueue/river"
)

// TestRiverLogLeavesOutWhatTheClockMakesItSay: after a move of the
// sandbox's clock River's leader lapses and its queues' rows are cleaned
// away; neither reaches the visitor's terminal, and every other line of
// River's does — a queue that cannot be read for another reason too.
func TestRiverLogLeavesOutWhatTheClockMakesItSay(t *testing.T) {
	var out bytes.Buffer
	cfg := &river.Config{Logger: slog.New(slog.NewTextHandler(&out, nil)).With(slog.String("component", "river"))}
	quietLeaderLapse(cfg)
	log, ctx := cfg.Logger, context.Background()

	log.InfoContext(ctx, "elector: reelection deadline elapsed; stepping down")
	log.ErrorContext(ctx, "producer: Error fetching queue settings", slog.String("err", "not found"))
	log.ErrorContext(ctx, "producer: Queue row not found when polling for setting changes", slog.String("queue", "default"))
	if out.Len() != 0 {
		t.Errorf("the clock's moves were logged:\n%s", out.String())
	}

	log.ErrorContext(ctx, "producer: Error fetching queue settings", slog.String("err", "database is locked"))
	log.WarnContext(ctx, "jobexecutor: job errored", slog.String("err", "boom"))
	for _, want := range []string{"database is locked", "job errored", "component=river"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("River's log lost %q:\n%s", want, out.String())
		}
	}
}
