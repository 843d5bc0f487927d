package main

import (
	"strings"
	"testing"

	"github.com/rectibot/rectibot/internal/fixture"
)

// The Dongguan ledger imported as three units: every department, leader
// and officer name collides (三个单位都有委机关办公室、书记、王芳).
const (
	unitA = "中共东莞市委政法委员会"
	unitB = "青禾县教育局"
	unitC = "白沙镇党委"
)

func (c *cli) importUnit(title string, unit ...string) result {
	c.t.Helper()
	args := []string{"import", fixture.Path(c.t, fixture.Dongguan, "ledger.csv"), "--plan-title", title, "--feedback-date", "2021-04-25"}
	return c.run(append(args, unit...)...)
}

func wants(t *testing.T, what, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

func TestThreeUnitsWithTheSameNamesImportSideBySide(t *testing.T) {
	c := newCLI(t)
	r := c.importUnit("市委第六巡察组反馈意见整改", "--unit", unitA, "--unit-short", "市委政法委", "--unit-self", "我委")
	wants(t, "the first import", r.out, `unit "中共东莞市委政法委员会" (new)`, "9 departments (9 new)")
	r = c.importUnit("青禾县教育局整改方案", "--unit", unitB)
	wants(t, "the second import", r.out, `unit "青禾县教育局" (new)`, "9 departments (9 new)", "(14 people new)")

	// Without --unit, with two units: refused, naming them.
	r = c.importUnit("无单位方案")
	if r.code != exitBadInput || !strings.Contains(r.err.Error(), unitA) || !strings.Contains(r.err.Error(), unitB) ||
		!strings.Contains(r.err.Error(), "--unit") {
		t.Errorf("an import without --unit: exit %d: %v", r.code, r.err)
	}
	r = c.importUnit("白沙镇整改方案", "--unit", unitC)
	wants(t, "the third import", r.out, `unit "白沙镇党委" (new)`, "(14 people new)")
	// A unit's short name joins that unit; nothing new is founded.
	r = c.importUnit("市委第七巡察组反馈意见整改", "--unit", "市委政法委", "--dry-run")
	wants(t, "a dry run by short name", r.out, `unit "中共东莞市委政法委员会" (existing)`, "9 departments (0 new)", "(0 people new)")

	out := c.mustRun("units")
	wants(t, "units", out, "3 units")
	for unit, want := range map[string]string{
		unitA: unitA + " 市委政法委 我委 1 25 14", unitB: unitB + " - - 1 25 14", unitC: unitC + " - - 1 25 14",
	} {
		if got := unitRow(out, unit); got != want {
			t.Errorf("units lists %q, want %q", got, want)
		}
	}
	c.mustRun("units", "set", unitB, "--short", "县教育局", "--self", "我局")
	if got := unitRow(c.mustRun("units"), unitB); got != unitB+" 县教育局 我局 1 25 14" {
		t.Errorf("after naming, units lists %q", got)
	}
	if r := c.run("units", "set", unitC, "--short", "县教育局"); r.code != exitBadInput {
		t.Errorf("a short name another unit has: exit %d: %v", r.code, r.err)
	}
	if r := c.run("units", "set", unitC); r.code != exitUsage {
		t.Errorf("units set with nothing to set: exit %d", r.code)
	}

	// Each unit's people are its own: nothing merged.
	out = c.mustRun("people", "--unit", "县教育局")
	wants(t, "people --unit", out, "14 people", "王芳", "委机关办公室")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if !strings.HasPrefix(line, unitB) && !strings.HasSuffix(line, "linked to Telegram") {
			t.Errorf("people --unit %s lists %q", unitB, line)
		}
	}
	wants(t, "people", c.mustRun("people"), "42 people")
	if r := c.run("people", "--unit", "市教育局"); r.code != exitBadInput || !strings.Contains(r.err.Error(), unitC) {
		t.Errorf("people of a unit that is not there: exit %d: %v", r.code, r.err)
	}

	// A name three units share needs --unit.
	r = c.run("invite", "--person", "王芳", "--role", "officer")
	if r.code != exitBadInput || !strings.Contains(r.err.Error(), unitA) || !strings.Contains(r.err.Error(), unitB) ||
		!strings.Contains(r.err.Error(), unitC) {
		t.Errorf("invite 王芳 without --unit: exit %d: %v", r.code, r.err)
	}
	wants(t, "invite --unit", c.mustRun("invite", "--person", "王芳", "--unit", "县教育局", "--role", "officer"),
		"https://t.me/zhenggai_bot?start=", "for 王芳 as officer")

	// Supervisors of some units.
	wants(t, "people add --supervises", c.mustRun("people", "add", "第一巡察组", "--role", "supervisor", "--supervises", "县教育局,白沙镇党委"),
		"第一巡察组 supervises 县教育局, 白沙镇党委")
	if r := c.run("people", "add", "第二巡察组", "--role", "supervisor", "--supervises", "市教育局"); r.code != exitBadInput ||
		!strings.Contains(r.err.Error(), unitB) {
		t.Errorf("supervising a unit that is not there: exit %d: %v", r.code, r.err)
	}
	wants(t, "people supervise", c.mustRun("people", "supervise", "第一巡察组", "--units", "市委政法委"),
		"第一巡察组 supervises 中共东莞市委政法委员会")
	wants(t, "people supervise (all)", c.mustRun("people", "supervise", "第一巡察组"), "第一巡察组 supervises every unit")
}

func TestDigestOfOneUnit(t *testing.T) {
	c := newCLI(t)
	c.importUnit("市委第六巡察组反馈意见整改", "--unit", unitA)
	c.importUnit("青禾县教育局整改方案", "--unit", unitB)

	wants(t, "the whole digest", c.mustRun("digest", "--as-of", "2021-11-01"), "共 50 项", "逾期 2")
	out := c.mustRun("digest", "--unit", unitB, "--as-of", "2021-11-01")
	wants(t, "digest --unit", out, "青禾县教育局整改方案", "共 25 项", "逾期 1")
	out = c.mustRun("digest", "--unit", unitB, "--department", "委机关办公室", "--as-of", "2021-11-01")
	wants(t, "digest --unit --department", out, "委机关办公室", "共 8 项")
	// A department two units have, without --unit: refused naming both.
	r := c.run("digest", "--department", "委机关办公室", "--as-of", "2021-11-01")
	if r.code != exitBadInput || !strings.Contains(r.err.Error(), unitA) || !strings.Contains(r.err.Error(), unitB) {
		t.Errorf("digest --department shared by two units: exit %d: %v", r.code, r.err)
	}
	// With --plan the plan says which unit.
	wants(t, "digest --plan --department", c.mustRun("digest", "--plan", "青禾县教育局整改方案", "--department", "委机关办公室", "--as-of", "2021-11-01"),
		"共 8 项")
	if r := c.run("digest", "--unit", "市教育局"); r.code != exitBadInput || !strings.Contains(r.err.Error(), unitA) ||
		!strings.Contains(r.err.Error(), unitB) {
		t.Errorf("digest of a unit that is not there: exit %d: %v", r.code, r.err)
	}
	if r := c.run("digest", "--unit", unitA, "--plan", "青禾县教育局整改方案"); r.code != exitBadInput {
		t.Errorf("a plan of another unit: exit %d: %v", r.code, r.err)
	}
}

// unitRow is the row of `rectibot units` of the unit, its columns joined by
// one space (CJK text defeats the tab alignment).
func unitRow(out, unit string) string {
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == unit {
			return strings.Join(f, " ")
		}
	}
	return ""
}
