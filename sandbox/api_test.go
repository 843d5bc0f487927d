package sandbox_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestStateListsPersonasTheGroupAndTheMenu(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	st := c.state()
	if st.Now != "2026-11-27T09:00:00+08:00" || st.NowText != "2026-11-27 09:00 周五" {
		t.Errorf("now %q (%q), want that Friday 09:00", st.Now, st.NowText)
	}
	want := map[string]int64{"admin": apiAdmin, "leader1": apiLeader1, "leader2": apiLeader2, "officer1": apiOfficer1, "officer2": 1002, "officer3": 1003,
		"supervisor": apiSupervisor}
	if len(st.Personas) != len(want) {
		t.Fatalf("%d personas, want %d: %+v", len(st.Personas), len(want), st.Personas)
	}
	for _, p := range st.Personas {
		if want[p.Key] != p.UserID || p.Name == "" || p.RoleText == "" {
			t.Errorf("persona %+v", p)
		}
	}
	if i := slices.IndexFunc(st.Chats, func(ch apiChat) bool { return ch.ID == apiGroup }); i < 0 || st.Chats[i].Kind != "group" || st.Chats[i].Title != "整改工作群" || len(st.Chats) != 8 ||
		len(st.Chats[i].Members) != 6 || slices.Contains(st.Chats[i].Members, "supervisor") {
		t.Errorf("chats %+v", st.Chats)
	}
	// Each persona's own menu, by role (BotCommandScopeChat); the group's.
	names := func(cmds []apiCommand) []string {
		var out []string
		for _, cmd := range cmds {
			out = append(out, cmd.Command)
		}
		return out
	}
	for key, menu := range map[string]struct{ has, lacks []string }{
		"officer1": {has: []string{"tasks", "report"}, lacks: []string{"verify", "export", "invite"}},
		"officer3": {has: []string{"tasks", "report"}, lacks: []string{"verify", "export"}},
		"leader1":  {has: []string{"tasks", "verify", "digest", "overdue", "export"}, lacks: []string{"report", "invite"}},
		"admin":    {has: []string{"tasks", "report", "verify", "digest", "export", "notice", "invite"}},
		// The 巡察办 reads the units' ranking, their overdue tasks and
		// 台账, and does nothing in them.
		"supervisor": {has: []string{"overview", "digest", "overdue", "export"}, lacks: []string{"tasks", "report", "verify", "invite"}},
	} {
		got := names(st.Menus[key])
		for _, w := range menu.has {
			if !slices.Contains(got, w) {
				t.Errorf("%s's menu %v lacks /%s", key, got, w)
			}
		}
		for _, w := range menu.lacks {
			if slices.Contains(got, w) {
				t.Errorf("%s's menu %v offers /%s", key, got, w)
			}
		}
	}
	if got := names(st.GroupCommands); !slices.Contains(got, "digest") || slices.Contains(got, "report") {
		t.Errorf("the group's menu %v", got)
	}
	if got := names(st.Commands); !slices.Contains(got, "report") {
		t.Errorf("the private chats' default menu %v", got)
	}
	if n := len(st.NextJobs); n == 0 || n > 10 || !slices.ContainsFunc(st.NextJobs, func(j apiJob) bool { return strings.Contains(j.What, "进展汇总") }) {
		t.Errorf("next jobs %+v", st.NextJobs)
	}
	// The first morning: officer1 reminded, leader1 told of the late task.
	reasons := map[int64]string{}
	for _, d := range st.Deliveries {
		reasons[d.ChatID] += d.Reason + strings.Join(d.TaskCodes, ",") + ";"
	}
	if !strings.Contains(reasons[apiOfficer1], "到期提醒") || !strings.Contains(reasons[apiOfficer1], "立行立改四") ||
		!strings.Contains(reasons[apiLeader1], "逾期督办") || !strings.Contains(reasons[apiAdmin], "逾期督办") {
		t.Errorf("deliveries %+v", st.Deliveries)
	}
}

// The re-dated case: 20 done (15 closed, 5 long-term done at their stage),
// 4 in progress (2 of them late), 1 waiting for closure, as the bot's own
// digest counts them.
func TestTheSeedHasTheStorysShape(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	digest := c.send("admin", apiAdmin, "/digest")
	for _, want := range []string{"已销号 15", "长期坚持 5（其中阶段性完成 5）", "已完成 20 项", "整改中 4", "待销号 1", "逾期 2"} {
		if !strings.Contains(digest.HTML, want) {
			t.Errorf("the digest lacks %q:\n%s", want, digest.HTML)
		}
	}
	pending := c.send("leader1", apiLeader1, "/verify")
	if !strings.Contains(pending.HTML, "6(2)") || !strings.Contains(pending.HTML, "黄敏") {
		t.Errorf("leader1's /verify:\n%s", pending.HTML)
	}
}

