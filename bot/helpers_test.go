package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/internal/testdb"
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
	return newEdgeWith(t, limits, ours, nil)
}

// newEdgeWith is newEdge with the bot's options adjusted by set before the
// bot is built (the inbox, its clock, the HTTP address).
func newEdgeWith(t *testing.T, limits tgfake.Limits, ours ratelimit.Limits, set func(*Options)) *edgeEnv {
	t.Helper()
	fc := tgfake.NewManualClock(time.Date(2021, 11, 1, 2, 0, 0, 0, time.UTC))
	fake := tgfake.New(tgfake.Options{Clock: fc, Limits: limits})
	t.Cleanup(fake.Close)
	e := &edgeEnv{fake: fake, fakeClock: fc, deliveries: &memDeliveries{}}
	opts := Options{Token: fake.Token(), APIURL: fake.URL(), Store: e.deliveries,
		Limiter: ratelimit.NewLocal(ours), Log: quiet(), WebhookSecret: "s3cret"}
	if set != nil {
		set(&opts)
	}
	b, err := New(opts)
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

var tgfakeNoLimits = tgfake.Limits{Unlimited: true}

// errTransient is a passing failure (the database blinked).
var errTransient = errors.New("database blinked")

// t0 is when the inbox tests start, on the inbox's manual clock.
var t0 = time.Date(2021, 11, 1, 10, 0, 0, 0, time.UTC)

// patience bounds every wait on another goroutine. It is no measure of
// speed: a test that needs it has hung.
const patience = 30 * time.Second

// inboxEnv is the whole entrance as serve wires it: the real client
// against the strict fake, the inbox in a real database (PostgreSQL when
// DATABASE_URL says so, else SQLite), on a manual clock.
type inboxEnv struct {
	*edgeEnv
	t       *testing.T
	ctx     context.Context
	db      *gorm.DB
	loc     dburl.Location
	store   *dbmodels.Store
	clock   *clock.Manual
	h       *script
	notices *noticeLog
	sorry   *apologies
	disp    *Dispatcher
	inbox   *Inbox
}

// envOpts adjust an inboxEnv.
type envOpts struct {
	inbox InboxOptions
	// wrap puts a test's store between the inbox and the database.
	wrap func(InboxStore) InboxStore
	// set adjusts the bot's options (HTTPAddr, PollTimeout …).
	set func(*Options)
}

func newInboxEnv(t *testing.T, o envOpts) *inboxEnv {
	t.Helper()
	db, loc := testdb.Open(t)
	clk := clock.NewManual(t0)
	store := dbmodels.NewStore(db, clk)
	var in InboxStore = store
	if o.wrap != nil {
		in = o.wrap(store)
	}
	edge := newEdgeWith(t, tgfakeNoLimits, generous, func(opts *Options) {
		opts.Inbox, opts.InboxOptions, opts.Clock = in, o.inbox, clk
		if o.set != nil {
			o.set(opts)
		}
	})
	e := &inboxEnv{edgeEnv: edge, t: t, ctx: context.Background(), db: db, loc: loc, store: store, clock: clk,
		h: newScript(), notices: &noticeLog{}, sorry: &apologies{}}
	e.disp, e.inbox = edge.bot.Attach(e.h, e.sorry, e.notices)
	return e
}

// take stores updates in the inbox as the poller or the webhook would.
func (e *inboxEnv) take(ups ...*models.Update) {
	e.t.Helper()
	if err := e.inbox.TakeUpdates(e.ctx, ups...); err != nil {
		e.t.Fatalf("take: %v", err)
	}
}

// work runs the inbox once at the clock's time and waits for its workers.
func (e *inboxEnv) work() {
	e.t.Helper()
	e.inbox.Poll(e.ctx)
	waitIdle(e.t, e.inbox)
}

// waitIdle waits until no worker of in is running. It fails the test if one
// hangs (the test's handlers never take long).
func waitIdle(t *testing.T, in *Inbox) {
	t.Helper()
	idle := make(chan struct{})
	go func() {
		in.Wait()
		close(idle)
	}()
	select {
	case <-idle:
	case <-time.After(patience):
		t.Fatalf("the inbox's workers did not finish within %s: one hangs "+
			"(see TestGroupCommitWritesEveryCallQueuedDuringAWrite)", patience)
	}
}

// row reads an update's row.
func (e *inboxEnv) row(id int64) dbmodels.InboxUpdate {
	e.t.Helper()
	return rowOf(e.t, e.db, id)
}

func rowOf(t *testing.T, db *gorm.DB, id int64) dbmodels.InboxUpdate {
	t.Helper()
	var u dbmodels.InboxUpdate
	if err := db.Where("update_id = ?", id).Take(&u).Error; err != nil {
		t.Fatalf("update %d: %v", id, err)
	}
	return u
}

// stored counts the inbox's rows, optionally those with an outcome.
func (e *inboxEnv) stored(outcome ...dbmodels.Outcome) int64 {
	e.t.Helper()
	var n int64
	q := e.db.Model(&dbmodels.InboxUpdate{})
	if len(outcome) > 0 {
		q = q.Where("outcome = ?", outcome[0])
	}
	if err := q.Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

// runInbox runs the inbox's own loop (as Serve does) until the test ends
// or the returned stop is called; stop waits for it to return.
func (e *inboxEnv) runInbox() (stop func()) {
	e.t.Helper()
	return runInBackground(e.t, e.ctx, "the inbox", e.inbox.Run)
}

// runInBackground runs run until the test ends or the returned stop is
// called; stop cancels it and waits for it to return.
func runInBackground(t *testing.T, parent context.Context, what string, run func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = run(ctx)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(patience):
				t.Errorf("%s did not stop within %s", what, patience)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// script is the handler of the inbox tests: it records what it handled, in
// order, and can fail, panic, block or answer through the real sender.
type script struct {
	mu      sync.Mutex
	handled []int64 // update ids, in the order handled
	byChat  map[int64][]int64
	calls   map[int64]int // update id → times Handle ran for it
	fail    map[int64]int // update id → failures left (<0: always)
	panicOn map[int64]bool
	gate    map[int64]chan struct{} // chat → Handle waits for it to close
	entered chan int64              // when set, every update id entering Handle
	done    chan int64              // when set, every update id handled
	// answer, when set, runs for every update (after fail/panic): an error
	// from it is the handler's error.
	answer func(ctx context.Context, u *inbound.Update) error
}

func newScript() *script {
	return &script{byChat: map[int64][]int64{}, calls: map[int64]int{}, fail: map[int64]int{},
		panicOn: map[int64]bool{}, gate: map[int64]chan struct{}{}}
}

func (s *script) Handle(ctx context.Context, u *inbound.Update) error {
	chat := inboundChat(u)
	s.mu.Lock()
	s.calls[u.ID]++
	gate, entered, answer := s.gate[chat], s.entered, s.answer
	s.mu.Unlock()
	if entered != nil {
		entered <- u.ID
	}
	if gate != nil {
		<-gate
	}
	s.mu.Lock()
	if s.panicOn[u.ID] {
		s.mu.Unlock()
		panic(fmt.Sprintf("handler bug on update %d", u.ID))
	}
	if n := s.fail[u.ID]; n != 0 {
		if n > 0 {
			s.fail[u.ID]--
		}
		s.mu.Unlock()
		return fmt.Errorf("update %d: %w", u.ID, errTransient)
	}
	s.mu.Unlock()
	if answer != nil {
		if err := answer(ctx, u); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.handled = append(s.handled, u.ID)
	s.byChat[chat] = append(s.byChat[chat], u.ID)
	done := s.done
	s.mu.Unlock()
	if done != nil {
		done <- u.ID
	}
	return nil
}

// block makes chat's updates wait in Handle until the returned release is
// called (release is also called when the test ends).
func (s *script) block(t *testing.T, chat int64) (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.gate[chat] = ch
	s.mu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.gate, chat)
			s.mu.Unlock()
			close(ch)
		})
	}
	t.Cleanup(release)
	return release
}

