package bot

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/internal/tgfake"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/ratelimit"
)

// memDeliveries is the sender's ledger, in memory: the bot package's tests
// are about the edge; deliveries in the database are tested in handlers.
type memDeliveries struct {
	mu          sync.Mutex
	deliveries  []dbmodels.Delivery
	unreachable []int64
}

func (m *memDeliveries) RecordDelivery(_ context.Context, d dbmodels.Delivery, _ []uint) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deliveries = append(m.deliveries, d)
	return nil
}

func (m *memDeliveries) MarkUnreachable(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.unreachable = append(m.unreachable, id)
	return nil
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// edgeEnv is a Bot against a fake on a manual clock; the sender's waits
// advance that clock instead of sleeping.
type edgeEnv struct {
	fake       *tgfake.Server
	fakeClock  *tgfake.ManualClock
	bot        *Bot
	deliveries *memDeliveries
	waits      []time.Duration
	mu         sync.Mutex
}

func newEdge(t *testing.T, limits tgfake.Limits, ours ratelimit.Limits) *edgeEnv {
	t.Helper()
	fc := tgfake.NewManualClock(time.Date(2021, 11, 1, 2, 0, 0, 0, time.UTC))
	fake := tgfake.New(tgfake.Options{Clock: fc, Limits: limits})
	t.Cleanup(fake.Close)
	e := &edgeEnv{fake: fake, fakeClock: fc, deliveries: &memDeliveries{}}
	b, err := New(Options{Token: fake.Token(), APIURL: fake.URL(), Store: e.deliveries,
		Limiter: ratelimit.NewLocal(ours), Log: quiet(), WebhookSecret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	b.sender.sleep = func(_ context.Context, d time.Duration) error {
		e.mu.Lock()
		e.waits = append(e.waits, d)
		e.mu.Unlock()
		fc.Advance(d)
		return nil
	}
	e.bot = b
	return e
}

// generous is a limiter that never holds a message back, so the fake's
// limits (and its 429s) are what the sender meets.
var generous = ratelimit.Limits{
	Global:      ratelimit.Rate{Count: 100000, Per: time.Second, Burst: 100000},
	PrivateChat: ratelimit.Rate{Count: 100000, Per: time.Second, Burst: 100000},
	Group:       ratelimit.Rate{Count: 100000, Per: time.Second, Burst: 100000},
}

// recorder is an UpdateHandler that notes what it handled.
type recorder struct {
	mu      sync.Mutex
	handled []int64
	byChat  map[int64][]int64
	fail    map[int64]int // update id → failures left
	panicOn map[int64]bool
	hold    chan struct{} // when set, each Handle waits on it
	done    chan int64    // when set, each handled update id is sent here
}

func newRecorder() *recorder {
	return &recorder{byChat: map[int64][]int64{}, fail: map[int64]int{}, panicOn: map[int64]bool{}}
}

func (r *recorder) Handle(_ context.Context, u *models.Update) error {
	if r.hold != nil {
		<-r.hold
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.panicOn[u.ID] {
		panic("handler bug")
	}
	if r.fail[u.ID] > 0 {
		r.fail[u.ID]--
		return errTransient
	}
	r.handled = append(r.handled, u.ID)
	c := chatOf(u)
	r.byChat[c] = append(r.byChat[c], u.ID)
	if r.done != nil {
		r.done <- u.ID
	}
	return nil
}

type apologies struct {
	mu  sync.Mutex
	ids []int64
}

func (a *apologies) Apologize(_ context.Context, u *models.Update) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ids = append(a.ids, u.ID)
}

var errTransient = io.ErrUnexpectedEOF

func newTestDispatcher(h UpdateHandler, a PanicReporter) *Dispatcher {
	return NewDispatcher(h, a, NewMemoryDeduper(clock.System{}), NewMetrics(), quiet())
}

var (
	tgfakeNoLimits = tgfake.Limits{Unlimited: true}
	clockSystem    = clock.System{}
)

type ctxT = context.Context
