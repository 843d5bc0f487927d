package scheduler_test

// The serve benchmarks of issue 11 ("Benchmarks"): an installation of many
// units of 25 tasks (ledgergen.UnitsSpec, written by ledgergen.Load), every
// officer and leader linked, on the day the ledger is about, and two
// measures of it:
//
//   - serve: `rectibot serve` started as a child process on it — the time
//     until /readyz answers (it takes updates then; target ≤ 5 s), until
//     its background Reconcile has planned every task, and its peak
//     resident memory (getrusage's ru_maxrss; target < 500 MB);
//   - the 09:00 burst: every reminder, overdue notice and escalation due
//     that working day, planned (Reconcile, then each task_due job turning
//     into one notify job per person) and sent through the production
//     limiter to the strict fake Bot API: the rate as a share of
//     Telegram's 30/s (target ≥ 95 %) and 429s (target 0).
//
// By default 400 units (10,000 tasks); with RECTIBOT_BENCH_PROVINCE=1 also
// 10,000 units (250,000 tasks, 50,000 officers, 20,000 leaders), which
// takes some 15 minutes, mostly the burst at 30 messages a second:
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' REDIS_URL=redis://127.0.0.1:6379/0 \
//	    RECTIBOT_BENCH_PROVINCE=1 go test -run '^$' -bench UnitsServe -benchtime 1x -timeout 60m ./scheduler/

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/schedule"
	"github.com/rectibot/rectibot/scheduler"
)

const (
	targetReadySeconds = 5.0
	targetMaxRSSMB     = 500.0
	targetBurstShare   = 0.95
	firstUnitsTgID     = 9_000_000
)

// unitsWorld is a loaded installation on "today" and the fake Bot API
// that knows every linked person.
type unitsWorld struct {
	units  int
	db     *gorm.DB
	loc    dburl.Location
	zone   *time.Location
	today  ledger.Date
	fake   *tgfake.Server
	loaded ledgergen.Loaded
	people int
}

type unitsServeFigures struct {
	serve serveFigures
	burst burstFigures
}

func BenchmarkUnitsServe(b *testing.B) {
	sizes := ledgergen.UnitSizes()
	bin := rectibotBinary(b)
	figures := map[int]unitsServeFigures{}
	for _, units := range sizes {
		b.Run(fmt.Sprintf("%s/units=%d", testdb.Kind(), units), func(b *testing.B) {
			w := newUnitsWorld(b, units)
			s := startServe(b, bin, w)
			bu := runBurst(b, w)
			figures[units] = unitsServeFigures{serve: s, burst: bu}
			b.ReportMetric(s.ready.Seconds(), "ready_s")
			b.ReportMetric(s.maxRSSMB, "max_rss_MB")
			b.ReportMetric(bu.rate/telegramPerSecond, "rate_ratio")
			b.ReportMetric(float64(bu.rejected429), "429s")
			say("%s, %d units (%d tasks, %d people linked), loaded in %.1f s", testdb.Kind(), units, w.loaded.Tasks, w.people, w.loaded.Took.Seconds())
			s.print(units)
			bu.print(units)
		})
	}
	if len(sizes) == 2 {
		small, large := figures[sizes[0]], figures[sizes[1]]
		g := func(l, s float64) string { return fmt.Sprintf("×%.2f", l/s) }
		say("%s: growth from %d to %d units (×%d tasks):", testdb.Kind(), sizes[0], sizes[1], sizes[1]/sizes[0])
		say("  serve ready          %8.2f → %8.2f s  (%s)", small.serve.ready.Seconds(), large.serve.ready.Seconds(), g(large.serve.ready.Seconds(), small.serve.ready.Seconds()))
		say("  serve reconcile done %8.1f → %8.1f s  (%s)", small.serve.reconciled.Seconds(), large.serve.reconciled.Seconds(), g(large.serve.reconciled.Seconds(), small.serve.reconciled.Seconds()))
		say("  serve max RSS        %8.0f → %8.0f MB (%s)", small.serve.maxRSSMB, large.serve.maxRSSMB, g(large.serve.maxRSSMB, small.serve.maxRSSMB))
		say("  day planned          %8.1f → %8.1f s  (%s)", small.burst.planned.Seconds(), large.burst.planned.Seconds(), g(large.burst.planned.Seconds(), small.burst.planned.Seconds()))
		say("  burst messages       %8d → %8d    (%s)", small.burst.messages, large.burst.messages, g(float64(large.burst.messages), float64(small.burst.messages)))
		say("  burst rate           %8.2f → %8.2f /s (%.1f%% → %.1f%% of 30/s), 429s %d → %d", small.burst.rate, large.burst.rate,
			100*small.burst.rate/telegramPerSecond, 100*large.burst.rate/telegramPerSecond, small.burst.rejected429, large.burst.rejected429)
	}
}

// say prints a figure: the parent of sub-benchmarks has no result line,
// and its b.Log is shown only with -v.
func say(format string, args ...any) { fmt.Printf(format+"\n", args...) }