func TestThePageAndItsFilesAreServed(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	for _, path := range []string{"/", "/static/app.js", "/static/style.css"} {
		resp, err := http.Get(c.url + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
}

// Every refusal is a 4xx with {"error": "..."}, and none reaches the
// emulator's test-only panics.
func TestTheAPIRefusesWhatTelegramWouldNot(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	reminder := c.last(apiOfficer1)
	for name, tc := range map[string]struct {
		path string
		body any
		want int
	}{
		"unknown persona":         {"/api/send", map[string]any{"persona": "mayor", "chatId": apiOfficer1, "text": "hi"}, 400},
		"someone else's chat":     {"/api/send", map[string]any{"persona": "officer2", "chatId": apiOfficer1, "text": "hi"}, 400},
		"empty text":              {"/api/send", map[string]any{"persona": "officer1", "chatId": apiOfficer1, "text": "  "}, 400},
		"reply to nothing":        {"/api/send", map[string]any{"persona": "officer1", "chatId": apiOfficer1, "text": "hi", "replyTo": 999}, 404},
		"unknown field":           {"/api/send", map[string]any{"persona": "officer1", "chatId": apiOfficer1, "txt": "hi"}, 400},
		"press on no message":     {"/api/press", map[string]any{"persona": "officer1", "chatId": apiOfficer1, "messageId": 999, "data": "t:1"}, 404},
		"press without data":      {"/api/press", map[string]any{"persona": "officer1", "chatId": apiOfficer1, "messageId": reminder.ID}, 400},
		"press in another's chat": {"/api/press", map[string]any{"persona": "leader1", "chatId": apiOfficer1, "messageId": reminder.ID, "data": "t:1"}, 400},
		"unknown clock action":    {"/api/clock", map[string]any{"action": "year"}, 400},
	} {
		t.Run(name, func(t *testing.T) {
			out := c.post(tc.path, tc.body, tc.want)
			if msg, _ := out["error"].(string); msg == "" {
				t.Errorf("no error text: %v", out)
			}
		})
	}
	c.do(http.MethodGet, "/api/chat?id=4242", "", nil, http.StatusNotFound, nil)
	c.do(http.MethodGet, "/api/state", "", nil, http.StatusOK, nil)
	c.do(http.MethodPost, "/api/state", "", nil, http.StatusMethodNotAllowed, nil)
}

// A message in the group that is no command, reply or mention is shown
// but not handed to the bot, as privacy mode would have it; a command is.
func TestTheGroupKeepsPrivacyMode(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	before := len(c.messages(apiGroup)) // the morning's escalations
	c.post("/api/send", map[string]any{"persona": "leader1", "chatId": apiGroup, "text": "大家辛苦了"}, 200)
	if ms := c.messages(apiGroup); len(ms) != before+1 || ms[len(ms)-1].From != "leader1" {
		t.Fatalf("the group: %+v", ms)
	}
	c.post("/api/send", map[string]any{"persona": "leader1", "chatId": apiGroup, "text": "/digest"}, 200)
	mustContain(t, c.last(apiGroup), "已完成 20 项")
}

func TestTheClockMovesAndRunsWhatFellDue(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	for _, step := range []struct{ action, want string }{
		{"hour", "2026-11-27T10:00:00+08:00"},
		{"workday", "2026-11-30T09:00:00+08:00"}, // over the weekend
		{"digest", "2026-12-01T09:00:00+08:00"},  // the 1st, a Tuesday
		{"digest", "2026-12-16T09:00:00+08:00"},
	} {
		if out := c.post("/api/clock", map[string]any{"action": step.action}, 200); out["now"] != step.want {
			t.Errorf("%s: now %v, want %s", step.action, out["now"], step.want)
		}
	}
	st := c.state()
	digests := 0
	for _, d := range st.Deliveries {
		if d.ChatID == apiGroup && d.Kind == "digest" {
			digests++
		}
	}
	if digests < 2 {
		t.Errorf("%d digest messages in the group after two digest days: %+v", digests, st.Deliveries)
	}
	if !slices.ContainsFunc(c.messages(apiGroup), func(m apiMessage) bool {
		return m.From == "bot" && strings.Contains(m.HTML, "已销号")
	}) {
		t.Error("no digest in the group")
	}
}

// The group registered for escalations is told when a task's leader is
// (SPEC §4): the first morning, of the tasks already late, and when the
// clock passes a task's third working day late — 6(3), due on the next
// working day, on the fourth working day from the start.
func TestTheGroupIsToldOfEscalations(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	escalated := func(code string) bool {
		return slices.ContainsFunc(c.messages(apiGroup), func(m apiMessage) bool {
			return m.From == "bot" && strings.Contains(m.HTML, "逾期督办") && strings.Contains(m.HTML, "<b>"+code+"</b>")
		})
	}
	if !escalated("立行立改四") || !escalated("8(2)") {
		t.Errorf("the first morning's escalations are not in the group: %+v", c.messages(apiGroup))
	}
	for day := 1; day <= 4; day++ {
		if escalated("6(3)") {
			t.Fatalf("6(3) escalated on working day %d, before its third working day late", day-1)
		}
		c.post("/api/clock", map[string]any{"action": "workday"}, 200)
	}
	if !escalated("6(3)") {
		t.Errorf("no escalation of 6(3) in the group on its third working day late: %+v", c.messages(apiGroup))
	}
	mustContain(t, c.last(apiLeader1), "6(3)")
}

// --data keeps the ledger: a second start finds it and does not seed again.
func TestDataDirKeepsTheLedger(t *testing.T) {
	dir := t.TempDir()
	sb, c := startSandbox(t, friday, dir)
	pending := c.send("leader1", apiLeader1, "/verify")
	c.decide("leader1", apiLeader1, pending, "6(2) 同意销号")
	sb.Close()

	_, c = startSandbox(t, friday, dir)
	if got := c.send("leader1", apiLeader1, "/verify"); strings.Contains(got.HTML, "6(2)") {
		t.Errorf("the approval was lost (seeded again?):\n%s", got.HTML)
	}
	mustContain(t, c.send("admin", apiAdmin, "/digest"), "已完成 21 项")
}

// GET /api/file opens a message's photo or document as a Telegram client
// would: the exported ledger, a persona's photo. A photo shows in the page;
// anything else downloads, so an uploaded page never runs on the sandbox's
// origin.
func TestFilesOpenAsInTelegram(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	get := func(url string, want int) http.Header {
		t.Helper()
		resp, err := http.Get(c.url + url)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", url, resp.StatusCode, want)
		}
		return resp.Header
	}
	c.upload("officer1", apiOfficer1, 0, "", "a.png", "image/png", pngBytes)
	c.upload("officer1", apiOfficer1, 0, "", "page.html", "text/html", []byte("<script>alert(1)</script>"))
	var photo, page apiMessage
	for _, m := range c.messages(apiOfficer1) {
		switch {
		case m.From == "officer1" && m.Photo:
			photo = m
		case m.From == "officer1" && m.Document != nil:
			page = m
		}
	}
	if !bytes.Equal(c.file(photo), pngBytes) {
		t.Error("the photo is not the one sent")
	}
	if h := get(photo.FileURL, 200); h.Get("Content-Type") != "image/png" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline") {
		t.Errorf("the photo is served as %q, %q", h.Get("Content-Type"), h.Get("Content-Disposition"))
	}
	if h := get(page.FileURL, 200); !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("Content-Security-Policy") == "" {
		t.Errorf("an uploaded page is served as %q, CSP %q", h.Get("Content-Disposition"), h.Get("Content-Security-Policy"))
	}
	c.send("leader1", apiLeader1, "/export")
	doc := c.last(apiLeader1)
	if doc.Document == nil || !strings.HasPrefix(string(c.file(doc)), "PK") {
		t.Errorf("the exported ledger does not download as an .xlsx: %+v", doc)
	}
	if h := get(doc.FileURL, 200); !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''%E6%95%B4%E6%94%B9") { // 整改
		t.Errorf("the ledger's file name: %q", h.Get("Content-Disposition"))
	}
	get("/api/file?chat=1001", 400)
	get(fmt.Sprintf("/api/file?chat=%d&message=%d", apiOfficer1, c.last(apiOfficer1).ID), 404) // a text message
	get("/api/file?chat=4242&message=1", 404)
}
