package scheduler_test

// The benchmark of issue 4, item 8: reminders due at once to one officer
// each, through the whole scheduler in this process — River on the
// ledger's database (the notify jobs), the Notifier (ledger queries, one
// message per person, deliveries and notifications recorded), the one
// sender with the production limiter (ratelimit.TelegramLimits; shared in
// Redis when REDIS_URL is set, as serve does) and the real go-telegram
// client — against the strict fake Bot API enforcing Telegram's limits
// (30/s in all, 1/s per private chat, 20/min per group). Only the process
// boundary and the HTTP edge for updates are missing, which carry no sends.
//
// Three phases, one after the other:
//   - burst: every reminder due at the same instant, so the run is
//     rate-bound: the achieved rate (first to last send) as a ratio of
//     Telegram's 30/s (target ≥ 0.95), 429s (target 0), and the lag from
//     due to sent (rate-bound: it grows with the queue).
//   - paced: reminders due one after another at 10/s, under the limit: the
//     lag from due to sent, p50 and p99 (target p99 ≤ 5 s).
//   - groups: messages into groups through the sender directly, several
//     per group at once: the rate per group beyond the limiter's burst as
//     a ratio of Telegram's 20/min, and 429s.
//
// Size: the default (600 reminders, 50 paced, 100 group messages into 20
// groups) runs in about 40 s; RECTIBOT_BENCH_FULL=1 is the size
// (10,000 reminders, 200 paced, 1,000 messages into 50 groups, about 8
// minutes: give -timeout 20m). RECTIBOT_BENCH_REMINDERS, _PACED,
// _GROUP_MESSAGES and _GROUPS set each; RECTIBOT_BENCH_GLOBAL=count/burst
// (e.g. 29/1) tries another global limiter rate than TelegramLimits'.
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' REDIS_URL=redis://127.0.0.1:6379/0 \
//	    go test -run '^$' -bench ReminderDelivery -benchtime 1x ./scheduler/

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/ratelimit"
	"github.com/rectibot/rectibot/schedule"
	"github.com/rectibot/rectibot/scheduler"
)

// Telegram's published limits, which the fake enforces.
const (
	telegramPerSecond      = 30
	telegramGroupPerMinute = 20
	pacedPerSecond         = 10 // the paced phase's due rate, well under the limiter's 25/s
)

type benchSize struct {
	reminders, paced, groupMessages, groups int
}

func (s benchSize) String() string {
	return fmt.Sprintf("%d reminders at once, %d paced at %d/s, %d group messages into %d groups",
		s.reminders, s.paced, pacedPerSecond, s.groupMessages, s.groups)
}

func sizeFromEnv(b *testing.B) benchSize {
	s := benchSize{reminders: 600, paced: 50, groupMessages: 100, groups: 20}
	if os.Getenv("RECTIBOT_BENCH_FULL") == "1" {
		s = benchSize{reminders: 10000, paced: 200, groupMessages: 1000, groups: 50}
	}
	for name, p := range map[string]*int{"RECTIBOT_BENCH_REMINDERS": &s.reminders, "RECTIBOT_BENCH_PACED": &s.paced,
		"RECTIBOT_BENCH_GROUP_MESSAGES": &s.groupMessages, "RECTIBOT_BENCH_GROUPS": &s.groups} {
		if raw := os.Getenv(name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 {
				b.Fatalf("%s=%q: expected a positive number", name, raw)
			}
			*p = n
		}
	}
	return s
}

// limitsFromEnv is TelegramLimits, or with RECTIBOT_BENCH_GLOBAL=count/burst
// another global rate per second.
func limitsFromEnv(b *testing.B) ratelimit.Limits {
	l := ratelimit.TelegramLimits
	if raw := os.Getenv("RECTIBOT_BENCH_GLOBAL"); raw != "" {
		c, burst, _ := strings.Cut(raw, "/")
		n, err1 := strconv.Atoi(c)
		m, err2 := strconv.Atoi(burst)
		if err1 != nil || err2 != nil || n < 1 || m < 1 {
			b.Fatalf("RECTIBOT_BENCH_GLOBAL=%q: expected count/burst such as 29/1", raw)
		}
		l.Global = ratelimit.Rate{Count: n, Per: time.Second, Burst: m}
	}
	return l
}

