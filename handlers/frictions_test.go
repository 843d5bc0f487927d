package handlers_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// TestACommandForAnotherBotIsNotReportText: "/cancel@otherbot" while a
// report waits for words is neither taken as its words nor as a cancel;
// "/cancel@<this bot>" cancels as "/cancel" does.
func TestACommandForAnotherBotIsNotReportText(t *testing.T) {
	h := newHarness(t)
	h.clock.Set(beforeDeadline)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")

	other := h.say(zhouJie, "/cancel@otherbot")
	contains(t, other, "@otherbot", "未作处理")
	if n := len(reportEntries(h, "立行立改四")); n != 0 {
		t.Fatalf("%d progress entries after a command for another bot", n)
	}
	status := h.say(zhouJie, "第8份合同已执行完毕。")
	contains(t, status, "请选择目前的整改状态")
	summary := h.press(zhouJie, status, "仍在整改")
	contains(t, summary, "请确认报送内容", "第8份合同已执行完毕。")
	lacks(t, summary, "otherbot", "/cancel")
	h.press(zhouJie, summary, "确认报送")
	entries := reportEntries(h, "立行立改四")
	if len(entries) != 1 || entries[0].Text != "第8份合同已执行完毕。" {
		t.Fatalf("recorded %+v, want only the words", entries)
	}

	// Addressed to this bot, the command is ours.
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	contains(t, h.say(zhouJie, "/cancel@"+botUsername), "已取消")
	contains(t, h.say(zhouJie, "还有一段话"), "/help")
	if n := len(reportEntries(h, "立行立改四")); n != 1 {
		t.Errorf("%d progress entries, want still 1", n)
	}
	h.noRejections()
}

// TestAnAlbumOverTheCapIsRefusedOnce: 25 photos of one album reach a report
// (20 at most): one message says 5 were not taken, not five refusals. The
// same for an album replying to a card.
func TestAnAlbumOverTheCapIsRefusedOnce(t *testing.T) {
	h := newHarness(t)
	h.clock.Set(beforeDeadline)
	h.link("周杰", zhouJie, ledger.RoleOfficer)
	h.press(zhouJie, h.say(zhouJie, "/report"), "立行立改四")
	before := len(h.fake.Messages(zhouJie))
	for range 25 {
		h.do(h.fake.Photo(zhouJie, "", "album-1"))
	}
	refusals := refusalsIn(h, zhouJie, before)
	if len(refusals) != 1 {
		t.Fatalf("%d refusals for one album, want 1: %q", len(refusals), refusals)
	}
	if !strings.Contains(refusals[0], "另有 5 个未收取") {
		t.Errorf("the refusal does not count the files left out: %q", refusals[0])
	}
	summary := h.press(zhouJie, h.say(zhouJie, "二十张照片"), "仍在整改")
	contains(t, summary, "附件：20 个")

	// A reply to the card with an album of 25.
	card := h.say(zhouJie, "/task 立行立改四")
	before = len(h.fake.Messages(zhouJie))
	for range 25 {
		h.do(h.fake.ReplyAlbumPhoto(zhouJie, zhouJie, card.MessageID, "", "album-2"))
	}
	if refusals := refusalsIn(h, zhouJie, before); len(refusals) != 1 || !strings.Contains(refusals[0], "另有 5 个未收取") {
		t.Errorf("reply album: refusals %q, want one counting 5", refusals)
	}
	h.noRejections()
}

func refusalsIn(h *harness, chat int64, from int) []string {
	var out []string
	for _, m := range h.fake.Messages(chat)[from:] {
		if strings.Contains(m.Text, "最多收取") || strings.Contains(m.Text, "上限") {
			out = append(out, m.Text)
		}
	}
	return out
}

// TestPickersNameThePlans: with a second plan using the same codes and
// titles, /task CODE, /report CODE and /tasks tell the plans apart.
func TestPickersNameThePlans(t *testing.T) {
	h := newHarness(t)
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "ledger.csv")), "ledger.csv", importer.Options{PlanYear: 2022})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.ImportPlan(h.ctx, dbmodels.PlanSpec{Title: "市委第六巡察组反馈意见整改（回头看）", Year: 2022}, res.Rows, dbmodels.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	h.link("黄敏", huangMin, ledger.RoleOfficer)

	pick := h.say(adminID, "/task 6(2)")
	contains(t, pick, "6(2)")
	for _, label := range []string{"6(2)【2021】", "6(2)【2022】"} {
		if !hasButton(pick, label) {
			t.Errorf("the /task picker lacks %q: %+v", label, pick.Markup)
		}
	}
	report := h.say(huangMin, "/report 6(2)")
	if !hasButton(report, "6(2)【2021】") || !hasButton(report, "6(2)【2022】") {
		t.Errorf("the /report picker does not name the plans: %+v", report.Markup)
	}
	list := h.say(huangMin, "/tasks")
	if !hasButton(list, "【2022】") {
		t.Errorf("/tasks does not name the plans: %+v", list.Markup)
	}
	// One plan only: nothing added.
	single := newHarness(t)
	if m := single.say(adminID, "/tasks"); hasButton(m, "【") {
		t.Errorf("one plan, yet labelled: %+v", m.Markup)
	}
	h.noRejections()
}
