package bot

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/rectibot/rectibot/inbound"

	"github.com/rectibot/rectibot/clock"
	dbmodels "github.com/rectibot/rectibot/models"
)

// InboxStore is the inbox's table in the ledger's database (models.Store).
type InboxStore interface {
	StoreUpdates(ctx context.Context, ups []dbmodels.InboxUpdate) (int, error)
	AcquireChat(ctx context.Context, chatID int64, owner string, now, until time.Time) (bool, error)
	ReleaseChats(ctx context.Context, owner string, chats []int64) error
	ReadyChats(ctx context.Context, owner string, now time.Time, limit int) ([]int64, error)
	PendingUpdates(ctx context.Context, chatID int64, limit int) ([]dbmodels.InboxUpdate, error)
	FinishUpdates(ctx context.Context, ids []int64, outcome dbmodels.Outcome, lastErr string, at time.Time) error
	FailUpdate(ctx context.Context, id int64, attempts int, lastErr string, at time.Time) error
	RetryUpdate(ctx context.Context, id int64, attempts int, next time.Time, lastErr string) error
	MarkTold(ctx context.Context, id int64, at time.Time) error
	NoteFlood(ctx context.Context, chatID int64, since, at time.Time) (bool, error)
	PurgeInbox(ctx context.Context, doneBefore, failedBefore time.Time) (int64, error)
}

// Notices are what the entrance tells a person about their own message,
// in their language: it is delayed (kept, handled once the bot recovers),
// it failed for good, or the chat sends faster than it can be answered.
// The handlers implement them.
type Notices interface {
	Delayed(ctx context.Context, upd *inbound.Update)
	Failed(ctx context.Context, upd *inbound.Update)
	Flooded(ctx context.Context, upd *inbound.Update)
}

// InboxOptions tune the inbox; zero fields take the defaults below.
type InboxOptions struct {
	Lease       time.Duration // a chat's lease; a killed replica's chats are free after it
	Poll        time.Duration // how often to look for retries and other replicas' updates
	MaxChats    int           // chats handled at once by this process
	MaxAttempts int           // attempts before an update is failed
	BackoffBase time.Duration // the first retry's wait, doubled each attempt
	BackoffCap  time.Duration
	FloodKeep   int // droppable updates a chat may have waiting; more are dropped
	// FloodNoticeEvery is how often a flooding chat is asked to slow down.
	FloodNoticeEvery time.Duration
	// TellAgainAfter: a chat told its message is delayed is not told again
	// for other messages within this time.
	TellAgainAfter time.Duration
	KeepDone       time.Duration // handled updates are kept this long: Telegram's redelivery window
	KeepFailed     time.Duration // failed updates are kept this long, for `rectibot inbox`
	Owner          string        // this process's name in leases; default host_pid_random
	// OnDone, when set, is told each update's outcome once it is recorded:
	// the sandbox and the benchmarks wait on it for an answer.
	OnDone func(updateID int64, outcome dbmodels.Outcome)
}

func (o InboxOptions) withDefaults() InboxOptions {
	o.Lease = cmp.Or(o.Lease, 30*time.Second)
	o.Poll = cmp.Or(o.Poll, time.Second)
	o.MaxChats = cmp.Or(o.MaxChats, 256)
	o.MaxAttempts = cmp.Or(o.MaxAttempts, 10)
	o.BackoffBase = cmp.Or(o.BackoffBase, time.Second)
	o.BackoffCap = cmp.Or(o.BackoffCap, 5*time.Minute)
	o.FloodKeep = cmp.Or(o.FloodKeep, 5)
	o.FloodNoticeEvery = cmp.Or(o.FloodNoticeEvery, time.Minute)
	o.TellAgainAfter = cmp.Or(o.TellAgainAfter, 10*time.Minute)
	o.KeepDone = cmp.Or(o.KeepDone, 25*time.Hour)
	o.KeepFailed = cmp.Or(o.KeepFailed, 31*24*time.Hour)
	if o.Owner == "" {
		o.Owner = ownerName()
	}
	return o
}

// Inbox is the bot's entrance: Take stores updates, and workers handle them
// from the table, one chat in order and chats in parallel.
//
// One chat is handled by one process at a time through a lease row per chat
// (inbox_chats), not an advisory lock: SQLite has no advisory locks, and a
// PostgreSQL session lock is bound to one pooled connection, which GORM's
// pool does not pin to a goroutine; a lease also frees itself when its
// holder is killed (after Lease), where a lost connection's lock lingers
// until the server notices. The lease is taken with one conditional upsert
// (models.Store.AcquireChat), so two replicas cannot both win it.
type Inbox struct {
	store    InboxStore
	dispatch *Dispatcher
	notices  Notices
	clock    clock.Clock
	log      *slog.Logger
	metrics  *Metrics
	o        InboxOptions

	wake chan struct{}
	slot chan struct{} // one token per chat handled at once
	// Writes many callers make at once go as one statement.
	stores   groupCommit[dbmodels.InboxUpdate]
	finishes groupCommit[int64]

	mu      sync.Mutex
	base    context.Context // Run's: the workers' context once running
	running map[int64]*chatRun
	leases  map[int64]time.Time // chats this process holds, until when
	// floodMarks: chats flooding now, with the last command kept; later
	// ones are dropped until the chat's queue runs dry.
	floodMarks map[int64]int64
	toldChats  map[int64]time.Time // chats told of a delay whose message could not even be stored
	stopping   bool
	wg         sync.WaitGroup
	lastPurge  time.Time
}

