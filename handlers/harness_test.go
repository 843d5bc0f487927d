package handlers_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/handlers"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/internal/testredis"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/ratelimit"
	"github.com/rectibot/rectibot/session"
)

// People of the Dongguan fixture the scenarios use, with their Telegram ids.
const (
	adminID    = 9001 // configured in RECTIBOT_ADMINS
	zhouJie    = 1001 // officer, 信息化和网格管理指导科 (6(3), 11(2), 立行立改四)
	huangMin   = 1002 // officer, 基层社会治理科 (6(2), 9(2))
	liuYang    = 1003 // officer, 政治部 (4, 8(1), 8(2))
	socialLead = 2001 // 分管社会治理副书记: leads 基层社会治理科 and 信息化和网格管理指导科
	politLead  = 2002 // 政治部主任: leads 政治部 and 宣传教育科
	viewerID   = 3001
	strangerID = 6666
	groupID    = -100500
)

// botUsername is the fake bot's @username.
const botUsername = "zhenggai_bot"

// harness is the bot end to end: the real handlers, dispatcher and sender,
// the real go-telegram/bot client over HTTP to a strict fake Bot API, a
// fresh database (PostgreSQL or SQLite, per DATABASE_URL) with the
// Dongguan ledger, and sessions in Redis (REDIS_URL) or in process.
type harness struct {
	t        testing.TB
	ctx      context.Context
	fake     *tgfake.Server
	store    *dbmodels.Store
	clock    *clock.Manual
	bot      *bot.Bot
	disp     *bot.Dispatcher
	inbox    *bot.Inbox
	handler  *handlers.Handler
	sessions session.Store
	planID   uint
}

// day is the scenarios' "now": 2021-11-01 10:00 in Dongguan — 立行立改四 is
// one day late, 8(2) due on 11-30, 6(2) on 12-31.
var day = time.Date(2021, 11, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

type harnessOpts struct {
	fixture  string         // "ledger.csv" (default) or "plan.csv"
	limits   *tgfake.Limits // the fake's flood limits (default: none, see below)
	sessions session.Store  // default: Redis when REDIS_URL is set, else memory
	faults   *tgfake.FaultConfig
	inbox    bot.InboxOptions  // the entrance's settings (benchmarks set OnDone)
	ours     *ratelimit.Limits // the sender's limits (default: generous, see below)
	docx     *notice.Template  // the documents' layout (default: the built-in one)
}

func newHarness(t testing.TB, opts ...harnessOpts) *harness {
	t.Helper()
	var o harnessOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.fixture == "" {
		o.fixture = "ledger.csv"
	}
	ctx := context.Background()
	db, _ := testdb.Open(t)
	clk := clock.NewManual(day)
	store := dbmodels.NewStore(db, clk)
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, o.fixture)), o.fixture, importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := store.ImportPlan(ctx, dbmodels.PlanSpec{Title: "市委第六巡察组反馈意见整改", Year: 2021}, res.Rows, dbmodels.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	// Scenario tests send a handful of messages per chat; the flood limits
	// themselves are tested in tgfake and in the sender's own tests, so by
	// default both ends here are generous and the tests never wait.
	limits := tgfake.Limits{Unlimited: true}
	if o.limits != nil {
		limits = *o.limits
	}
	fake := tgfake.New(tgfake.Options{BotUsername: botUsername, Limits: limits})
	t.Cleanup(fake.Close)
	if o.faults != nil {
		fake.SetFaults(*o.faults)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	sessions := o.sessions
	if sessions == nil {
		sessions = newSessions(t, clk)
	}
	fast := ratelimit.Limits{
		Global:      ratelimit.Rate{Count: 10000, Per: time.Second, Burst: 10000},
		PrivateChat: ratelimit.Rate{Count: 1000, Per: time.Second, Burst: 1000},
		Group:       ratelimit.Rate{Count: 1000, Per: time.Second, Burst: 1000},
	}
	if o.ours != nil {
		fast = *o.ours
	}
	b, err := bot.New(bot.Options{Token: fake.Token(), APIURL: fake.URL(), Store: store,
		Limiter: ratelimit.NewLocal(fast), Inbox: store, InboxOptions: o.inbox, Clock: clk, Log: log, WebhookSecret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	h := handlers.New(handlers.Deps{Store: store, Out: b.Sender(), Sessions: sessions, Clock: clk,
		Admins: []int64{adminID}, BotUsername: func() string { return botUsername },
		Light: ledger.DefaultLightThresholds, Menus: b, Log: log,
		Guesses: handlers.NewKeyThrottle(5, time.Minute, clk.Now), DOCXTemplate: o.docx})
	hr := &harness{t: t, ctx: ctx, fake: fake, store: store, clock: clk, bot: b, handler: h, sessions: sessions, planID: sum.PlanID}
	hr.disp, hr.inbox = b.Attach(h, h, h)
	for _, id := range []int64{adminID, strangerID} {
		fake.AddUser(models.User{ID: id, FirstName: "user", LanguageCode: "zh-hans"})
	}
	return hr
}

func newSessions(t testing.TB, clk clock.Clock) session.Store {
	if os.Getenv("REDIS_URL") == "" {
		return session.NewMemory(clk, session.DefaultTTL)
	}
	rdb, prefix := testredis.Open(t)
	return session.NewRedis(rdb, prefix, session.DefaultTTL)
}

// link makes a person of the ledger a Telegram user of the bot the way a
// real one becomes one: an invite, then /start CODE.
func (h *harness) link(name string, tgID int64, role ledger.Role, lang ...string) {
	h.t.Helper()
	code := lang
	languageCode := "zh-hans"
	if len(code) > 0 {
		languageCode = code[0]
	}
	h.fake.AddUser(models.User{ID: tgID, FirstName: name, LanguageCode: languageCode})
	invite, _, err := h.store.CreateInvite(h.ctx, dbmodels.PersonRef{Name: name}, role, time.Hour, dbmodels.CLIActor)
	if err != nil {
		h.t.Fatal(err)
	}
	reply := h.say(tgID, "/start "+invite)
	if !strings.Contains(reply.Text, name) {
		h.t.Fatalf("linking %s: the bot answered %q", name, reply.Text)
	}
}

// linkInStore links a person as /start would, through the store alone:
// no welcome, no menus. For benchmarks that run with Telegram's flood
// limits on, where a hundred /starts would wait a per-chat second for each
// of their messages before the measure even began.
func (h *harness) linkInStore(name string, tgID int64, role ledger.Role) {
	h.t.Helper()
	h.fake.AddUser(models.User{ID: tgID, FirstName: name, LanguageCode: "zh-hans"})
	invite, _, err := h.store.CreateInvite(h.ctx, dbmodels.PersonRef{Name: name}, role, time.Hour, dbmodels.CLIActor)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.store.RedeemInvite(h.ctx, invite, tgID); err != nil {
		h.t.Fatalf("linking %s: %v", name, err)
	}
}

// do hands an update to the bot through the entrance serve uses — stored
// in the inbox, then handled by its workers — and waits until it is handled.
func (h *harness) do(u *models.Update) {
	h.t.Helper()
	if err := h.inbox.TakeUpdates(h.ctx, u); err != nil {
		h.t.Fatalf("update %d: %v", u.ID, err)
	}
	h.inbox.Poll(h.ctx)
	h.inbox.Wait()
}

// say sends text from a user in their private chat and returns the bot's
// last message there.
func (h *harness) say(from int64, text string) tgfake.Sent {
	h.t.Helper()
	h.do(h.fake.Text(from, text))
	return h.fake.Last(from)
}

// press presses the button labelled (containing) label on message m.
func (h *harness) press(from int64, m tgfake.Sent, label string) tgfake.Sent {
	h.t.Helper()
	data := button(h.t, m, label)
	h.do(h.fake.Press(from, m.ChatID, m.MessageID, data))
	return h.fake.Last(m.ChatID)
}

// button finds the callback data of the button whose text contains label.
func button(t testing.TB, m tgfake.Sent, label string) string {
	t.Helper()
	if m.Markup != nil {
		for _, row := range m.Markup.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					return b.CallbackData
				}
			}
		}
	}
	t.Fatalf("no button %q on message %d %q", label, m.MessageID, m.Text)
	return ""
}

