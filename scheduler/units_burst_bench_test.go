package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rectibot/rectibot/bot"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/scheduler"
)

// shiftClock is the wall clock moved by an offset: the day is planned an
// hour before its send window opens, then the clock is put right and the
// window is open — the 09:00 of a working day, without waiting for it.
type shiftClock struct{ off atomic.Int64 }

func (c *shiftClock) Now() time.Time        { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *shiftClock) set(off time.Duration) { c.off.Store(int64(off)) }

type burstFigures struct {
	planned     time.Duration // Reconcile: every task's next item planned, today's at the window
	due         map[scheduler.Kind]int
	messages    int           // one per person with something due today
	first, last time.Duration // from the queue's start to the first and last send
	rate        float64       // messages per second, first to last
	rejected429 int
	p50, p99    time.Duration // from the queue's start to each message
	limiter     string
}

func (f burstFigures) print(units int) {
	kinds := make([]string, 0, len(f.due))
	for k, n := range f.due {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	say("%s, %d units: the day planned in %.1f s (Reconcile: %s); burst of %d messages (%s limiter): first %.2f s, last %.1f s after the queue started; "+
		"%.2f messages/s = %.1f%% of Telegram's %d/s (target ≥ %.0f%%); 429s %d (target 0); a person's message p50 %.1f s, p99 %.1f s after the start",
		testdb.Kind(), units, f.planned.Seconds(), strings.Join(kinds, ", "), f.messages, f.limiter, f.first.Seconds(), f.last.Seconds(),
		f.rate, 100*f.rate/telegramPerSecond, telegramPerSecond, 100*targetBurstShare, f.rejected429,
		f.p50.Seconds(), f.p99.Seconds())
}

// runBurst plans the day (Reconcile, the window opening at this minute),
// then starts the queue: every task_due job of today runs at once, each
// person's items become one notify job, and the messages go out through
// the production limiter (in Redis when REDIS_URL is set) to the fake.
func runBurst(b *testing.B, w *unitsWorld) burstFigures {
	b.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := time.Now().In(w.zone)
	open := time.Duration(now.Hour())*time.Hour + time.Duration(now.Minute())*time.Minute
	clk := &shiftClock{}
	clk.set(-time.Hour)
	store := models.NewStore(w.db, clk)
	limiter, limiterKind := newLimiter(b, limitsFromEnv(b))
	tb, err := bot.New(bot.Options{Token: w.fake.Token(), APIURL: w.fake.URL(), Store: store, Limiter: limiter, Log: quiet})
	if err != nil {
		b.Fatal(err)
	}
	settings := unitsSettings(b, open, 24*time.Hour)
	svc, err := scheduler.New(scheduler.Config{Store: store, Location: w.loc, Out: tb.Sender(), Settings: settings,
		Clock: clk, Zone: w.zone, Light: ledger.DefaultLightThresholds, Log: quiet})
	if err != nil {
		b.Fatal(err)
	}
	f := burstFigures{limiter: limiterKind}
	began := time.Now()
	if err := svc.Reconcile(ctx); err != nil {
		b.Fatal(err)
	}
	f.planned = time.Since(began)
	recipients, due := w.dueToday(b, settings, clk.Now())
	f.due, f.messages = due, len(recipients)
	if f.messages == 0 {
		b.Fatal("nothing is due today: the generated ledger should have reminders and overdue notices every day")
	}
	clk.set(0)
	sentBefore, rejectedBefore := w.fake.SentTotal(), count429(w.fake)
	began = time.Now()
	if err := svc.Queue.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_ = svc.Queue.Stop(stop)
	}()
	waitSent(b, w.fake, sentBefore+f.messages, time.Duration(f.messages)*time.Second/20+3*time.Minute)
	// Nothing more may come (one message per person): give a further
	// message two seconds to show.
	settle, cancel := context.WithTimeout(ctx, 2*time.Second)
	_ = w.fake.WaitSent(settle, sentBefore+f.messages+1)
	cancel()
	if got := w.fake.SentTotal() - sentBefore; got != f.messages {
		b.Fatalf("%d messages sent, want %d (one per person with something due today)", got, f.messages)
	}
	var firstAt, lastAt time.Time
	lags := make([]time.Duration, 0, f.messages)
	for id := range recipients {
		msgs := w.fake.Messages(firstUnitsTgID + int64(id))
		if len(msgs) != 1 {
			b.Fatalf("person %d got %d messages, want 1", id, len(msgs))
		}
		at := msgs[0].At
		lags = append(lags, at.Sub(began))
		if firstAt.IsZero() || at.Before(firstAt) {
			firstAt = at
		}
		if at.After(lastAt) {
			lastAt = at
		}
	}
	slices.Sort(lags)
	f.p50, f.p99 = lags[len(lags)/2], lags[min(len(lags)-1, len(lags)*99/100)]
	f.first, f.last = firstAt.Sub(began), lastAt.Sub(began)
	if f.messages > 1 {
		f.rate = float64(f.messages-1) / lastAt.Sub(firstAt).Seconds()
	}
	f.rejected429 = count429(w.fake) - rejectedBefore
	return f
}
