package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// looksReal has the shape of a BotFather token (not a live one).
const looksReal = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"

func TestSandboxRefusesARealLookingToken(t *testing.T) {
	c := &cli{t: t, env: map[string]string{"TELEGRAM_BOT_TOKEN": looksReal}}
	r := c.run("sandbox", "--addr", "127.0.0.1:0")
	if r.code != exitConfig || !strings.Contains(r.err.Error(), "--ignore-token") || strings.Contains(r.err.Error(), looksReal) {
		t.Fatalf("exit %d, %v", r.code, r.err)
	}
}

// With --ignore-token it starts, says where the page is, and stops with its
// context; the bot's own settings (a DATABASE_URL it cannot use) are not
// read.
func TestSandboxStartsAndStops(t *testing.T) {
	c := &cli{t: t, env: map[string]string{"TELEGRAM_BOT_TOKEN": looksReal, "DATABASE_URL": "mysql://nowhere"}}
	// Time to build (River's migrations alone take a second under -race on
	// a loaded machine), serve, and stop when the context ends.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	r := c.runContext(ctx, "sandbox", "--ignore-token", "--addr", "127.0.0.1:0")
	if r.err != nil || !strings.Contains(r.out, "open http://127.0.0.1:") {
		t.Fatalf("exit %d, %v, out %q, err %q", r.code, r.err, r.out, r.errOut)
	}
}