// newLimiter is serve's limiter: shared in Redis (under a fresh prefix)
// when REDIS_URL is set, with the local one as fallback; local otherwise.
func newLimiter(b *testing.B, l ratelimit.Limits) (bot.Limiter, string) {
	raw := os.Getenv("REDIS_URL")
	if raw == "" {
		return ratelimit.NewLocal(l), "local"
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		b.Fatalf("REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	buf := make([]byte, 8)
	_, _ = rand.Read(buf)
	prefix := "rectibot-bench:" + hex.EncodeToString(buf) + ":"
	b.Cleanup(func() {
		ctx := context.Background()
		if keys, err := rdb.Keys(ctx, "rate:"+prefix+"*").Result(); err == nil && len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
		_ = rdb.Close()
	})
	return ratelimit.NewFallback(ratelimit.NewRedis(rdb, prefix, l), ratelimit.NewLocal(l)), "redis"
}

// noonZone names a fixed-offset zone where it is now between 12:00 and
// 13:00, so "today" cannot change during the run (an overdue notice of a
// new day would be a second message).
func noonZone(now time.Time) string {
	off := 12 - now.UTC().Hour()
	switch {
	case off == 0:
		return "Etc/UTC"
	case off > 0:
		return fmt.Sprintf("Etc/GMT-%d", off)
	default:
		return fmt.Sprintf("Etc/GMT+%d", -off)
	}
}

type officer struct {
	PersonID       uint
	TelegramUserID int64
}

func BenchmarkReminderDelivery(b *testing.B) {
	size := sizeFromEnv(b)
	limits := limitsFromEnv(b)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	// The ledger: officers linked, nothing planned (imported before the
	// scheduler exists), so the notify jobs below are all the work.
	setup := time.Now()
	db, loc := testdb.Open(b)
	if err := scheduler.Migrate(ctx, db, loc, quiet); err != nil {
		b.Fatal(err)
	}
	store := models.NewStore(db, clock.System{})
	zone, err := time.LoadLocation(noonZone(time.Now()))
	if err != nil {
		b.Fatal(err)
	}
	today := ledger.DateOf(time.Now().In(zone))
	rows := ledgergen.Overdue(size.reminders+size.paced, today)
	if _, err := store.ImportPlan(ctx, models.PlanSpec{Title: "基准测试台账", TimeZone: zone.String(), Year: today.Year,
		FeedbackDate: today.AddDays(-60)}, rows, models.CLIActor, false); err != nil {
		b.Fatal(err)
	}
	const firstTelegramID = 8_000_000
	if err := db.Exec(`UPDATE people SET telegram_user_id = ? + id, linked_at = ?
		WHERE id IN (SELECT person_id FROM person_roles WHERE role = ?)`,
		firstTelegramID, time.Now().UTC(), string(ledger.RoleOfficer)).Error; err != nil {
		b.Fatal(err)
	}
	var officers []officer
	if err := db.Raw(`SELECT p.id AS person_id, p.telegram_user_id FROM people p
		JOIN person_roles r ON r.person_id = p.id AND r.role = ? ORDER BY p.id`, string(ledger.RoleOfficer)).
		Scan(&officers).Error; err != nil {
		b.Fatal(err)
	}
	if len(officers) != size.reminders+size.paced {
		b.Fatalf("%d officers linked, want %d", len(officers), size.reminders+size.paced)
	}

	fake := tgfake.New(tgfake.Options{}) // Telegram's limits
	defer fake.Close()
	for _, o := range officers {
		fake.AddUser(tgmodels.User{ID: o.TelegramUserID, LanguageCode: "zh-hans"})
	}
	limiter, limiterKind := newLimiter(b, limits)
	tb, err := bot.New(bot.Options{Token: fake.Token(), APIURL: fake.URL(), Store: store, Limiter: limiter, Log: quiet})
	if err != nil {
		b.Fatal(err)
	}
	cal, err := ledger.ParseWorkdays("all", nil)
	if err != nil {
		b.Fatal(err)
	}
	settings := schedule.DefaultSettings(cal)
	settings.WorkStart, settings.WorkEnd = 0, 24*time.Hour // always open
	svc, err := scheduler.New(scheduler.Config{Store: store, Location: loc, Out: tb.Sender(), Settings: settings,
		Clock: clock.System{}, Zone: zone, Light: ledger.DefaultLightThresholds, Log: quiet})
	if err != nil {
		b.Fatal(err)
	}
	// The queue only: Service.Start would also plan every task in the
	// background (Reconcile), and their overdue notices would be messages
	// beside the ones measured.
	if err := svc.Queue.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_ = svc.Queue.Stop(stop)
	}()
	fmt.Printf("size: %s (%s, %d officers set up in %v)\nlimiter: %s, global %d/s burst %d, group %d/%v burst %d\n",
		size, loc.Dialect, len(officers), time.Since(setup).Round(time.Millisecond),
		limiterKind, limits.Global.Count, limits.Global.Burst, limits.Group.Count, limits.Group.Per, limits.Group.Burst)
	b.ResetTimer()

	// Burst: all due at one instant, 2 s from now (time to insert them).
	burst := officers[:size.reminders]
	due := time.Now().Add(2 * time.Second).UTC()
	dues := make([]time.Time, len(burst))
	for i := range dues {
		dues[i] = due
	}
	insertNotify(b, svc.Queue, db, burst, dues)
	waitSent(b, fake, size.reminders, time.Duration(size.reminders)*time.Second/20+2*time.Minute)
	br := measure(b, fake, burst, dues)
	burst429 := count429(fake)
	rate := float64(len(burst)-1) / br.last.Sub(br.first).Seconds()
	fmt.Printf("burst: %d reminders in %v (due → last %v): %.2f/s = %.3f of Telegram's %d/s; 429s %d; lag p50 %v p99 %v max %v (rate-bound)\n",
		len(burst), br.last.Sub(br.first).Round(time.Millisecond), br.last.Sub(due).Round(time.Millisecond),
		rate, rate/telegramPerSecond, telegramPerSecond, burst429, br.p50, br.p99, br.max)

	// Paced: due one after another, under the limit.
	paced := officers[size.reminders:]
	start := time.Now().Add(2 * time.Second).UTC()
	dues = make([]time.Time, len(paced))
	for i := range dues {
		dues[i] = start.Add(time.Duration(i) * time.Second / pacedPerSecond)
	}
	insertNotify(b, svc.Queue, db, paced, dues)
	waitSent(b, fake, size.reminders+size.paced, time.Duration(size.paced)*time.Second/pacedPerSecond+time.Minute)
	pr := measure(b, fake, paced, dues)
	paced429 := count429(fake) - burst429
	fmt.Printf("paced: %d reminders due at %d/s: lag p50 %v p99 %v max %v; 429s %d\n",
		len(paced), pacedPerSecond, pr.p50, pr.p99, pr.max, paced429)

	// Groups: the sender directly, each group's messages queued at once.
	gr := sendToGroups(b, fake, tb.Sender(), size.groupMessages, size.groups, limits.Group.Burst)
	group429 := count429(fake) - burst429 - paced429
	fmt.Printf("groups: %d messages into %d groups in %v (%.2f/s); per group beyond the burst of %d: %.2f/min = %.3f of Telegram's %d/min; 429s %d\n",
		size.groupMessages, size.groups, gr.elapsed.Round(time.Millisecond), float64(size.groupMessages)/gr.elapsed.Seconds(),
		limits.Group.Burst, gr.perMin, gr.ratio, telegramGroupPerMinute, group429)
	b.StopTimer()

	b.ReportMetric(rate/telegramPerSecond, "rate_ratio")
	b.ReportMetric(rate, "sends/s")
	b.ReportMetric(float64(burst429), "429s")
	b.ReportMetric(br.p50.Seconds(), "burst_lag_p50_s")
	b.ReportMetric(br.p99.Seconds(), "burst_lag_p99_s")
	b.ReportMetric(pr.p50.Seconds(), "lag_p50_s")
	b.ReportMetric(pr.p99.Seconds(), "lag_p99_s")
	b.ReportMetric(gr.ratio, "group_rate_ratio")
	b.ReportMetric(float64(group429+paced429), "other_429s")
	if rej := fake.Rejected(); len(rej) > 0 {
		b.Logf("Telegram refused %d sends, first %+v", len(rej), rej[0])
	}
}

// insertNotify inserts one notify job per officer, due at dues[i] (the
// window, as TaskDueWorker would give it), in transactions of 1,000.
func insertNotify(b *testing.B, q *scheduler.Queue, db *gorm.DB, who []officer, dues []time.Time) {
	b.Helper()
	for start := 0; start < len(who); start += 1000 {
		end := min(len(who), start+1000)
		params := make([]river.InsertManyParams, 0, end-start)
		for i := start; i < end; i++ {
			params = append(params, river.InsertManyParams{
				Args:       scheduler.NotifyArgs{PersonID: who[i].PersonID, Window: dues[i]},
				InsertOpts: &river.InsertOpts{ScheduledAt: dues[i]},
			})
		}
		if err := db.Transaction(func(tx *gorm.DB) error { return q.InsertManyTx(context.Background(), tx, params) }); err != nil {
			b.Fatal(err)
		}
	}
}

func waitSent(b *testing.B, fake *tgfake.Server, n int, timeout time.Duration) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := fake.WaitSent(ctx, n); err != nil {
		b.Fatalf("%d of %d messages sent within %v", fake.SentTotal(), n, timeout)
	}
}

