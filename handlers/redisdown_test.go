package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/session"
)

// TestRedisDownKeepsQueriesWorking: with the dialogue store unreachable,
// commands that need no dialogue still answer, and a dialogue says "try
// again later" without internals.
func TestRedisDownKeepsQueriesWorking(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, DialerRetries: 1, MaxRetries: -1})
	defer rdb.Close()
	h := newHarness(t, harnessOpts{sessions: session.NewRedis(rdb, "down:", session.DefaultTTL)})
	h.link("周杰", zhouJie, ledger.RoleOfficer)

	contains(t, h.say(zhouJie, "/tasks"), "立行立改四")
	contains(t, h.say(zhouJie, "/task 立行立改四"), "部分专项资金使用存在廉政风险")
	got := h.say(zhouJie, "/report 立行立改四")
	contains(t, got, "稍后再试")
	for _, internal := range []string{"redis", "127.0.0.1", "dial", "refused"} {
		if strings.Contains(strings.ToLower(got.Text), internal) {
			t.Errorf("the user was shown internals (%q): %s", internal, got.Text)
		}
	}
	h.noRejections()
}