// chatRun is a chat being handled by this process.
type chatRun struct {
	again bool // more updates were stored while it ran: look once more before leaving
}

// NewInbox wires the inbox.
func NewInbox(store InboxStore, d *Dispatcher, notices Notices, clk clock.Clock, m *Metrics, log *slog.Logger, o InboxOptions) *Inbox {
	if clk == nil {
		clk = clock.System{}
	}
	o = o.withDefaults()
	in := &Inbox{store: store, dispatch: d, notices: notices, clock: clk, log: log, metrics: m, o: o,
		wake: make(chan struct{}, 1), slot: make(chan struct{}, o.MaxChats),
		running: map[int64]*chatRun{}, leases: map[int64]time.Time{}, floodMarks: map[int64]int64{}, toldChats: map[int64]time.Time{}}
	in.stores.write = func(ctx context.Context, rows []dbmodels.InboxUpdate) error {
		n, err := store.StoreUpdates(ctx, rows)
		if dup := len(rows) - n; err == nil && dup > 0 {
			m.inbox.WithLabelValues("any", "duplicate").Add(float64(dup))
			log.DebugContext(ctx, "inbox: redelivered updates skipped", slog.Int("updates", dup))
		}
		return err
	}
	in.finishes.write = func(ctx context.Context, ids []int64) error {
		return store.FinishUpdates(ctx, ids, dbmodels.OutcomeHandled, "", clk.Now())
	}
	return in
}

// Owner is this process's name in the chat leases.
func (in *Inbox) Owner() string { return in.o.Owner }

// Run handles the inbox until ctx ends: it looks for ready chats whenever
// Take stored something and every Poll. On the way out it lets the chats
// in hand finish their current update, gives their leases back, and
// returns.
func (in *Inbox) Run(ctx context.Context) error {
	in.mu.Lock()
	in.base = ctx
	in.mu.Unlock()
	t := time.NewTicker(in.o.Poll)
	defer t.Stop()
	for {
		in.Poll(ctx)
		select {
		case <-ctx.Done():
			in.mu.Lock()
			in.stopping = true
			in.mu.Unlock()
			in.wg.Wait()
			rel, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := in.store.ReleaseChats(rel, in.o.Owner, nil); err != nil {
				in.log.WarnContext(rel, "inbox: release chat leases", slog.Any("err", err))
			}
			return nil
		case <-t.C:
		case <-in.wake:
		}
	}
}

// Poll starts a worker for every chat with an update due now that this
// process may take, as far as free slots allow, and now and then purges
// old updates. Tests call it directly with the clock where they want it.
func (in *Inbox) Poll(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	free := cap(in.slot) - len(in.slot)
	if free == 0 {
		return
	}
	now := in.clock.Now()
	chats, err := in.store.ReadyChats(ctx, in.o.Owner, now, free)
	if err != nil {
		in.warn(ctx, "inbox: look for ready chats", slog.Any("err", err))
		return
	}
	for _, chat := range chats {
		in.start(ctx, chat)
	}
	in.forgetLeases(now)
	in.purge(ctx, now)
}

// warn logs a step that failed, unless the process is stopping: then the
// error is the stop's own ("context canceled"), no news for the operator.
func (in *Inbox) warn(ctx context.Context, msg string, attrs ...slog.Attr) {
	if ctx.Err() == nil {
		in.log.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
	}
}

// forgetLeases drops the leases that ran out from this process's memory.
func (in *Inbox) forgetLeases(now time.Time) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for chat, until := range in.leases {
		if !now.Before(until) {
			delete(in.leases, chat)
		}
	}
}

// Wait blocks until no chat is being handled (tests use it after Poll).
func (in *Inbox) Wait() { in.wg.Wait() }

// purge deletes old updates at most once an hour.
func (in *Inbox) purge(ctx context.Context, now time.Time) {
	if now.Sub(in.lastPurge) < time.Hour {
		return
	}
	in.lastPurge = now
	n, err := in.store.PurgeInbox(ctx, now.Add(-in.o.KeepDone), now.Add(-in.o.KeepFailed))
	if err != nil {
		in.warn(ctx, "inbox: purge", slog.Any("err", err))
		return
	}
	if n > 0 {
		in.log.DebugContext(ctx, "inbox: purged old updates", slog.Int64("updates", n))
	}
}

// start runs a worker for chat unless one runs already, in which case that
// one looks again before it stops. With every slot taken it does nothing:
// the next Poll finds the chat.
func (in *Inbox) start(ctx context.Context, chat int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.stopping {
		return
	}
	if r := in.running[chat]; r != nil {
		r.again = true
		return
	}
	select {
	case in.slot <- struct{}{}:
	default:
		return
	}
	in.running[chat] = &chatRun{}
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		defer func() { <-in.slot }()
		in.runChat(ctx, chat)
	}()
}

// more reports (and clears) whether updates were stored for chat since
// its worker last looked.
func (in *Inbox) more(chat int64) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.running[chat]
	if r == nil || !r.again || in.stopping {
		return false
	}
	r.again = false
	return true
}

// kick wakes the poll loop (after Take stored updates of chats that no
// worker here holds, or when another replica may hold them).
func (in *Inbox) kick() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

func ownerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s_%d_%s", cmp.Or(host, "host"), os.Getpid(), hex.EncodeToString(b))
}
