package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/inbound"
	dbmodels "github.com/rectibot/rectibot/models"
)

// replicaLog is the handler of every replica in a test: it records who
// handled which update of which chat, in order, and notices when two
// replicas (or two workers) have one chat in hand at once.
type replicaLog struct {
	mu       sync.Mutex
	order    map[int64][]int64 // chat → update ids, in the order handling began
	by       map[int64]string  // update id → owner (the last one)
	times    map[int64]int     // update id → times handled
	inHand   map[int64]string  // chat → owner handling it now
	clashes  []string
	gates    map[string]chan struct{} // owner|chat → Handle waits for it to close
	entered  chan string              // owner|update of every Handle, when set
	perOwner map[string]int
}

func newReplicaLog() *replicaLog {
	return &replicaLog{order: map[int64][]int64{}, by: map[int64]string{}, times: map[int64]int{},
		inHand: map[int64]string{}, gates: map[string]chan struct{}{}, perOwner: map[string]int{}}
}

func (l *replicaLog) handler(owner string) UpdateHandler {
	return handlerFunc(func(_ context.Context, u *inbound.Update) error {
		chat := inboundChat(u)
		l.mu.Lock()
		if other, busy := l.inHand[chat]; busy {
			l.clashes = append(l.clashes, fmt.Sprintf("%s took update %d of chat %d while %s had the chat in hand", owner, u.ID, chat, other))
		}
		l.inHand[chat] = owner
		l.order[chat] = append(l.order[chat], u.ID)
		l.by[u.ID] = owner
		l.times[u.ID]++
		l.perOwner[owner]++
		gate, entered := l.gates[fmt.Sprintf("%s|%d", owner, chat)], l.entered
		l.mu.Unlock()
		if entered != nil {
			entered <- fmt.Sprintf("%s|%d", owner, u.ID)
		}
		if gate != nil {
			<-gate
		}
		l.mu.Lock()
		if l.inHand[chat] == owner {
			delete(l.inHand, chat)
		}
		l.mu.Unlock()
		return nil
	})
}

// block makes owner's handling of chat wait until release.
func (l *replicaLog) block(t *testing.T, owner string, chat int64) (release func()) {
	ch := make(chan struct{})
	l.mu.Lock()
	l.gates[fmt.Sprintf("%s|%d", owner, chat)] = ch
	l.mu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.gates, fmt.Sprintf("%s|%d", owner, chat))
			l.mu.Unlock()
			close(ch)
		})
	}
	t.Cleanup(release)
	return release
}

// check reports clashes and chats not handled exactly as want: each
// update once, in update order.
func (l *replicaLog) check(t *testing.T, want map[int64][]int64) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.clashes {
		t.Error(c)
	}
	for chat, w := range want {
		if got := l.order[chat]; !slices.Equal(got, w) {
			t.Errorf("chat %d handled %v, want %v (each once, in update order)", chat, got, w)
		}
	}
}

// replica is another process's inbox on the same database: its own
// connection, its own owner name, the test's clock.
func (e *inboxEnv) replica(owner string, h UpdateHandler, o InboxOptions, wrap func(InboxStore) InboxStore) *Inbox {
	e.t.Helper()
	db, err := dbmodels.Open(e.ctx, e.loc, quiet())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = dbmodels.Close(db) })
	var store InboxStore = dbmodels.NewStore(db, e.clock)
	if wrap != nil {
		store = wrap(store)
	}
	o.Owner = owner
	m := NewMetrics()
	return NewInbox(store, NewDispatcher(h, nil, m, quiet()), e.notices, e.clock, m, quiet(), o)
}

