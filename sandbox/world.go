package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/app"
	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/ratelimit"
	"github.com/rectibot/rectibot/schedule"
	"github.com/rectibot/rectibot/scheduler"
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
	location dburl.Location
	db       *gorm.DB
	store    *models.Store
	clock    *clock.Manual
	loc      *time.Location
	settings schedule.Settings
	fake     *tgfake.Server
	bot      *app.App
	stop     context.CancelFunc     // ends bot.Serve
	served   chan struct{}          // closed when bot.Serve has returned
	serveErr error                  // what it returned, once served is closed
	works    *workEnds              // the jobs River has worked
	people   map[string]uint        // persona key → person id
	users    map[int64][]userMsg    // what the personas wrote, by chat
	uploads  map[string]*attachment // what the personas sent, by the file ids the emulator gave it
}

// userMsg is a message a persona wrote. The fake shows only the bot's
// messages (Messages), so the sandbox keeps the users' side itself, from the
// updates the fake built; both share the chat's id sequence.
type userMsg struct {
	msg  tgfake.Message
	from string      // persona key
	file *attachment // the photo or document sent, if any
}

// build makes a world in dir (a new temporary folder when dir is ""), its
// clock at startTime of now (the visitor's real time).
func build(ctx context.Context, dir string, now time.Time, log *slog.Logger) (_ *world, err error) {
	w := &world{dir: dir, users: map[int64][]userMsg{}, uploads: map[string]*attachment{}}
	if dir == "" {
		if w.dir, err = os.MkdirTemp("", "rectibot-sandbox-"); err != nil {
			return nil, fmt.Errorf("sandbox folder: %w", err)
		}
		w.temp = true
	}
	// w, not the result: a failed build returns nil, and what it started
	// (the emulator, the bot, the folder) must still be closed.
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
	w.settings = schedule.DefaultSettings(cal)
	// The ledger is seeded and the bot started a minute before start, so
	// that nothing is due while the scheduler plans the seeded tasks at its
	// start (in the background, while River already runs).
	start := startTime(now, w.settings, w.loc)
	w.clock = clock.NewManual(start.Add(-time.Minute))
	if err := w.openLedger(ctx, log); err != nil {
		return nil, err
	}
	if w.people, err = seed(ctx, w.store, w.clock, cal, w.loc); err != nil {
		return nil, err
	}
	// The emulator is new at every start, so the menus a kept ledger
	// (--data) says were set are gone: the bot sets them again.
	if err := w.store.ForgetMenuKeys(ctx); err != nil {
		return nil, err
	}
	if err := w.startBot(ctx, log); err != nil {
		return nil, err
	}
	// A menu missing is no reason to refuse to start: the commands work
	// typed, and the page falls back to the default menu.
	if err := w.menusSet(ctx); err != nil {
		log.WarnContext(ctx, "sandbox: the personas' menus", "err", err)
	}
	// The first working morning's reminders and escalations are waiting
	// when the page opens: the clock arrives at start, and River works what
	// is due by then (a digest due at that very minute included).
	w.clock.Set(start)
	if err := w.arrive(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// openLedger opens and migrates the SQLite file, the job queue's tables
// (River's) included.
func (w *world) openLedger(ctx context.Context, log *slog.Logger) error {
	loc, err := dburl.Parse("sqlite:" + filepath.Join(w.dir, dbFile))
	if err != nil {
		return err
	}
	w.location = loc
	if w.db, err = models.Open(ctx, loc, log); err != nil {
		return err
	}
	if err := models.Migrate(ctx, w.db, loc, log); err != nil {
		return err
	}
	if err := scheduler.Migrate(ctx, w.db, loc, log); err != nil {
		return err
	}
	w.store = models.NewStore(w.db, w.clock)
	return forgetLastRun(ctx, w.db)
}

// noRescue is River's rescue time in the sandbox: never, in effect (see
// startBot).
const noRescue = 100 * 365 * 24 * time.Hour

// forgetLastRun clears what a kept --data ledger holds of a sandbox that
// ran before, which this one's emulator and clock would misread: the inbox
// (the new emulator numbers its updates from 1 again, and the inbox would
// take them for ones it has seen) with its chat leases, and River's leader
// (a killed sandbox's lease runs in its own clock's time, maybe days ahead
// of this one's start). A job a killed sandbox left running is made
// available again, as River's rescuer would have (it is off, see
// startBot). The ledger itself and River's other jobs are kept.
func forgetLastRun(ctx context.Context, db *gorm.DB) error {
	for _, stmt := range []string{"DELETE FROM inbox_updates", "DELETE FROM inbox_chats", "DELETE FROM river_leader",
		"UPDATE river_job SET state = 'available' WHERE state = 'running'"} {
		if err := db.WithContext(ctx).Exec(stmt).Error; err != nil {
			return fmt.Errorf("forget the last run (%s): %w", stmt, err)
		}
	}
	return nil
}

// startBot starts the emulator and runs the bot on it as serve runs it
// (app.New and app.Serve): long polling into the inbox, the handlers, and
// River with the sandbox's clock as its time.
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
		w.fake.AddUser(tgfake.User{ID: p.UserID, FirstName: p.Name, LanguageCode: personaLang})
		if p.inGroup() {
			ids = append(ids, p.UserID)
		}
	}
	w.fake.AddGroup(groupID, groupTitle, ids...)
	w.works = newWorkEnds()
	var err error
	w.bot, err = app.New(ctx, app.Options{
		Store: w.store, Database: w.location,
		Telegram: app.Telegram{Token: w.fake.Token(), APIURL: w.fake.URL()},
		// Health and metrics on a free loopback port: nobody looks, but
		// serve's listener is part of the path.
		HTTPAddr: "127.0.0.1:0",
		// The Mini App's buttons and menu button carry a placeholder
		// address (Telegram takes only https); the page opens the Mini
		// App through the sandbox's own /app/ (miniapp.go).
		MiniApp: app.MiniApp{URL: miniAppURL},
		// No Admins (RECTIBOT_ADMINS): the admin persona is Dongguan's
		// unit admin, a person of the ledger (personas.go).
		Light: ledger.DefaultLightThresholds, Schedule: w.settings, Zone: w.loc,
		Clock: w.clock, Log: log, Limits: sandboxLimits,
		// The inbox looks for work often, so an answer follows a click at
		// once. One attempt: a retry waits on the clock, which stands still
		// here until the visitor moves it, so a failed update fails now.
		Inbox: bot.InboxOptions{Poll: inboxPoll, MaxAttempts: 1},
		// River's rescuer, unlike its fetch, measures from the wall clock
		// (river@v0.51.2 internal/maintenance/job_rescuer.go) while jobs
		// are attempted at the sandbox's time, which starts at 09:00 of
		// today: every job running when the rescuer looked would seem
		// stuck for hours, and be run again. There is no dead process to
		// rescue a job from here (forgetLastRun frees a killed run's).
		JobRescueAfter: noRescue,
		Scheduler: []scheduler.Option{scheduler.WithTime(w.clock), scheduler.WithFetchInterval(riverPoll, riverCooldown),
			w.works.option(), quietLeaderLapse},
	})
	if err != nil {
		return fmt.Errorf("the bot: %w", err)
	}
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	w.stop, w.served = stop, make(chan struct{})
	go func() {
		defer close(w.served)
		w.serveErr = w.bot.Serve(run)
	}()
	return w.planned(ctx)
}

// planned waits for the scheduler's start to have planned every task (the
// seed was imported with no scheduler, as an import from the command line
// is) and caught up a digest missed since a kept ledger's last run.
func (w *world) planned(ctx context.Context) error {
	limit := time.NewTimer(waitLimit)
	defer limit.Stop()
	select {
	case <-w.bot.Scheduler.ReconcileDone():
		if err := w.bot.Scheduler.ReconcileErr(); err != nil {
			return fmt.Errorf("plan the ledger: %w", err)
		}
		return nil
	case <-w.served:
		return w.stopped()
	case <-limit.C:
		return fmt.Errorf("the ledger was not planned within %v", waitLimit)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops the bot (updates first, then the jobs in hand), the emulator
// and the ledger, and removes a temporary folder.
func (w *world) close() {
	if w.stop != nil {
		w.stop()
		<-w.served
	}
	if w.bot != nil {
		w.bot.Close()
	}
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
