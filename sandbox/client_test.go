package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/internal/syncbuf"
	"github.com/rectibot/rectibot/sandbox"
)

// The contract's ids.
const (
	apiAdmin    = 9001
	apiLeader1  = 2001
	apiLeader2  = 2002
	apiOfficer1 = 1001
	apiOfficer2 = 1002
	apiOfficer3 = 1003
	apiGroup    = -100777
	// The 巡察办, above the units (not in the group).
	apiSupervisor = 3001
)

// friday is the visitor's real time in most tests: a Friday evening in
// Dongguan, so the sandbox starts that Friday at 09:00 and "next working
// day" crosses a weekend.
var friday = time.Date(2026, 11, 27, 19, 30, 0, 0, time.FixedZone("CST", 8*3600))

// JSON shapes of the contract, as the page reads them (encoding/json
// matches the field names whatever their case).
type (
	apiState struct {
		Now, NowText  string
		Personas      []apiPersona
		Chats         []apiChat
		Commands      []apiCommand
		Menus         map[string][]apiCommand
		GroupCommands []apiCommand
		NextJobs      []apiJob
		Deliveries    []apiDelivery
	}
	apiPersona struct {
		Key, Name, Role, RoleText string
		UserID                    int64
	}
	apiChat struct {
		ID                   int64
		Title, Kind, Persona string
		Members              []string
	}
	apiCommand  struct{ Command, Description string }
	apiJob      struct{ At, What string }
	apiDelivery struct {
		At, ChatTitle, Kind, Reason string
		ChatID                      int64
		TaskCodes                   []string
	}
	apiButton  struct{ Text, Data string }
	apiMessage struct {
		ID       int
		From     string
		HTML     string
		ReplyTo  int
		Buttons  [][]apiButton
		Document *struct{ Name string }
		Photo    bool
		FileURL  string
		Edited   bool
		Deleted  bool
	}
)

// client drives a sandbox through its HTTP API, as the page does.
type client struct {
	t   testing.TB
	url string
}

// startSandbox runs a sandbox as if the visitor's clock read now, served
// on a free loopback port; dir "" is a temporary folder.
func startSandbox(t testing.TB, now time.Time, dir string) (*sandbox.Sandbox, *client) {
	t.Helper()
	// What the sandbox logs at warning and above: a story that passes
	// while the bot complains is not a pass (the inbox's purge failed on
	// SQLite at every start, unseen, until a terminal showed it).
	complaints := &syncbuf.Buffer{}
	t.Cleanup(func() { // after sb.Close: cleanups run last first
		if s := complaints.String(); s != "" {
			t.Errorf("the sandbox logged warnings or errors:\n%s", s)
		}
	})
	sb, err := sandbox.New(context.Background(), sandbox.Options{Addr: "127.0.0.1:0", DataDir: dir, Now: func() time.Time { return now },
		Log: slog.New(complaintsOnly{slog.NewTextHandler(complaints, &slog.HandlerOptions{Level: slog.LevelWarn})})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb, &client{t: t, url: sb.URL()}
}

// complaintsOnly leaves out the slow-statement warning: how long a
// statement takes depends on what else the machine runs (CI runs suites
// side by side), not on the story.
type complaintsOnly struct{ slog.Handler }

func (c complaintsOnly) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "slow sql" {
		return nil
	}
	return c.Handler.Handle(ctx, r)
}

func (c complaintsOnly) WithAttrs(as []slog.Attr) slog.Handler {
	return complaintsOnly{c.Handler.WithAttrs(as)}
}

func (c complaintsOnly) WithGroup(g string) slog.Handler {
	return complaintsOnly{c.Handler.WithGroup(g)}
}

// do sends a request and decodes the answer into out, failing the test
// unless the status is want.
func (c *client) do(method, path, contentType string, body io.Reader, want int, out any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, raw, want)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

func (c *client) post(path string, body any, want int) map[string]any {
	c.t.Helper()
	raw, _ := json.Marshal(body)
	var out map[string]any
	c.do(http.MethodPost, path, "application/json", bytes.NewReader(raw), want, &out)
	return out
}

func (c *client) state() apiState {
	c.t.Helper()
	var st apiState
	c.do(http.MethodGet, "/api/state", "", nil, http.StatusOK, &st)
	return st
}

func (c *client) messages(chat int64) []apiMessage {
	c.t.Helper()
	var out struct{ Messages []apiMessage }
	c.do(http.MethodGet, "/api/chat?id="+strconv.FormatInt(chat, 10), "", nil, http.StatusOK, &out)
	return out.Messages
}

// last is the bot's latest message in the chat.
func (c *client) last(chat int64) apiMessage {
	c.t.Helper()
	ms := c.messages(chat)
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].From == "bot" {
			return ms[i]
		}
	}
	c.t.Fatalf("chat %d: no bot message", chat)
	return apiMessage{}
}

