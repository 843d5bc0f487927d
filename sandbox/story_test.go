package sandbox_test

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// reminderHeading starts every reminder the scheduler sends.
const reminderHeading = "以下整改事项请抓紧办理并按时报送"

// TestTheStory is the "done means", through the HTTP API the page
// uses: 周杰 reports progress with a photo by replying to his reminder, asks
// for closure of 立行立改四 through /report, the leader approves it in
// /verify (and confirms), the group is told, and the next working day brings a reminder for
// the task that falls due (and 回头看 for one closed 90 days before); a
// reset then gives the first screen back. It is played on several real
// dates, since the case is re-dated around the visitor's today: a working
// Friday, a Sunday, and the eve of the National Day holiday (the next
// working day is a week away).
func TestTheStory(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for name, now := range map[string]time.Time{
		"friday":              friday,
		"sunday":              time.Date(2026, 11, 29, 11, 0, 0, 0, cst),
		"eve of national day": time.Date(2026, 9, 30, 16, 0, 0, 0, cst),
	} {
		t.Run(name, func(t *testing.T) { playStory(t, now) })
	}
}

func playStory(t *testing.T, now time.Time) {
	_, c := startSandbox(t, now, "")
	seed := c.state()
	seedGroup := len(c.messages(apiGroup)) // the morning's escalations

	// The first morning: 周杰's reminder lists the task that is late.
	reminder := c.last(apiOfficer1)
	mustContain(t, reminder, reminderHeading, "立行立改四", "直接回复本消息")

	// A photo in reply to the reminder; which task (it lists several), then
	// one confirm.
	c.upload("officer1", apiOfficer1, reminder.ID, "最后一份合同已执行完毕,出版工作已完成", "contract.png", "image/png", pngBytes)
	ask := c.last(apiOfficer1)
	if !hasButton(ask, "✅ 记录") {
		c.press("officer1", apiOfficer1, ask, "立行立改四")
		ask = c.last(apiOfficer1)
	}
	c.press("officer1", apiOfficer1, ask, "✅ 记录")
	if !slices.ContainsFunc(c.messages(apiOfficer1), func(m apiMessage) bool {
		return m.From == "officer1" && m.Photo && m.ReplyTo == reminder.ID && strings.Contains(m.HTML, "最后一份合同")
	}) {
		t.Error("周杰's chat does not show his photo replying to the reminder")
	}
	card := c.send("officer1", apiOfficer1, "/task 立行立改四")
	mustContain(t, card, "最后一份合同已执行完毕")

	// Closure asked through /report.
	pick := c.send("officer1", apiOfficer1, "/report 立行立改四")
	if hasButton(pick, "立行立改四") {
		c.press("officer1", apiOfficer1, pick, "立行立改四")
	}
	words := c.send("officer1", apiOfficer1, "全部整改措施已落实")
	c.press("officer1", apiOfficer1, words, "申请销号")
	c.press("officer1", apiOfficer1, c.last(apiOfficer1), "确认")

	// leader1 approves in /verify (6(2) waits there too, from the seed).
	pending := c.send("leader1", apiLeader1, "/verify")
	mustContain(t, pending, "立行立改四", "周杰", "6(2)")
	c.decide("leader1", apiLeader1, pending, "立行立改四 同意销号")
	mustContain(t, c.last(apiOfficer1), "立行立改四", "已销号")

	// The group is told.
	mustContain(t, c.last(apiGroup), "立行立改四")
	st := c.state()
	if !deliveredTo(st, apiGroup, "销号通报") || !deliveredTo(st, apiOfficer1, "销号通知") {
		t.Error("the side panel does not list the closure's messages")
	}
	for _, d := range st.Deliveries {
		if d.Reason == d.Kind {
			t.Errorf("the side panel gives no reason for %q", d.Kind)
		}
	}

	// The next working day: a reminder for 6(3), which falls due that day.
	before := len(c.messages(apiOfficer1))
	out := c.post("/api/clock", map[string]any{"action": "workday"}, 200)
	next := c.last(apiOfficer1)
	if len(c.messages(apiOfficer1)) == before || !strings.Contains(next.HTML, reminderHeading) {
		t.Fatalf("no reminder for 周杰 at %v: %s", out["now"], next.HTML)
	}
	mustContain(t, next, "6(3)")
	if strings.Contains(next.HTML, "立行立改四") {
		t.Errorf("the closed task is still reminded of:\n%s", next.HTML)
	}
	// and 刘洋 is asked the 回头看 question on 4, closed 90 days before.
	mustContain(t, c.last(apiOfficer3), "回头看：<b>4</b>")

	// Reset: the first screen again.
	c.post("/api/reset", map[string]any{}, 200)
	again := c.state()
	if again.Now != seed.Now || len(again.Deliveries) != len(seed.Deliveries) {
		t.Errorf("after the reset: now %s, %d deliveries; the seed had %s, %d", again.Now, len(again.Deliveries), seed.Now, len(seed.Deliveries))
	}
	if ms := c.messages(apiOfficer1); len(ms) != 1 || !strings.Contains(ms[0].HTML, reminderHeading) {
		t.Errorf("周杰's chat after the reset: %+v", ms)
	}
	if ms := c.messages(apiGroup); len(ms) != seedGroup {
		t.Errorf("the group after the reset: %+v, %d messages at the seed", ms, seedGroup)
	}
}

func mustContain(t *testing.T, m apiMessage, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(m.HTML, w) {
			t.Errorf("message %d lacks %q:\n%s", m.ID, w, m.HTML)
		}
	}
}

func deliveredTo(st apiState, chat int64, reason string) bool {
	for _, d := range st.Deliveries {
		if d.ChatID == chat && d.Reason == reason {
			return true
		}
	}
	return false
}

// pngBytes is a 1×1 PNG: the page sends what the visitor picked.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
