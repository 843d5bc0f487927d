package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/models"
)

// TestEscalationsReachTheGroupsThatWantThem: a late task's escalation goes
// to the groups subscribed to escalations for its department, once.
func TestEscalationsReachTheGroupsThatWantThem(t *testing.T) {
	e := newNotifyEnv(t, nil)
	ctx := context.Background()
	for _, g := range []models.GroupSettings{
		{ChatID: -1, Title: "督办群", Escalations: true},
		{ChatID: -2, Title: "只要汇总", Digests: true},
	} {
		if err := e.store.SaveGroup(ctx, g, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	items, _ := e.store.TaskItemsByCode(ctx, "4") // 刘洋, due 2021-09-30
	w := &GroupEscalationWorker{Store: e.store, Out: e.out, Settings: e.n.Settings, Clock: e.clock, Zone: shanghai}
	now := time.Date(2021, 10, 11, 9, 0, 0, 0, shanghai)
	for range 2 {
		if err := w.Send(ctx, items[0].ID, "2021-10-11", now); err != nil {
			t.Fatal(err)
		}
	}
	got := e.out.to(-1)
	if len(got) != 1 || !strings.Contains(got[0].Text, "逾期督办") || !strings.Contains(got[0].Text, "刘洋") ||
		!strings.Contains(got[0].Text, "3 个工作日") || !strings.Contains(got[0].Text, "政治部主任") {
		t.Errorf("the escalations group: %+v", got)
	}
	if n := len(e.out.to(-2)); n != 0 {
		t.Errorf("a group without escalations got %d messages", n)
	}
}
