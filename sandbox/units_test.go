package sandbox_test

import (
	"strings"
	"testing"
)

// qingheWords are words only the second unit's ledger has: its name, its
// task codes, its problems.
var qingheWords = []string{"青禾", "县教育局", "议事规则", "营养餐", "校外培训", "公务接待", "政府采购", "孙丽", "陈刚"}

// The 巡察办 ranks both units; pressing one opens that unit's digest, and
// its own figures only.
func TestTheSupervisorRanksBothUnits(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	ov := c.send("supervisor", apiSupervisor, "/overview")
	mustContain(t, ov, "各单位整改红黄榜")
	mustContain(t, ov, "共 2 个单位")
	for _, unit := range []string{"政法委", "教育局"} {
		mustContain(t, ov, unit)
		if !hasButton(ov, unit) {
			t.Errorf("no button for %s on the overview: %+v", unit, ov.Buttons)
		}
	}
	// Dongguan closed most of what fell due on time; the bureau a third.
	if !strings.Contains(ov.HTML, "1. 市委政法委：按期完成率") || !strings.Contains(ov.HTML, "2. 县教育局：按期完成率 33.3%") {
		t.Errorf("the units are not ranked by on-time rate:\n%s", ov.HTML)
	}

	c.press("supervisor", apiSupervisor, ov, "教育局")
	digest := c.last(apiSupervisor)
	// 7 tasks: 1 closed, 1 long-term, 1 waiting for 销号, 4 in progress,
	// 2 of them late.
	for _, want := range []string{"青禾县教育局", "待销号 1", "逾期 2"} {
		mustContain(t, digest, want)
	}
	if strings.Contains(digest.HTML, "已完成 20 项") {
		t.Errorf("the bureau's digest counts Dongguan's tasks:\n%s", digest.HTML)
	}

	c.press("supervisor", apiSupervisor, ov, "政法委")
	mustContain(t, c.last(apiSupervisor), "已完成 20 项")

	// Above the units, the 巡察办 changes nothing and is in no unit's group.
	if got := c.send("supervisor", apiSupervisor, "/verify"); strings.Contains(got.HTML, "6(2)") || strings.Contains(got.HTML, "营养餐") {
		t.Errorf("the supervisor was offered closures to decide:\n%s", got.HTML)
	}
	c.post("/api/send", map[string]any{"persona": "supervisor", "chatId": apiGroup, "text": "/digest"}, 400)
}

// Dongguan's people share names with the bureau's (机关党委, 书记, 张伟,
// 李娜, an 办公室), and never see a task of it: not in their lists, their
// digests, the closures they decide, nor in Dongguan's group.
func TestDongguanNeverSeesTheOtherUnit(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	seen := map[string]apiMessage{
		"admin /tasks":    c.send("admin", apiAdmin, "/tasks"),
		"admin /overdue":  c.send("admin", apiAdmin, "/overdue"),
		"admin /verify":   c.send("admin", apiAdmin, "/verify"),
		"admin /digest":   c.send("admin", apiAdmin, "/digest"),
		"leader1 /tasks":  c.send("leader1", apiLeader1, "/tasks"),
		"leader1 /digest": c.send("leader1", apiLeader1, "/digest"),
		"officer1 /tasks": c.send("officer1", apiOfficer1, "/tasks"),
		"group /digest":   c.send("leader1", apiGroup, "/digest"),
	}
	// The admin is Dongguan's 整改办: their overview is their unit's line.
	seen["admin /overview"] = c.send("admin", apiAdmin, "/overview")
	for what, m := range seen {
		for _, w := range qingheWords {
			if strings.Contains(m.HTML, w) {
				t.Errorf("%s shows %q of the other unit:\n%s", what, w, m.HTML)
			}
		}
		for _, row := range m.Buttons {
			for _, b := range row {
				for _, w := range qingheWords {
					if strings.Contains(b.Text, w) {
						t.Errorf("%s offers a button %q of the other unit", what, b.Text)
					}
				}
			}
		}
	}
}

// The morning's reminders and escalations to Dongguan's people and group
// name none of the other unit's tasks, though both have tasks late enough
// to go to the admins.
func TestDongguanIsNotToldOfTheOtherUnitsLateTasks(t *testing.T) {
	// A unit's admin collects the admins' escalations of their own unit
	// only (scheduler/compose.go: the admin's unit in the DueFilter), so
	// the bureau's late 二 and 六 never reach Dongguan's admin.
	_, c := startSandbox(t, friday, "")
	for _, chat := range []int64{apiAdmin, apiLeader1, apiLeader2, apiOfficer1, apiOfficer2, apiOfficer3, apiGroup} {
		for _, m := range c.messages(chat) {
			for _, w := range qingheWords {
				if strings.Contains(m.HTML, w) {
					t.Errorf("chat %d got %q of the other unit:\n%s", chat, w, m.HTML)
				}
			}
		}
	}
}