func (s *script) handledIn(chat int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.byChat[chat])
}

func (s *script) all() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.handled)
}

func (s *script) callsOf(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[id]
}

func (s *script) setFail(id int64, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[id] = n
}

// noticeLog records what the entrance told people (bot.Notices).
type noticeLog struct {
	mu  sync.Mutex
	got []notice
}

type notice struct {
	kind   string // delayed, failed, flooded
	update int64
	chat   int64
}

func (n *noticeLog) add(kind string, u *inbound.Update) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.got = append(n.got, notice{kind: kind, update: u.ID, chat: inboundChat(u)})
}

func (n *noticeLog) Delayed(_ context.Context, u *inbound.Update) { n.add("delayed", u) }
func (n *noticeLog) Failed(_ context.Context, u *inbound.Update)  { n.add("failed", u) }
func (n *noticeLog) Flooded(_ context.Context, u *inbound.Update) { n.add("flooded", u) }

func (n *noticeLog) all() []notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.got)
}

// count counts notices of a kind ("" for all) to chat (0 for any).
func (n *noticeLog) count(kind string, chat int64) int {
	c := 0
	for _, x := range n.all() {
		if (kind == "" || x.kind == kind) && (chat == 0 || x.chat == chat) {
			c++
		}
	}
	return c
}

type apologies struct {
	mu  sync.Mutex
	ids []int64
}

func (a *apologies) Apologize(_ context.Context, u *inbound.Update) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ids = append(a.ids, u.ID)
}

func (a *apologies) all() []int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.ids)
}

type handlerFunc func(context.Context, *inbound.Update) error

func (f handlerFunc) Handle(ctx context.Context, u *inbound.Update) error { return f(ctx, u) }

// receive waits for a value on ch, failing the test if none comes.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(patience):
		t.Fatalf("%s: nothing within %s", what, patience)
		var zero T
		return zero
	}
}

// ids lists updates' ids.
func ids(ups ...*models.Update) []int64 {
	out := make([]int64, len(ups))
	for i, u := range ups {
		out[i] = u.ID
	}
	return out
}

// metric returns the value of a counter series in the bot's registry, 0
// when it has none.
func metric(t *testing.T, m *Metrics, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue series
				}
			}
			return s.GetCounter().GetValue()
		}
	}
	return 0
}

// inboundChat is the chat an update (as the handlers see it) is in.
func inboundChat(u *inbound.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.Callback != nil && u.Callback.Message != nil:
		return u.Callback.Message.Chat.ID
	case u.Callback != nil:
		return u.Callback.From.ID
	}
	return 0
}
