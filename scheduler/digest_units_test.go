package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// TestHalfMonthlyDigestAcrossUnits: with two units, the supervisors' group
// (bound to no unit) gets the overview ranking them; each unit's group its
// unit's digest — a department-limited one its own unit's department,
// though the other unit has one of the same name; the installation's
// admin the overview with who cannot be reached; a unit's admin their
// unit's digest and people only.
func TestHalfMonthlyDigestAcrossUnits(t *testing.T) {
	e := newNotifyEnv(t, map[string]int64{"刘洋": 1003})
	ctx := context.Background()
	db := e.store.DB()
	var dongguan models.Unit
	if err := db.Take(&dongguan).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&dongguan).Updates(map[string]any{"name": "中共东莞市委政法委员会", "short_name": "市委政法委"}).Error; err != nil {
		t.Fatal(err)
	}
	rows := []ledger.Row{
		{Seq: 1, Category: "党的建设", ProblemCode: "1", ProblemTitle: "校园安全制度落实不到位", Measures: []string{"一是修订制度。"},
			Leader: "分管副局长", Department: "委机关办公室", Officer: "赵青禾", Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 10, 15)},
			Status: ledger.StatusInProgress},
		{Seq: 2, Category: "党的建设", ProblemCode: "2", ProblemTitle: "经费管理不规范", Measures: []string{"一是完善制度。"},
			Leader: "分管副局长", Department: "人事股", Officer: "钱青禾", Deadline: ledger.Deadline{Date: ledger.MustDate(2021, 12, 31)},
			Status: ledger.StatusInProgress},
	}
	if _, err := e.store.ImportPlan(ctx, models.PlanSpec{Title: "青禾县教育局整改方案", Unit: "青禾县教育局", Year: 2021}, rows, models.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	var qinghe models.Unit
	if err := db.Where("name = ?", "青禾县教育局").Take(&qinghe).Error; err != nil {
		t.Fatal(err)
	}
	var office models.Department
	if err := db.Where("name = ? AND unit_id = ?", "委机关办公室", qinghe.ID).Take(&office).Error; err != nil {
		t.Fatal(err)
	}
	for _, g := range []models.GroupSettings{
		{ChatID: -1, Title: "巡察办群", Digests: true},
		{ChatID: -2, Title: "东莞整改群", Digests: true, UnitID: dongguan.ID},
		{ChatID: -3, Title: "青禾整改群", Digests: true, UnitID: qinghe.ID},
		{ChatID: -4, Title: "青禾办公室群", Digests: true, UnitID: qinghe.ID, DepartmentIDs: []uint{office.ID}},
	} {
		if err := e.store.SaveGroup(ctx, g, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.AddPerson(ctx, models.NewPerson{Name: "青禾整改办", Unit: "青禾县教育局", Role: ledger.RoleAdmin}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	code, _, err := e.store.CreateInvite(ctx, models.PersonRef{Name: "青禾整改办", Unit: "青禾县教育局"}, ledger.RoleAdmin, time.Hour, models.CLIActor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.RedeemInvite(ctx, code, 5003); err != nil {
		t.Fatal(err)
	}

	w := &GroupDigestWorker{Store: e.store, Out: e.out, Settings: e.n.Settings, Clock: e.clock, Zone: shanghai,
		Light: ledger.DefaultLightThresholds, Admins: []int64{9001}}
	now := time.Date(2021, 11, 16, 9, 0, 0, 0, shanghai)
	for range 2 { // the run, and the same run retried
		if err := w.Send(ctx, now, "2021-11-16T01"); err != nil {
			t.Fatal(err)
		}
	}
	one := func(chat int64, want []string, not ...string) {
		t.Helper()
		got := e.out.to(chat)
		if len(got) != 1 {
			t.Fatalf("chat %d got %d messages", chat, len(got))
		}
		for _, w := range want {
			if !strings.Contains(got[0].Text, w) {
				t.Errorf("chat %d lacks %q:\n%s", chat, w, got[0].Text)
			}
		}
		for _, n := range not {
			if strings.Contains(got[0].Text, n) {
				t.Errorf("chat %d has %q:\n%s", chat, n, got[0].Text)
			}
		}
	}
	one(-1, []string{"<b>各单位整改红黄榜</b>（截至2021年11月16日）", "共 2 个单位",
		// Both 0 %: fewer overdue first.
		"1. 青禾县教育局：按期完成率 0%（0/1）", "2. 市委政法委：按期完成率 0%（0/17）"}, "整改进展汇总")
	one(-2, []string{"整改进展汇总", "共 25 项"}, "校园安全制度", "各单位整改红黄榜")
	one(-3, []string{"整改进展汇总", "共 2 项", "校园安全制度", "半月梳理汇总"}, "共 25 项")
	one(-4, []string{"委机关办公室", "共 1 项", "校园安全制度"}, "经费管理", "共 25 项")
	one(9001, []string{"各单位整改红黄榜", "共 2 个单位", "尚未绑定", "张伟", "赵青禾"})
	one(5003, []string{"整改进展汇总", "共 2 项", "尚未绑定", "赵青禾", "钱青禾"}, "张伟", "共 25 项", "各单位整改红黄榜")
}
