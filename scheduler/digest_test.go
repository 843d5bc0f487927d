package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// TestHalfMonthlyDigestGoesToGroupsAndAdminsOnce: the groups subscribed to
// digests get theirs (a department-limited group only its department), the
// admins get the whole digest with who cannot be reached, and a run retried
// sends nothing twice.
func TestHalfMonthlyDigestGoesToGroupsAndAdminsOnce(t *testing.T) {
	e := newNotifyEnv(t, map[string]int64{"刘洋": 1003, "周杰": 1001})
	ctx := context.Background()
	if err := e.store.MarkUnreachable(ctx, 1001); err != nil { // 周杰 blocked the bot
		t.Fatal(err)
	}
	depts, _ := e.store.Departments(ctx)
	var politics uint
	for _, d := range depts {
		if d.Name == "政治部" {
			politics = d.ID
		}
	}
	for _, g := range []models.GroupSettings{
		{ChatID: -1, Title: "整改工作群", Digests: true},
		{ChatID: -2, Title: "政治部群", Digests: true, DepartmentIDs: []uint{politics}},
		{ChatID: -3, Title: "只要销号通知", Closures: true},
	} {
		if err := e.store.SaveGroup(ctx, g, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	w := &GroupDigestWorker{Store: e.store, Out: e.out, Settings: e.n.Settings, Clock: e.clock, Zone: shanghai,
		Light: ledger.DefaultLightThresholds, Admins: []int64{9001}}
	now := time.Date(2021, 11, 16, 9, 0, 0, 0, shanghai)
	for range 2 { // the run, and the same run retried
		if err := w.Send(ctx, now, "2021-11-16T01"); err != nil {
			t.Fatal(err)
		}
	}
	all, politicsOnly := e.out.to(-1), e.out.to(-2)
	if len(all) != 1 || !strings.Contains(all[0].Text, "共 25 项") || !strings.Contains(all[0].Text, "半月梳理汇总（2021年11月1日至2021年11月16日）") {
		t.Errorf("the whole-ledger group: %+v", all)
	}
	if len(politicsOnly) != 1 || !strings.Contains(politicsOnly[0].Text, "政治部") || strings.Contains(politicsOnly[0].Text, "委机关办公室") {
		t.Errorf("the 政治部 group: %+v", politicsOnly)
	}
	if n := len(e.out.to(-3)); n != 0 {
		t.Errorf("a group not subscribed to digests got %d messages", n)
	}
	admin := e.out.to(9001)
	if len(admin) != 1 {
		t.Fatalf("the admin got %d messages", len(admin))
	}
	for _, want := range []string{"共 25 项", "无法送达", "已屏蔽本助手（1）：周杰", "尚未绑定", "张伟"} {
		if !strings.Contains(admin[0].Text, want) {
			t.Errorf("the admin's digest lacks %q:\n%s", want, admin[0].Text)
		}
	}
	if strings.Contains(admin[0].Text, "刘洋") && strings.Contains(strings.SplitN(admin[0].Text, "无法送达", 2)[1], "刘洋") {
		t.Error("刘洋 is linked and reachable, yet listed")
	}
}
