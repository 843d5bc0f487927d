package sandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/miniapp"
)

// dashboardButton is the Mini App's button under /digest and /overview.
const dashboardButton = "📊 整改看板"

// The Mini App's answers, as much of them as the tests read
// (/work/notes/miniapp-api.md).
type (
	miniSummary struct {
		Person struct {
			Name  string
			Roles []string
		}
		Total, Overdue  int
		AwaitingClosure int `json:"awaiting_closure"`
		Lights          struct{ Red, Yellow, Green int }
	}
	miniOverdue struct {
		Tasks []miniOverdueTask
	}
	miniOverdueTask struct {
		ID           uint
		Code, Status string
		Officer      string
		DaysLate     int `json:"days_late"`
	}
	miniTask struct {
		ID       uint
		Code     string
		Status   string
		Officer  string
		Progress []struct {
			Author   string
			Text     string
			Evidence []struct{ Kind, URL string }
		}
		Actions struct {
			DecideClosure bool `json:"decide_closure"`
		}
	}
)

// miniApp asks the sandbox how to open the Mini App as persona in theme,
// and returns the address's path and its launch parameters (the fragment).
func (c *client) miniApp(persona, theme string) (string, url.Values) {
	c.t.Helper()
	var out struct{ URL string }
	c.do(http.MethodGet, "/api/miniapp?persona="+persona+"&theme="+theme, "", nil, http.StatusOK, &out)
	u, err := url.Parse(out.URL)
	if err != nil {
		c.t.Fatalf("the Mini App's address %q: %v", out.URL, err)
	}
	launch, err := url.ParseQuery(u.EscapedFragment())
	if err != nil {
		c.t.Fatalf("the launch parameters of %q: %v", out.URL, err)
	}
	return u.Path, launch
}