func TestTwoReplicasNeverHandleOneChatAtOnceAndKeepItsOrder(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	l := newReplicaLog()
	l.entered = make(chan string, 1000)
	a := e.replica("replica-a", l.handler("replica-a"), InboxOptions{}, nil)
	b := e.replica("replica-b", l.handler("replica-b"), InboxOptions{}, nil)
	want := map[int64][]int64{}
	store := func(chats []int64, n int) {
		var batch []*models.Update
		for i := range n {
			for _, chat := range chats {
				u := e.fake.Text(chat, fmt.Sprintf("进展 %d", i))
				batch = append(batch, u)
				want[chat] = append(want[chat], u.ID)
			}
		}
		if err := a.TakeUpdates(e.ctx, batch...); err != nil {
			t.Fatal(err)
		}
	}

	// Replica A has chat 801 in hand (its answer is slow) when more of
	// chat 801 and of new chats come in: replica B takes the new chats and
	// leaves chat 801 to A.
	release := l.block(t, "replica-a", 801)
	store([]int64{801, 802, 803}, 2)
	a.Poll(e.ctx)
	for got := ""; got != fmt.Sprintf("replica-a|%d", want[801][0]); {
		got = receive(t, l.entered, "replica A takes chat 801")
	}
	store([]int64{801, 804, 805, 806}, 2)
	b.Poll(e.ctx)
	waitIdle(t, b)
	l.mu.Lock()
	for _, id := range want[801] {
		if l.by[id] == "replica-b" {
			t.Errorf("replica B handled update %d of chat 801 while replica A held it", id)
		}
	}
	for _, chat := range []int64{804, 805, 806} {
		if got := l.order[chat]; len(got) != 2 || l.by[got[0]] != "replica-b" {
			t.Errorf("chat %d: handled %v (by %s); want both by replica B", chat, got, l.by[got[0]])
		}
	}
	l.mu.Unlock()
	release()
	waitIdle(t, a)
	a.Poll(e.ctx) // whatever a worker left as it ended
	waitIdle(t, a)
	if got := l.order[801]; len(got) != 4 {
		t.Fatalf("chat 801 handled %v, want 4 updates", got)
	}

	// Then both poll at once, wave after wave.
	chats := []int64{801, 802, 803, 804, 805, 806}
	total := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		n := 0
		for _, ids := range l.order {
			n += len(ids)
		}
		return n
	}
	for wave := range 4 {
		// A run keeps its chat's lease for Lease after it ends (a chat
		// that writes again is handled where it was); past it, the chats
		// are anyone's again.
		e.clock.Advance(31 * time.Second)
		store(chats, 3)
		expected := 0
		for _, w := range want {
			expected += len(w)
		}
		for round := 0; total() < expected; round++ {
			if round == 10 {
				t.Fatalf("wave %d: %d of %d updates handled after %d rounds", wave, total(), expected, round)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			for _, in := range []*Inbox{a, b} {
				wg.Go(func() {
					<-start
					in.Poll(e.ctx)
				})
			}
			close(start)
			wg.Wait()
			waitIdle(t, a)
			waitIdle(t, b)
		}
	}
	l.check(t, want)
	l.mu.Lock()
	if l.perOwner["replica-a"] == 0 || l.perOwner["replica-b"] == 0 {
		t.Errorf("handled per replica %v: both should have had work", l.perOwner)
	}
	l.mu.Unlock()
}

// dyingStore is a replica's store that dies right after taking a chat's
// lease: it reads nothing more and gives nothing back, as a process
// killed there would.
type dyingStore struct{ InboxStore }

var errKilled = errors.New("the process was killed")

func (dyingStore) PendingUpdates(context.Context, int64, int) ([]dbmodels.InboxUpdate, error) {
	return nil, errKilled
}
func (dyingStore) ReleaseChats(context.Context, string, []int64) error { return errKilled }

func TestADeadReplicasLeaseKeepsItsChatUntilTheLeaseRunsOut(t *testing.T) {
	const lease = 30 * time.Second
	e := newInboxEnv(t, envOpts{})
	l := newReplicaLog()
	dead := e.replica("replica-dead", l.handler("replica-dead"), InboxOptions{Lease: lease},
		func(s InboxStore) InboxStore { return dyingStore{s} })
	live := e.replica("replica-live", l.handler("replica-live"), InboxOptions{Lease: lease}, nil)
	u1 := e.fake.Text(901, "第一条")
	u2 := e.fake.Text(901, "第二条")
	o := e.fake.Text(902, "别的聊天")
	if err := live.TakeUpdates(e.ctx, u1, u2); err != nil {
		t.Fatal(err)
	}
	dead.Poll(e.ctx)
	waitIdle(t, dead)
	var c dbmodels.InboxChat
	if err := e.db.Where("chat_id = ?", 901).Take(&c).Error; err != nil {
		t.Fatal(err)
	}
	if c.Owner != "replica-dead" || !c.LeaseUntil.Equal(t0.Add(lease)) {
		t.Fatalf("lease %q until %v, want replica-dead until t0+%s", c.Owner, c.LeaseUntil, lease)
	}
	if err := live.TakeUpdates(e.ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Duration{0, lease / 2, lease - time.Millisecond} {
		e.clock.Set(t0.Add(at))
		live.Poll(e.ctx)
		waitIdle(t, live)
		if got := l.order[901]; len(got) != 0 {
			t.Fatalf("at t0+%s the live replica handled %v of a chat the dead one still holds", at, got)
		}
	}
	if got := l.order[902]; !slices.Equal(got, ids(o)) {
		t.Errorf("other chats are not held up: chat 902 handled %v, want %v", got, ids(o))
	}
	e.clock.Set(t0.Add(lease + time.Millisecond))
	live.Poll(e.ctx)
	waitIdle(t, live)
	l.check(t, map[int64][]int64{901: ids(u1, u2), 902: ids(o)})
	for _, u := range []*models.Update{u1, u2} {
		if l.by[u.ID] != "replica-live" {
			t.Errorf("update %d handled by %q, want the live replica", u.ID, l.by[u.ID])
		}
	}
}

// An answer that takes longer than its chat's lease (a big export, long
// 429 waits) is stopped — its context ends — a margin before the lease runs
// out, so the replica that takes the chat afterwards never finds it still
// in hand. The stopped update is retried, by whoever holds the chat then.
func TestALongUpdateIsStoppedBeforeItsLeaseRunsOut(t *testing.T) {
	const lease = 3 * time.Second // handling may last 3/4 of it, less the margin: real seconds
	e := newInboxEnv(t, envOpts{})
	l := newReplicaLog()
	stopped := make(chan time.Duration, 1)
	slow := func(ctx context.Context, u *inbound.Update) error {
		if u.Message.Text != "导出全部任务" {
			return l.handler("replica-a").Handle(ctx, u)
		}
		deadline, ok := ctx.Deadline()
		if !ok {
			t.Error("replica A handles the update with no deadline")
		}
		<-ctx.Done() // an answer that respects its context, and takes too long
		stopped <- time.Until(deadline)
		return ctx.Err()
	}
	a := e.replica("replica-a", handlerFunc(slow), InboxOptions{Lease: lease}, nil)
	b := e.replica("replica-b", l.handler("replica-b"), InboxOptions{Lease: lease}, nil)
	u1 := e.fake.Text(1001, "导出全部任务")
	u2 := e.fake.Text(1001, "谢谢")
	if err := a.TakeUpdates(e.ctx, u1, u2); err != nil {
		t.Fatal(err)
	}
	start := e.clock.Now()
	a.Poll(e.ctx)
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("replica A's handling was not stopped before its lease ran out")
	}
	waitIdle(t, a)
	// The handling had at most the lease less the margin, on the clock the
	// lease is judged by.
	if until := a.leaseOf(1001); until.Sub(start) > lease {
		t.Errorf("replica A's lease runs to %v after it took the chat, more than the lease %v", until.Sub(start), lease)
	}
	e.clock.Advance(lease + time.Second) // A's lease has run out
	b.Poll(e.ctx)
	waitIdle(t, b)
	l.check(t, map[int64][]int64{1001: ids(u1, u2)}) // B answered both, in order, with A's attempt over
	var got dbmodels.InboxUpdate
	if err := e.db.First(&got, u1.ID).Error; err != nil {
		t.Fatal(err)
	}
	if got.Outcome != dbmodels.OutcomeHandled || got.Attempts != 2 {
		t.Errorf("update %d: outcome %q after %d attempts, want handled on the 2nd (A's was stopped)", u1.ID, got.Outcome, got.Attempts)
	}
}

