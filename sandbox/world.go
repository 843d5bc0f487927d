package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/handlers"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/ratelimit"
	"github.com/rectibot/rectibot/scheduler"
	"github.com/rectibot/rectibot/session"
)

// dbFile is the ledger's file name inside the sandbox's folder.
const dbFile = "rectibot-sandbox.db"

// sandboxLimits keep the sender's limiter in the path, far above anything
// one visitor can cause (see startBot).
var sandboxLimits = ratelimit.Limits{
	Global:      ratelimit.Rate{Count: 1000, Per: time.Second, Burst: 1000},
	PrivateChat: ratelimit.Rate{Count: 100, Per: time.Second, Burst: 100},
	Group:       ratelimit.Rate{Count: 100, Per: time.Second, Burst: 100},
}

// world is one run of the sandbox, from a seed to a reset: the ledger, the
// emulator, the bot and the clock they share. Reset builds a new one.
type world struct {
	dir      string
	temp     bool // dir was made for this world and goes with it
	db       *gorm.DB
	store    *models.Store
	clock    *clock.Manual
	loc      *time.Location
	settings scheduler.Settings
	fake     *tgfake.Server
	disp     *bot.Dispatcher
	notifier *scheduler.Notifier
	digest   *scheduler.GroupDigestWorker
	people   map[string]uint     // persona key → person id
	users    map[int64][]userMsg // what the personas wrote, by chat
}

// userMsg is a message a persona wrote. The fake shows only the bot's
// messages (Messages), so the sandbox keeps the users' side itself, from the
// updates the fake built; both share the chat's id sequence.
type userMsg struct {
	msg  tgfake.Message
	from string // persona key
}

// build makes a world in dir (a new temporary folder when dir is ""), its
// clock at startTime of now (the visitor's real time).
func build(ctx context.Context, dir string, now time.Time, log *slog.Logger) (w *world, err error) {
	w = &world{dir: dir, users: map[int64][]userMsg{}}
	if dir == "" {
		if w.dir, err = os.MkdirTemp("", "rectibot-sandbox-"); err != nil {
			return nil, fmt.Errorf("sandbox folder: %w", err)
		}
		w.temp = true
	}
	defer func() {
		if err != nil {
			w.close()
		}
	}()
	if w.loc, err = time.LoadLocation(models.DefaultTimeZone); err != nil {
		return nil, err
	}
	// The defaults of a fresh installation (SPEC §4): the story counts on
	// their 7/3/1/0-day reminders and 3/7-day escalations, so the
	// environment's RECTIBOT_* settings are not read.
	cal := ledger.NewChinaCalendar(nil)
	w.settings = scheduler.DefaultSettings(cal)
	start := startTime(now, w.settings, w.loc)
	w.clock = clock.NewManual(start)
	if err := w.openLedger(ctx, log); err != nil {
		return nil, err
	}
	if w.people, err = seed(ctx, w.store, w.clock, cal, w.loc); err != nil {
		return nil, err
	}
	if err := w.startBot(ctx, log); err != nil {
		return nil, err
	}
	// The first working morning's reminders and escalations are waiting
	// when the page opens: the clock "arrives" at start.
	if err := w.tick(ctx, start.Add(-time.Nanosecond), start); err != nil {
		return nil, err
	}
	return w, nil
}

// openLedger opens and migrates the SQLite file. The job queue's tables
// (scheduler.Migrate) are left out: the sandbox runs no River, see tick.
func (w *world) openLedger(ctx context.Context, log *slog.Logger) error {
	loc, err := models.ParseLocation("sqlite:" + filepath.Join(w.dir, dbFile))
	if err != nil {
		return err
	}
	if w.db, err = models.Open(ctx, loc, log); err != nil {
		return err
	}
	if err := models.Migrate(ctx, w.db, loc, log); err != nil {
		return err
	}
	w.store = models.NewStore(w.db, w.clock)
	return nil
}

// startBot starts the emulator and points the real bot at it.
func (w *world) startBot(ctx context.Context, log *slog.Logger) error {
	// No flood limits in the emulator, and none worth the name in the bot's
	// limiter: one visitor clicks, and every answer must appear at once.
	// With Telegram's own (ratelimit.TelegramLimits) the limiter, which
	// waits in real time, held every reply in a private chat after the
	// first two for a second (five /tasks in a row took 4.9 s), and spaces
	// a group's messages three seconds apart. The limits themselves are
	// tgfake's and the sender's tests' business; here they would only make
	// the page feel broken.
	w.fake = tgfake.New(tgfake.Options{Clock: w.clock, BotUsername: botUsername, Limits: tgfake.Limits{Unlimited: true}})
	ids := make([]int64, 0, len(personas))
	for _, p := range personas {
		w.fake.AddUser(tgfake.User{ID: p.UserID, FirstName: p.Name, LanguageCode: "zh-hans"})
		ids = append(ids, p.UserID)
	}
	w.fake.AddGroup(groupID, groupTitle, ids...)
	dedupe := bot.NewMemoryDeduper(w.clock)
	b, err := bot.New(bot.Options{Token: w.fake.Token(), APIURL: w.fake.URL(), Store: w.store,
		Limiter: ratelimit.NewLocal(sandboxLimits), Dedupe: dedupe, Log: log})
	if err != nil {
		return err
	}
	admins := []int64{adminID}
	h := handlers.New(handlers.Deps{Store: w.store, Out: b.Sender(), Sessions: session.NewMemory(w.clock, session.DefaultTTL),
		Clock: w.clock, Admins: admins, BotUsername: func() string { return botUsername },
		Light: ledger.DefaultLightThresholds, Log: log, Guesses: handlers.NewKeyThrottle(5, 2*time.Minute, w.clock.Now)})
	w.disp = b.Attach(h, h, dedupe)
	// The emulator keeps the menus, so the page can show them.
	if err := b.SetCommands(ctx, h.Menus()); err != nil {
		return err
	}
	w.notifier = &scheduler.Notifier{Store: w.store, Out: b.Sender(), Settings: w.settings, Admins: admins}
	w.digest = &scheduler.GroupDigestWorker{Store: w.store, Out: b.Sender(), Settings: w.settings, Clock: w.clock,
		Zone: w.loc, Light: ledger.DefaultLightThresholds, Admins: admins}
	return nil
}

// close stops the emulator and the ledger, and removes a temporary folder.
func (w *world) close() {
	if w.fake != nil {
		w.fake.Close()
	}
	if w.db != nil {
		_ = models.Close(w.db)
	}
	if w.temp {
		_ = os.RemoveAll(w.dir)
	}
}

// recipients are everyone the scheduler may write to: the linked personas
// and the configured admin.
func (w *world) recipients() []scheduler.Recipient {
	out := []scheduler.Recipient{{TelegramID: adminID}}
	for _, p := range personas {
		if id, ok := w.people[p.Key]; ok {
			out = append(out, scheduler.Recipient{PersonID: id, TelegramID: p.UserID})
		}
	}
	return out
}