// tma calls the Mini App through the sandbox's server with initData
// (none when ""), and returns the status and the body.
func (c *client) tma(method, path, initData string, body any) (int, []byte) {
	c.t.Helper()
	var in io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		in = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.url+path, in)
	if err != nil {
		c.t.Fatal(err)
	}
	if initData != "" {
		req.Header.Set("Authorization", "tma "+initData)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// tmaJSON is tma for an answer that must be 200, decoded into out.
func (c *client) tmaJSON(method, path, initData string, body, out any) {
	c.t.Helper()
	code, raw := c.tma(method, path, initData, body)
	if code != http.StatusOK {
		c.t.Fatalf("%s %s: %d %s", method, path, code, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		c.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
	}
}

// forge is initData with the user's id changed and the signature kept.
func forge(t *testing.T, initData string, userID int64) string {
	t.Helper()
	v, err := url.ParseQuery(initData)
	if err != nil {
		t.Fatal(err)
	}
	var user map[string]any
	if err := json.Unmarshal([]byte(v.Get("user")), &user); err != nil {
		t.Fatal(err)
	}
	user["id"] = userID
	raw, _ := json.Marshal(user)
	v.Set("user", string(raw))
	return v.Encode()
}

// webAppButtons are the Mini App buttons on the bot's messages in chat.
func (c *client) webAppButtons(chat int64) []struct{ Text, WebApp string } {
	c.t.Helper()
	var out struct {
		Messages []struct {
			From    string
			Buttons [][]struct{ Text, WebApp string }
		}
	}
	c.do(http.MethodGet, "/api/chat?id="+strconv.FormatInt(chat, 10), "", nil, http.StatusOK, &out)
	var found []struct{ Text, WebApp string }
	for _, m := range out.Messages {
		for _, row := range m.Buttons {
			for _, b := range row {
				if b.WebApp != "" {
					found = append(found, b)
				}
			}
		}
	}
	return found
}

func TestMiniAppOpensAsThePersonaThroughTheSandbox(t *testing.T) {
	sb, c := startSandbox(t, friday, "")

	// The bot set its menu button to the Mini App, and /digest offers it.
	var st struct{ MenuButton struct{ Type, Text string } }
	c.do(http.MethodGet, "/api/state", "", nil, http.StatusOK, &st)
	if st.MenuButton.Type != "web_app" || st.MenuButton.Text != "整改看板" {
		t.Errorf("the menu button: %+v", st.MenuButton)
	}
	c.send("leader1", apiLeader1, "/digest")
	if bs := c.webAppButtons(apiLeader1); len(bs) != 1 || bs[0].Text != dashboardButton || !strings.HasPrefix(bs[0].WebApp, "https://") {
		t.Errorf("/digest's Mini App buttons: %+v", bs)
	}

	for theme, bg := range map[string]string{"light": "#ffffff", "dark": "#17212b"} {
		path, launch := c.miniApp("leader1", theme)
		if path != miniapp.Path || launch.Get("tgWebAppVersion") != "8.0" || launch.Get("tgWebAppPlatform") != "web" {
			t.Errorf("%s: %s %v", theme, path, launch)
		}
		var colours map[string]string
		if err := json.Unmarshal([]byte(launch.Get("tgWebAppThemeParams")), &colours); err != nil {
			t.Fatalf("%s: theme params: %v", theme, err)
		}
		for _, k := range []string{"bg_color", "text_color", "hint_color", "link_color", "button_color", "button_text_color",
			"secondary_bg_color", "section_bg_color", "header_bg_color", "accent_text_color", "destructive_text_color",
			"subtitle_text_color", "section_header_text_color"} {
			if !strings.HasPrefix(colours[k], "#") {
				t.Errorf("%s: theme params lack %s: %v", theme, k, colours)
			}
		}
		if colours["bg_color"] != bg {
			t.Errorf("%s: bg_color %s, want %s", theme, colours["bg_color"], bg)
		}
		initData := launch.Get("tgWebAppData")
		id, err := miniapp.Validate(initData, sb.BotTokenForTest(), sb.NowForTest(), miniapp.DefaultMaxAge)
		if err != nil || id.UserID != apiLeader1 || id.FirstName != "分管社会治理副书记" || id.LanguageCode != "zh-hans" {
			t.Errorf("%s: initData %q: %+v, %v", theme, initData, id, err)
		}
	}

	// Through the sandbox's server to the bot's listener: the page, and the
	// summary of leader1's departments.
	code, page := c.tma(http.MethodGet, miniapp.Path, "", nil)
	if code != http.StatusOK || !bytes.Contains(page, []byte("<title>整改看板</title>")) {
		t.Errorf("GET /app/: %d %.200s", code, page)
	}
	_, launch := c.miniApp("leader1", "light")
	initData := launch.Get("tgWebAppData")
	var sum miniSummary
	c.tmaJSON(http.MethodGet, "/app/api/summary", initData, nil, &sum)
	if sum.Person.Name != "分管社会治理副书记" || !slices.Contains(sum.Person.Roles, "leader") || sum.Total == 0 ||
		sum.Overdue == 0 || sum.AwaitingClosure == 0 || sum.Lights.Red == 0 {
		t.Errorf("leader1's summary: %+v", sum)
	}

	// Forged (another user's id under leader1's signature) or missing: 401
	// and nothing of the ledger.
	for name, data := range map[string]string{"forged": forge(t, initData, apiLeader2), "missing": ""} {
		code, body := c.tma(http.MethodGet, "/app/api/summary", data, nil)
		if code != http.StatusUnauthorized || strings.TrimSpace(string(body)) != `{"error":"unauthorized"}` {
			t.Errorf("%s initData: %d %s", name, code, body)
		}
	}

	// What the sandbox cannot open.
	c.do(http.MethodGet, "/api/miniapp?persona=nobody&theme=light", "", nil, http.StatusBadRequest, nil)
	c.do(http.MethodGet, "/api/miniapp?persona=leader1&theme=sepia", "", nil, http.StatusBadRequest, nil)

	// A reset starts a new bot on a new port: /app/ follows it.
	c.post("/api/reset", map[string]any{}, http.StatusOK)
	_, launch = c.miniApp("officer1", "dark")
	c.tmaJSON(http.MethodGet, "/app/api/summary", launch.Get("tgWebAppData"), nil, &sum)
	if sum.Person.Name != "周杰" || !slices.Contains(sum.Person.Roles, "officer") {
		t.Errorf("周杰's summary after the reset: %+v", sum)
	}
}

// askClosureWithPhoto: 周杰 replies to his reminder with a photo (a PNG),
// records it on 立行立改四 (late), and asks for its closure through /report.
func askClosureWithPhoto(t *testing.T, c *client, photo []byte) {
	t.Helper()
	askClosureWithPhotoWords(t, c, "最后一份合同已执行完毕，出版工作已完成", "现场照片.png", photo, "全部整改措施已落实，申请销号")
	c.press("officer1", apiOfficer1, c.last(apiOfficer1), "确认")
	mustContain(t, c.last(apiOfficer1), "已申请销号")
}

// overdueTask is the id of 周杰's late task with code in the Mini App's
// overdue list, awaiting 销号.
func overdueTask(t *testing.T, c *client, initData, code string) uint {
	t.Helper()
	task := overdueEntry(t, c, initData, code)
	if task.Status != "pending_verification" || task.Officer != "周杰" || task.DaysLate <= 0 {
		t.Errorf("%s in the overdue list: %+v", code, task)
	}
	return task.ID
}

// overdueEntry is the task with code in the Mini App's overdue list.
func overdueEntry(t *testing.T, c *client, initData, code string) miniOverdueTask {
	t.Helper()
	var ov miniOverdue
	c.tmaJSON(http.MethodGet, "/app/api/overdue", initData, nil, &ov)
	for _, task := range ov.Tasks {
		if task.Code == code {
			return task
		}
	}
	t.Fatalf("%s is not in the overdue list: %+v", code, ov.Tasks)
	return miniOverdueTask{}
}

func TestMiniAppApprovesAClosureThroughTheSandbox(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	askClosureWithPhoto(t, c, pngBytes)
	_, launch := c.miniApp("leader1", "light")
	initData := launch.Get("tgWebAppData")

	// The late task, 周杰's photo among its evidence, streamed through the bot.
	id := overdueTask(t, c, initData, "立行立改四")
	path := "/app/api/tasks/" + strconv.FormatUint(uint64(id), 10)
	var task miniTask
	c.tmaJSON(http.MethodGet, path, initData, nil, &task)
	if !task.Actions.DecideClosure {
		t.Errorf("leader1 may not decide %s's closure: %+v", task.Code, task.Actions)
	}
	var photo string
	for _, p := range task.Progress {
		for _, e := range p.Evidence {
			if e.Kind == "photo" && p.Author == "周杰" {
				photo = e.URL
			}
		}
	}
	if photo == "" {
		t.Fatalf("no photo of 周杰's in %s's progress: %+v", task.Code, task.Progress)
	}
	// The picture 周杰 sent, as Telegram serves it to the bot.
	if code, raw := c.tma(http.MethodGet, photo, initData, nil); code != http.StatusOK || !bytes.Equal(raw, pngBytes) {
		t.Errorf("GET %s: %d, %d bytes, not the photo sent", photo, code, len(raw))
	}
	if code, _ := c.tma(http.MethodGet, photo, forge(t, initData, apiOfficer1), nil); code != http.StatusUnauthorized {
		t.Errorf("the photo with forged initData: %d", code)
	}

	// Approved from the Mini App: the answer comes once 周杰 has been told.
	var decided struct {
		OK   bool
		Task miniTask
	}
	c.tmaJSON(http.MethodPost, path+"/closure", initData, map[string]string{"decision": "approve"}, &decided)
	if !decided.OK || decided.Task.Status != "closed" {
		t.Errorf("the decision's answer: %+v", decided)
	}
	mustContain(t, c.last(apiOfficer1), "立行立改四", "已销号")
	mustContain(t, c.last(apiGroup), "立行立改四")
	if code, body := c.tma(http.MethodPost, path+"/closure", initData, map[string]string{"decision": "approve"}); code != http.StatusConflict {
		t.Errorf("approving twice: %d %s", code, body)
	}
}

// askClosureWithPhotoWords: 周杰 replies to his reminder with the photo and
// caption, records it on 立行立改四, opens /report for it, writes words and
// presses 申请销号; the summary to confirm is the last message.
func askClosureWithPhotoWords(t *testing.T, c *client, caption, name string, photo []byte, words string) {
	t.Helper()
	recordFile(t, c, caption, name, "image/png", photo)
	pick := c.send("officer1", apiOfficer1, "/report 立行立改四")
	if hasButton(pick, "立行立改四") {
		c.press("officer1", apiOfficer1, pick, "立行立改四")
	}
	c.press("officer1", apiOfficer1, c.send("officer1", apiOfficer1, words), "申请销号")
}

// recordFile: 周杰 answers his reminder of 立行立改四 with a file and
// records it as progress (✅ 记录).
func recordFile(t *testing.T, c *client, caption, name, mime string, data []byte) {
	t.Helper()
	reminder := c.lastWith(apiOfficer1, reminderHeading)
	mustContain(t, reminder, "立行立改四")
	c.upload("officer1", apiOfficer1, reminder.ID, caption, name, mime, data)
	ask := c.last(apiOfficer1)
	if !hasButton(ask, "✅ 记录") {
		c.press("officer1", apiOfficer1, ask, "立行立改四")
		ask = c.last(apiOfficer1)
	}
	c.press("officer1", apiOfficer1, ask, "✅ 记录")
}

// acceptancePDF stands for 周杰's 验收报告.pdf.
var acceptancePDF = []byte("%PDF-1.4\n% 验收报告\n")

// TestMiniAppSendsADocumentToTheLeadersChat: 周杰 answers his reminder
// with a PDF; on the dashboard leader1 presses 发到与助手的对话 beside it
// and the PDF arrives in her chat with the bot, named, captioned with the
// task; the same request with forged initData sends nothing.
func TestMiniAppSendsADocumentToTheLeadersChat(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	recordFile(t, c, "验收报告", "验收报告.pdf", "application/pdf", acceptancePDF)

	_, launch := c.miniApp("leader1", "light")
	initData := launch.Get("tgWebAppData")
	id := overdueEntry(t, c, initData, "立行立改四").ID
	var task miniTask
	c.tmaJSON(http.MethodGet, "/app/api/tasks/"+strconv.FormatUint(uint64(id), 10), initData, nil, &task)
	var send string
	for _, p := range task.Progress {
		for _, e := range p.Evidence {
			if e.Kind == "document" && p.Author == "周杰" {
				send = e.URL + "/send"
			}
		}
	}
	if send == "" {
		t.Fatalf("no document of 周杰's in %s's progress: %+v", task.Code, task.Progress)
	}

	before := len(c.messages(apiLeader1))
	if code, _ := c.tma(http.MethodPost, send, forge(t, initData, apiOfficer2), nil); code != http.StatusUnauthorized {
		t.Errorf("sending with forged initData: %d", code)
	}
	if code, body := c.tma(http.MethodPost, send, initData, nil); code != http.StatusOK {
		t.Fatalf("POST %s: %d %s", send, code, body)
	}
	ms := c.messages(apiLeader1)
	if len(ms) != before+1 {
		t.Fatalf("leader1's chat got %d messages, want the document", len(ms)-before)
	}
	got := ms[len(ms)-1]
	if got.Document == nil || got.Document.Name != "验收报告.pdf" {
		t.Fatalf("leader1 got %+v, want 验收报告.pdf", got)
	}
	mustContain(t, got, "立行立改四", "从整改看板发送")
}