// lastWith is the latest bot message in chat that contains text.
func (c *client) lastWith(chat int64, text string) apiMessage {
	c.t.Helper()
	ms := c.messages(chat)
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].From == "bot" && strings.Contains(ms[i].HTML, text) {
			return ms[i]
		}
	}
	c.t.Fatalf("chat %d: no bot message with %q", chat, text)
	return apiMessage{}
}

func (c *client) send(persona string, chat int64, text string) apiMessage {
	c.t.Helper()
	c.post("/api/send", map[string]any{"persona": persona, "chatId": chat, "text": text}, http.StatusOK)
	return c.last(chat)
}

// press presses the button whose text contains label and returns the
// callback answer.
func (c *client) press(persona string, chat int64, m apiMessage, label string) string {
	c.t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				out := c.post("/api/press", map[string]any{"persona": persona, "chatId": chat, "messageId": m.ID, "data": b.Data}, http.StatusOK)
				answer, _ := out["answer"].(string)
				return answer
			}
		}
	}
	c.t.Fatalf("no button %q on message %d: %s", label, m.ID, m.HTML)
	return ""
}

// message is message id of the chat as it is now (after edits).
func (c *client) message(chat int64, id int) apiMessage {
	c.t.Helper()
	for _, m := range c.messages(chat) {
		if m.ID == id {
			return m
		}
	}
	c.t.Fatalf("chat %d: no message %d", chat, id)
	return apiMessage{}
}

// pageTo turns the pages of a paged list (/verify) until one has a button
// labelled label, and returns that page.
func (c *client) pageTo(persona string, chat int64, m apiMessage, label string) apiMessage {
	c.t.Helper()
	for range 20 {
		if hasButton(m, label) {
			return m
		}
		if !hasButton(m, "下一页") {
			break
		}
		c.press(persona, chat, m, "下一页")
		m = c.message(chat, m.ID)
	}
	c.t.Fatalf("no button %q on any page of message %d: %s", label, m.ID, m.HTML)
	return m
}

// decide presses label (同意销号, 同意延期) on m, or on the page of m that
// has it, and then 确认同意 on the question that the press puts on the
// same message; it returns the answer to the confirming press.
func (c *client) decide(persona string, chat int64, m apiMessage, label string) string {
	c.t.Helper()
	m = c.pageTo(persona, chat, m, label)
	c.press(persona, chat, m, label)
	ask := c.message(chat, m.ID)
	if !strings.Contains(ask.HTML, "确认同意") || !hasButton(ask, "✅ 确认同意") || !hasButton(ask, "返回") {
		c.t.Fatalf("pressing %q did not ask to confirm on message %d:\n%s", label, m.ID, ask.HTML)
	}
	return c.press(persona, chat, ask, "✅ 确认同意")
}

// file downloads a message's photo or document (its FileURL).
func (c *client) file(m apiMessage) []byte {
	c.t.Helper()
	if m.FileURL == "" {
		c.t.Fatalf("message %d has no file", m.ID)
	}
	resp, err := http.Get(c.url + m.FileURL)
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s", m.FileURL, resp.StatusCode, raw)
	}
	return raw
}

func hasButton(m apiMessage, label string) bool {
	return slices.ContainsFunc(m.Buttons, func(row []apiButton) bool {
		return slices.ContainsFunc(row, func(b apiButton) bool { return strings.Contains(b.Text, label) })
	})
}

// upload sends a file as the page does (multipart).
func (c *client) upload(persona string, chat int64, replyTo int, caption, name, mime string, data []byte) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"persona": persona, "chatId": strconv.FormatInt(chat, 10), "replyTo": strconv.Itoa(replyTo), "caption": caption} {
		_ = mw.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", mime)
	part, _ := mw.CreatePart(h)
	_, _ = part.Write(data)
	_ = mw.Close()
	c.do(http.MethodPost, "/api/upload", mw.FormDataContentType(), &body, http.StatusOK, nil)
}