// A chat floods replica A, and A's run ends before the flood drained (an
// update waits for a retry). The chat's lease runs out, replica B takes it
// and drains it. Minutes later the person sends one command and replica A
// happens to take the chat again: that command is no flood.
func TestAFloodThatDrainedOnAnotherReplicaDoesNotDropALaterCommand(t *testing.T) {
	const lease = 30 * time.Second
	e := newInboxEnv(t, envOpts{})
	l := newReplicaLog()
	var mu sync.Mutex
	failOnce := map[int64]bool{}
	flaky := func(owner string) UpdateHandler {
		h := l.handler(owner)
		return handlerFunc(func(ctx context.Context, u *inbound.Update) error {
			mu.Lock()
			fail := failOnce[u.ID]
			delete(failOnce, u.ID)
			mu.Unlock()
			if fail {
				return errTransient
			}
			return h.Handle(ctx, u)
		})
	}
	o := InboxOptions{Lease: lease, FloodKeep: 5, FloodNoticeEvery: time.Minute, BackoffBase: time.Second}
	a := e.replica("replica-a", flaky("replica-a"), o, nil)
	b := e.replica("replica-b", flaky("replica-b"), o, nil)
	const chat = 1101
	var flood []*models.Update
	for i := range 7 {
		flood = append(flood, e.fake.Text(chat, fmt.Sprintf("/tasks %d", i)))
	}
	failOnce[flood[2].ID] = true // the database blinks on the third
	if err := a.TakeUpdates(e.ctx, flood...); err != nil {
		t.Fatal(err)
	}
	a.Poll(e.ctx)
	waitIdle(t, a)
	if n := e.notices.count("flooded", chat); n != 1 {
		t.Fatalf("%d flood notices, want 1", n)
	}
	e.clock.Set(t0.Add(lease + time.Second)) // A's lease ran out; B takes the chat
	b.Poll(e.ctx)
	waitIdle(t, b)
	l.check(t, map[int64][]int64{chat: ids(flood[:5]...)})

	e.clock.Set(t0.Add(5 * time.Minute)) // the flood is long over
	later := e.fake.Text(chat, "/tasks")
	if err := a.TakeUpdates(e.ctx, later); err != nil {
		t.Fatal(err)
	}
	a.Poll(e.ctx)
	waitIdle(t, a)
	if r := rowOf(t, e.db, later.ID); r.Outcome != dbmodels.OutcomeHandled || e.notices.count("flooded", chat) != 1 {
		t.Fatalf("BUG (bot/inbox_chat.go, flood/runChat: a flood's mark (Inbox.floodMarks) lives in the memory of the "+
			"replica that saw the flood and is cleared only when that replica drains the chat; when another replica "+
			"drained it, the stale mark drops every later command): a lone command 5 minutes after the flood ended: "+
			"outcome %q, %d flood notices (want handled, 1)", r.Outcome, e.notices.count("flooded", chat))
	}
}