func hasButton(m tgfake.Sent, label string) bool {
	if m.Markup == nil {
		return false
	}
	for _, row := range m.Markup.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return true
			}
		}
	}
	return false
}

// taskID looks a task up by code.
func (h *harness) taskID(code string) uint {
	h.t.Helper()
	items, err := h.store.TaskItemsByCode(h.ctx, code)
	if err != nil || len(items) != 1 {
		h.t.Fatalf("task %s: %v (%d)", code, err, len(items))
	}
	return items[0].ID
}

func (h *harness) status(code string) ledger.Status {
	h.t.Helper()
	it, err := h.store.TaskItem(h.ctx, h.taskID(code))
	if err != nil {
		h.t.Fatal(err)
	}
	return it.Status
}

// noRejections fails the test if the fake refused any call: every message
// the bot wrote must be one Telegram accepts.
func (h *harness) noRejections() {
	h.t.Helper()
	for _, r := range h.fake.Rejected() {
		h.t.Errorf("Telegram refused %s to %d: %d %s", r.Method, r.ChatID, r.Code, r.Description)
	}
}

func contains(t *testing.T, m tgfake.Sent, want ...string) {
	t.Helper()
	text := m.Text + m.Caption
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("message %d lacks %q:\n%s", m.MessageID, w, text)
		}
	}
}

// approve presses a 同意销号 (or 同意延期) button labelled label on m and
// confirms it: the decision is taken on the second press. It returns the
// pressed message as it looks after the decision.
func (h *harness) approve(from int64, m tgfake.Sent, label string) tgfake.Sent {
	h.t.Helper()
	h.do(h.fake.Press(from, m.ChatID, m.MessageID, button(h.t, m, label)))
	asked := h.message(m.ChatID, m.MessageID)
	if !strings.Contains(asked.Text, "确认同意") && !strings.Contains(asked.Text, "Approve") {
		h.t.Fatalf("pressing %q asked no confirmation: %q", label, asked.Text)
	}
	h.do(h.fake.Press(from, m.ChatID, m.MessageID, button(h.t, asked, "确认同意")))
	return h.message(m.ChatID, m.MessageID)
}

// message is the bot's message id in chat as it looks now.
func (h *harness) message(chat int64, id int) tgfake.Sent {
	h.t.Helper()
	for _, m := range h.fake.Messages(chat) {
		if m.MessageID == id {
			return m
		}
	}
	h.t.Fatalf("no message %d in chat %d", id, chat)
	return tgfake.Sent{}
}