func count429(fake *tgfake.Server) int {
	n := 0
	for _, r := range fake.Rejected() {
		if r.Code == 429 {
			n++
		}
	}
	return n
}

type phase struct {
	first, last   time.Time
	p50, p99, max time.Duration
}

// measure checks each officer got exactly one message and returns the
// send times and the lags from dues[i] to officer i's message.
func measure(b *testing.B, fake *tgfake.Server, who []officer, dues []time.Time) phase {
	b.Helper()
	lags := make([]time.Duration, len(who))
	var ph phase
	for i, o := range who {
		msgs := fake.Messages(o.TelegramUserID)
		if len(msgs) != 1 {
			b.Fatalf("officer %d (chat %d) got %d messages, want 1", i, o.TelegramUserID, len(msgs))
		}
		at := msgs[0].At
		lags[i] = at.Sub(dues[i])
		if ph.first.IsZero() || at.Before(ph.first) {
			ph.first = at
		}
		if at.After(ph.last) {
			ph.last = at
		}
	}
	slices.Sort(lags)
	ph.p50 = lags[len(lags)/2].Round(time.Millisecond)
	ph.p99 = lags[min(len(lags)-1, len(lags)*99/100)].Round(time.Millisecond)
	ph.max = lags[len(lags)-1].Round(time.Millisecond)
	return ph
}