// newUnitsWorld loads units × 25 tasks about today (in a zone where it is
// now about noon, so the day cannot change during the run), links every
// person and records the escalations of the days before as told, as an
// installation that has been running has them.
func newUnitsWorld(b *testing.B, units int) *unitsWorld {
	b.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := &unitsWorld{units: units}
	w.db, w.loc = testdb.Open(b)
	if err := scheduler.Migrate(ctx, w.db, w.loc, quiet); err != nil {
		b.Fatal(err)
	}
	zoneName := noonZone(time.Now())
	var err error
	if w.zone, err = time.LoadLocation(zoneName); err != nil {
		b.Fatal(err)
	}
	w.today = ledger.DateOf(time.Now().In(w.zone))
	spec := ledgergen.UnitsSpec{Units: units, TasksPerUnit: ledgergen.UnitTasks, AsOf: w.today, TimeZone: zoneName}
	if w.loaded, err = ledgergen.Load(ctx, w.db, spec, time.Now()); err != nil {
		b.Fatal(err)
	}
	if err := w.db.Exec("UPDATE people SET telegram_user_id = ? + id, linked_at = ?", firstUnitsTgID, time.Now().UTC()).Error; err != nil {
		b.Fatal(err)
	}
	var ids []int64
	if err := w.db.Model(&models.Person{}).Pluck("telegram_user_id", &ids).Error; err != nil {
		b.Fatal(err)
	}
	w.people = len(ids)
	w.fake = tgfake.New(tgfake.Options{}) // Telegram's limits
	b.Cleanup(w.fake.Close)
	for _, id := range ids {
		w.fake.AddUser(tgmodels.User{ID: id, LanguageCode: "zh-hans"})
	}
	w.recordPastEscalations(b)
	if testdb.Kind() == dburl.Postgres {
		if err := w.db.Exec("ANALYZE units, plans, departments, people, person_roles, department_leaders, tasks, notifications").Error; err != nil {
			b.Fatal(err)
		}
	}
	return w
}

// unitsSettings are serve's settings in the benchmarks: every day a
// working day, the send window opening at start.
func unitsSettings(b *testing.B, start, end time.Duration) schedule.Settings {
	b.Helper()
	cal, err := ledger.ParseWorkdays("all", nil)
	if err != nil {
		b.Fatal(err)
	}
	s := schedule.DefaultSettings(cal)
	s.WorkStart, s.WorkEnd = start, end
	return s
}

// recordPastEscalations writes, for every open task past its deadline, the
// escalations of the days before today as notifications (told), so the
// day's plan is a working day's and not an import's catch-up of every
// escalation missed.
func (w *unitsWorld) recordPastEscalations(b *testing.B) {
	b.Helper()
	var late []models.Task
	if err := w.db.Where("status <> ? AND long_term = ? AND deadline < ?", string(ledger.StatusClosed), false, models.DateOf(w.today)).
		Find(&late).Error; err != nil {
		b.Fatal(err)
	}
	settings := unitsSettings(b, 9*time.Hour, 18*time.Hour)
	var told []models.Notification
	for _, t := range late {
		st := scheduler.TaskState{TaskID: t.ID, Status: ledger.Status(t.Status), Deadline: t.Deadline.Date, Location: w.zone}
		for _, d := range scheduler.Plan(settings, st, t.Deadline.AddDays(1).StartIn(w.zone), w.today.StartIn(w.zone)) {
			if d.Kind != scheduler.KindEscalateLeader && d.Kind != scheduler.KindEscalateAdmins {
				continue
			}
			n := models.Notification{DueKey: d.UniqueKey(), TaskID: t.ID, Kind: string(d.Kind), Day: models.DateOf(d.Day),
				DeliveryKey: "bench:history:" + d.UniqueKey(), SentAt: d.At.UTC()}
			if d.Kind == scheduler.KindEscalateLeader {
				n.PersonID = &t.LeaderID
			}
			told = append(told, n)
		}
	}
	if len(told) > 0 {
		if err := w.db.CreateInBatches(&told, 500).Error; err != nil {
			b.Fatal(err)
		}
	}
}

// dueToday reads which tasks have a task_due job of today and plans each
// of them over today, as the chain of jobs will (an officer's overdue notice
// and the leader's escalation can fall on one day: the second job is
// planned when the first runs). It returns the people written to, one
// message each, and the items by kind.
func (w *unitsWorld) dueToday(b *testing.B, settings schedule.Settings, from time.Time) (recipients map[uint]bool, byKind map[scheduler.Kind]int) {
	b.Helper()
	var raw []string
	args := "CAST(args AS TEXT)"
	if w.loc.Dialect == dburl.SQLite {
		args = "json(args)" // River's SQLite driver stores JSONB
	}
	if err := w.db.Raw("SELECT "+args+" FROM river_job WHERE kind = ?", scheduler.JobKindTaskDue).Scan(&raw).Error; err != nil {
		b.Fatal(err)
	}
	var taskIDs []uint
	for _, r := range raw {
		var a scheduler.TaskDueArgs
		if err := json.Unmarshal([]byte(r), &a); err != nil {
			b.Fatalf("task_due args %s: %v", r, err)
		}
		if a.Day == w.today.String() {
			taskIDs = append(taskIDs, a.TaskID)
		}
	}
	byKind, recipients = map[scheduler.Kind]int{}, map[uint]bool{}
	for start := 0; start < len(taskIDs); start += 1000 {
		tasks, err := models.LoadDueTasks(context.Background(), w.db, models.DueFilter{TaskIDs: taskIDs[start:min(len(taskIDs), start+1000)]})
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range tasks {
			st := scheduler.TaskState{TaskID: t.ID, Status: t.Status, Deadline: t.Deadline, LongTerm: t.LongTerm, Location: w.zone}
			if t.LongTerm {
				st.Recurrence, _ = ledger.ParseRecurrence(t.Recurrence)
			}
			for _, d := range scheduler.Plan(settings, st, from, w.today.AddDays(1).StartIn(w.zone)) {
				if d.Day != w.today {
					continue
				}
				byKind[d.Kind]++
				switch d.Kind {
				case scheduler.KindEscalateLeader:
					recipients[t.LeaderID] = true
				case scheduler.KindEscalateAdmins: // no admins in the generated units
				default:
					recipients[t.OfficerID] = true
				}
			}
		}
	}
	return recipients, byKind
}