type groupResult struct {
	elapsed time.Duration
	perMin  float64 // median over groups of the rate beyond the limiter's burst, per minute
	ratio   float64 // perMin over Telegram's 20/min
}

// sendToGroups sends total messages into groups groups, one goroutine per
// group sending its share in order, as a digest to many groups would.
func sendToGroups(b *testing.B, fake *tgfake.Server, s *bot.Sender, total, groups, burst int) groupResult {
	b.Helper()
	ids := make([]int64, groups)
	for g := range ids {
		ids[g] = -1_002_000_000_000 - int64(g)
		fake.AddGroup(ids[g], fmt.Sprintf("整改工作群%02d", g+1))
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, groups)
	for g, chat := range ids {
		n := total / groups
		if g < total%groups {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				if _, err := s.Send(context.Background(), outbound.Message{ChatID: chat, Kind: "digest",
					Text: fmt.Sprintf("半月梳理汇总 第 %d 页", i+1), Key: fmt.Sprintf("bench:%d:%d", chat, i)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	r := groupResult{elapsed: time.Since(start)}
	// A group's first burst messages go at once; the rest come at the
	// limiter's steady rate, from the first send on: (n − burst) messages
	// over the time from the first to the last.
	var rates []float64
	for _, chat := range ids {
		msgs := fake.Messages(chat)
		if n := len(msgs); n > burst {
			rates = append(rates, float64(n-burst)/msgs[n-1].At.Sub(msgs[0].At).Minutes())
		}
	}
	if len(rates) == 0 {
		b.Logf("no group got more than %d messages: no steady rate to measure", burst)
		return r
	}
	slices.Sort(rates)
	r.perMin = rates[len(rates)/2]
	r.ratio = r.perMin / telegramGroupPerMinute
	return r
}
