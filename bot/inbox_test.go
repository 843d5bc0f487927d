package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/inbound"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

func TestInboxHandlesEachChatInUpdateOrder(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	want := map[int64][]int64{}
	for i := range 10 {
		var batch []*models.Update
		for _, chat := range []int64{101, 102, 103} {
			u := e.fake.Text(chat, fmt.Sprintf("第 %d 条进展", i))
			batch = append(batch, u)
			want[chat] = append(want[chat], u.ID)
		}
		e.take(batch...)
	}
	e.work()
	for chat, w := range want {
		if got := e.h.handledIn(chat); !slices.Equal(got, w) {
			t.Errorf("chat %d handled %v, want %v (each once, in update order)", chat, got, w)
		}
	}
	if n := e.stored(dbmodels.OutcomeHandled); n != 30 {
		t.Errorf("%d updates marked handled, want 30", n)
	}
	// Nothing is left to do: another round handles nothing again.
	e.clock.Advance(time.Hour)
	e.work()
	if n := len(e.h.all()); n != 30 {
		t.Errorf("%d updates handled after a second round, want 30", n)
	}
}

func TestAChatStuckInItsHandlerHoldsUpNoOtherChat(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	e.h.entered = make(chan int64, 100)
	e.h.done = make(chan int64, 100)
	release := e.h.block(t, 201) // chat A's handler waits (a slow answer)
	a1 := e.fake.Text(201, "第一条")
	b1 := e.fake.Text(202, "第一条")
	a2 := e.fake.Text(201, "第二条")
	b2 := e.fake.Text(202, "第二条")
	b3 := e.fake.Text(202, "第三条")
	e.take(a1, b1, a2, b2, b3)
	e.inbox.Poll(e.ctx)
	for id := receive(t, e.h.entered, "chat A's first update enters its handler"); id != a1.ID; {
		id = receive(t, e.h.entered, "chat A's first update enters its handler")
	}
	// While chat A is stuck, chat B is handled, all of it, in order.
	for range 3 {
		receive(t, e.h.done, "chat B handled while chat A is stuck")
	}
	if got := e.h.handledIn(202); !slices.Equal(got, ids(b1, b2, b3)) {
		t.Errorf("chat B handled %v, want %v", got, ids(b1, b2, b3))
	}
	// Chat A's second update waits behind its first.
	if n := e.h.callsOf(a2.ID); n != 0 || len(e.h.handledIn(201)) != 0 {
		t.Errorf("chat A's second update ran (%d calls) while its first was in hand", n)
	}
	release()
	waitIdle(t, e.inbox)
	if got := e.h.handledIn(201); !slices.Equal(got, ids(a1, a2)) {
		t.Errorf("chat A handled %v, want %v", got, ids(a1, a2))
	}
}

func TestARedeliveredUpdateIsStoredOnceAndHandledOnce(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	u := e.fake.Text(301, "/tasks")
	e.take(u)
	e.take(u) // Telegram delivers it again before it is handled
	if n := e.stored(); n != 1 {
		t.Fatalf("%d rows after a redelivery, want 1", n)
	}
	e.work()
	e.take(u) // and again after it was handled
	e.work()
	e.clock.Advance(time.Hour)
	e.work()
	if n := e.h.callsOf(u.ID); n != 1 {
		t.Errorf("update handled %d times, want once", n)
	}
	if r := e.row(u.ID); r.Outcome != dbmodels.OutcomeHandled || r.DoneAt == nil {
		t.Errorf("outcome %q done %v, want handled", r.Outcome, r.DoneAt)
	}
	if n := e.stored(); n != 1 {
		t.Errorf("%d rows, want 1", n)
	}
	if d := metric(t, e.bot.Metrics(), "rectibot_inbox_updates_total", map[string]string{"kind": "any", "outcome": "duplicate"}); d != 2 {
		t.Errorf("%v duplicates counted, want 2", d)
	}
}

func TestAPassingFailureIsRetriedWithGrowingWaitsAndThePersonIsToldOnce(t *testing.T) {
	e := newInboxEnv(t, envOpts{inbox: InboxOptions{MaxAttempts: 5, BackoffBase: time.Second, BackoffCap: time.Hour}})
	const chat, other = 401, 402
	u1 := e.fake.Text(chat, "整改完成了")
	u2 := e.fake.Text(chat, "附上说明")
	o1 := e.fake.Text(other, "我的进展")
	u3 := e.fake.Text(chat, "请查收")
	e.h.setFail(u1.ID, 2) // the database blinks twice
	e.h.setFail(u2.ID, 1) // and once more for the next message
	e.take(u1, u2, o1, u3)

	// Attempt 1 at t0 fails: retried in BackoffBase; the chat's later
	// updates wait behind it; the other chat does not.
	e.work()
	r := e.row(u1.ID)
	if r.Attempts != 1 || !r.NextAttemptAt.Equal(t0.Add(time.Second)) || !strings.Contains(r.LastError, errTransient.Error()) || r.DoneAt != nil {
		t.Fatalf("after attempt 1: attempts %d, next %v, error %q, done %v; want 1, t0+1s, the error, not done",
			r.Attempts, r.NextAttemptAt, r.LastError, r.DoneAt)
	}
	if got := e.h.handledIn(chat); len(got) != 0 || e.h.callsOf(u2.ID) != 0 {
		t.Errorf("the chat's later updates ran (%v) while its first waits for a retry", got)
	}
	if got := e.h.handledIn(other); !slices.Equal(got, ids(o1)) {
		t.Errorf("the other chat handled %v, want %v", got, ids(o1))
	}
	// Not before its time.
	e.clock.Set(t0.Add(time.Second - time.Millisecond))
	e.work()
	if n := e.h.callsOf(u1.ID); n != 1 {
		t.Fatalf("retried before its wait was over (%d calls)", n)
	}
	// Attempt 2 at t0+1s fails: the wait doubles.
	e.clock.Set(t0.Add(time.Second))
	e.work()
	r = e.row(u1.ID)
	if r.Attempts != 2 || !r.NextAttemptAt.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("after attempt 2: attempts %d, next %v; want 2, t0+3s", r.Attempts, r.NextAttemptAt)
	}
	e.clock.Set(t0.Add(3*time.Second - time.Millisecond))
	e.work()
	if n := e.h.callsOf(u1.ID); n != 2 {
		t.Fatalf("retried before its wait was over (%d calls)", n)
	}
	// Attempt 3 succeeds; the next update fails once in its turn and the
	// last one waits behind it.
	e.clock.Set(t0.Add(3 * time.Second))
	e.work()
	if got := e.h.handledIn(chat); !slices.Equal(got, ids(u1)) {
		t.Fatalf("after attempt 3 the chat handled %v, want %v", got, ids(u1))
	}
	if r := e.row(u2.ID); r.Attempts != 1 || !r.NextAttemptAt.Equal(t0.Add(4*time.Second)) {
		t.Fatalf("the second update: attempts %d, next %v; want 1, t0+4s", r.Attempts, r.NextAttemptAt)
	}
	e.clock.Set(t0.Add(4 * time.Second))
	e.work()
	if got := e.h.handledIn(chat); !slices.Equal(got, ids(u1, u2, u3)) {
		t.Errorf("the chat handled %v, want %v in order", got, ids(u1, u2, u3))
	}
	if n := e.h.callsOf(u1.ID); n != 3 {
		t.Errorf("the first update ran %d times, want 3", n)
	}
	for _, u := range []*models.Update{u1, u2, u3, o1} {
		if r := e.row(u.ID); r.Outcome != dbmodels.OutcomeHandled {
			t.Errorf("update %d: outcome %q, want handled", u.ID, r.Outcome)
		}
	}
	// Three failed attempts in the chat, one notice.
	if got := e.notices.all(); len(got) != 1 || got[0].kind != "delayed" || got[0].update != u1.ID {
		t.Errorf("notices %+v, want one delayed notice for update %d", got, u1.ID)
	}
	if r := e.row(u1.ID); r.ToldAt == nil {
		t.Errorf("the notice is not recorded on the update")
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	in := NewInbox(nil, nil, nil, nil, NewMetrics(), quiet(), InboxOptions{BackoffBase: time.Second, BackoffCap: 5 * time.Second})
	var got []time.Duration
	for n := 1; n <= 7; n++ {
		got = append(got, in.backoff(n))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second}
	if !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

func TestAFailureThatNeverClearsEndsAsAFailedUpdateAndThePersonIsToldOnce(t *testing.T) {
	e := newInboxEnv(t, envOpts{inbox: InboxOptions{MaxAttempts: 4, BackoffBase: time.Second, BackoffCap: time.Hour}})
	const chat = 451
	bad := e.fake.Text(chat, "整改完成")
	next := e.fake.Text(chat, "下一条")
	e.h.setFail(bad.ID, -1)
	e.take(bad, next)
	at := t0
	for attempt, wait := 1, time.Second; attempt < 4; attempt, wait = attempt+1, wait*2 {
		e.work()
		if n := e.h.callsOf(bad.ID); n != attempt {
			t.Fatalf("attempt %d: %d calls", attempt, n)
		}
		r := e.row(bad.ID)
		if r.DoneAt != nil || !r.NextAttemptAt.Equal(at.Add(wait)) {
			t.Fatalf("after attempt %d: done %v, next %v; want a retry at %v", attempt, r.DoneAt, r.NextAttemptAt, at.Add(wait))
		}
		at = e.clock.Advance(wait)
	}
	e.work() // attempt 4 = MaxAttempts: failed for good, and the chat goes on
	if n := e.h.callsOf(bad.ID); n != 4 {
		t.Errorf("%d attempts, want MaxAttempts = 4", n)
	}
	r := e.row(bad.ID)
	if r.Outcome != dbmodels.OutcomeFailed || r.DoneAt == nil || !strings.Contains(r.LastError, errTransient.Error()) {
		t.Errorf("outcome %q, done %v, last error %q; want failed with the error", r.Outcome, r.DoneAt, r.LastError)
	}
	failed, err := e.store.FailedUpdates(e.ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].UpdateID != bad.ID || failed[0].LastError == "" {
		t.Errorf("FailedUpdates = %+v, want update %d with its error", failed, bad.ID)
	}
	if got := e.h.handledIn(chat); !slices.Equal(got, ids(next)) {
		t.Errorf("after the failure the chat handled %v, want %v", got, ids(next))
	}
	// However many attempts, the person heard once.
	if got := e.notices.all(); len(got) != 1 || got[0].update != bad.ID {
		t.Errorf("notices %+v, want exactly one, for update %d", got, bad.ID)
	}
	// A failed update stays failed.
	e.clock.Advance(24 * time.Hour)
	e.work()
	if n := e.h.callsOf(bad.ID); n != 4 {
		t.Errorf("a failed update ran again (%d calls)", n)
	}
}

// echo answers every message through the bot's real sender, putting the
// person's text into HTML as it is — the kind of bug that makes Telegram
// refuse an answer when the text has a "<".
func echo(e *inboxEnv, errs chan<- error) func(ctx context.Context, u *inbound.Update) error {
	return func(ctx context.Context, u *inbound.Update) error {
		_, err := e.bot.Sender().Send(ctx, outbound.Message{ChatID: u.Message.Chat.ID, Text: "收到：<b>" + u.Message.Text + "</b>"})
		if err != nil && errs != nil {
			errs <- err
		}
		return err
	}
}

func TestAnAnswerTelegramRefusesFailsTheUpdateAtOnceAndOtherChatsGoOn(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	errs := make(chan error, 10)
	e.h.answer = echo(e, errs)
	const poisoned, other1, other2 = 501, 502, 503
	p := e.fake.Text(poisoned, "进度 <50%") // "<5" is no tag: a 400 from Telegram
	n1 := e.fake.Text(other1, "已完成")
	p2 := e.fake.Text(poisoned, "已完成一半")
	n2 := e.fake.Text(other2, "已完成")
	e.take(p, n1, p2, n2)
	e.work()

	err := receive(t, errs, "the refused answer's error")
	if !errors.Is(err, outbound.ErrRejected) {
		t.Fatalf("the sender's error %v does not wrap outbound.ErrRejected", err)
	}
	refused := 0
	for _, r := range e.fake.Rejected() {
		if r.Method == "sendMessage" && r.ChatID == poisoned && r.Code == 400 {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("the fake refused %d answers to the poisoned chat, want 1: %+v", refused, e.fake.Rejected())
	}
	if n := e.h.callsOf(p.ID); n != 1 {
		t.Errorf("the poisoned update ran %d times, want once", n)
	}
	r := e.row(p.ID)
	if r.Outcome != dbmodels.OutcomeFailed || !strings.Contains(r.LastError, "can't parse entities") {
		t.Errorf("outcome %q, last error %q; want failed with Telegram's reason", r.Outcome, r.LastError)
	}
	// The chat goes on, and so does everyone else.
	if got := e.h.handledIn(poisoned); !slices.Equal(got, ids(p2)) {
		t.Errorf("the poisoned chat handled %v afterwards, want %v", got, ids(p2))
	}
	for _, chat := range []int64{poisoned, other1, other2} {
		if n := len(e.fake.Messages(chat)); n != 1 {
			t.Errorf("chat %d got %d answers, want 1", chat, n)
		}
	}
	if got := e.notices.all(); len(got) != 1 || got[0].kind != "failed" || got[0].update != p.ID {
		t.Errorf("notices %+v, want one failed notice for update %d", got, p.ID)
	}
	// No loop: nothing runs again, nothing is sent again.
	sends := e.fake.Calls("sendMessage")
	for range 3 {
		e.clock.Advance(time.Hour)
		e.work()
	}
	if n := e.h.callsOf(p.ID); n != 1 || e.fake.Calls("sendMessage") != sends {
		t.Errorf("after more rounds: %d runs of the poisoned update, %d sends (was %d)", n, e.fake.Calls("sendMessage"), sends)
	}
	if v := metric(t, e.bot.Metrics(), "rectibot_inbox_updates_total", map[string]string{"kind": "message", "outcome": "failed"}); v != 1 {
		t.Errorf("%v failed updates counted, want 1", v)
	}
}

// The column `rectibot inbox` prints as ATTEMPTS counts the attempts made.
func TestAFailedUpdateRecordsTheAttemptThatFailedIt(t *testing.T) {
	e := newInboxEnv(t, envOpts{inbox: InboxOptions{MaxAttempts: 2, BackoffBase: time.Second}})
	e.h.answer = echo(e, nil)
	poison := e.fake.Text(551, "a < b")
	flaky := e.fake.Text(552, "整改完成")
	e.h.setFail(flaky.ID, -1)
	e.take(poison, flaky)
	e.work()
	e.clock.Advance(time.Second)
	e.work()
	p, f := e.row(poison.ID), e.row(flaky.ID)
	if p.Outcome != dbmodels.OutcomeFailed || f.Outcome != dbmodels.OutcomeFailed {
		t.Fatalf("outcomes %q and %q, want both failed", p.Outcome, f.Outcome)
	}
	if runs := e.h.callsOf(poison.ID); p.Attempts != runs {
		t.Errorf("BUG (bot/inbox_chat.go, handle: the refused path calls finish without counting the attempt): "+
			"the update refused by Telegram ran %d time(s) but its row says attempts = %d", runs, p.Attempts)
	}
	if runs := e.h.callsOf(flaky.ID); f.Attempts != runs {
		t.Errorf("BUG (bot/inbox_chat.go, handle: the last attempt before MaxAttempts is not recorded): "+
			"the update failed after retries ran %d times but its row says attempts = %d", runs, f.Attempts)
	}
}

func TestAFloodKeepsReportsAndPhotosDropsExcessCommandsAndAsksOnce(t *testing.T) {
	e := newInboxEnv(t, envOpts{inbox: InboxOptions{FloodKeep: 5, FloodNoticeEvery: time.Minute}})
	const chat = 601
	var batch []*models.Update
	var want []int64 // what must be handled, in order
	commands := 0
	command := func(text string) {
		u := e.fake.Text(chat, text)
		batch = append(batch, u)
		if commands++; commands <= 5 {
			want = append(want, u.ID)
		}
	}
	keep := func(u *models.Update) {
		batch = append(batch, u)
		want = append(want, u.ID)
	}
	for i := 1; i <= 20; i++ {
		command(fmt.Sprintf("/tasks %d", i))
		switch i {
		case 3:
			keep(e.fake.Text(chat, "整改已完成，请核查"))
		case 8: // an album: two photos with one media_group_id
			keep(e.fake.Photo(chat, "现场照片", "album-1"))
			keep(e.fake.Photo(chat, "", "album-1"))
		case 14:
			keep(e.fake.Text(chat, "补充说明：已更换设备"))
		}
	}
	for i := 0; i < len(batch); i += 7 { // as a few getUpdates batches
		e.take(batch[i:min(i+7, len(batch))]...)
	}
	e.work()
	if got := e.h.handledIn(chat); !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v: %d commands, the reports and both photos, in order", got, want, 5)
	}
	if n := e.stored(dbmodels.OutcomeDropped); n != 15 {
		t.Errorf("%d updates dropped, want 15", n)
	}
	if n := e.stored(dbmodels.OutcomeHandled); n != 9 {
		t.Errorf("%d updates handled, want 9", n)
	}
	if got := e.notices.all(); len(got) != 1 || got[0].kind != "flooded" || got[0].chat != chat {
		t.Fatalf("notices %+v, want one flooded notice to chat %d", got, chat)
	}

	// A second flood within FloodNoticeEvery: its excess is dropped too,
	// but the chat is not asked again.
	e.clock.Advance(30 * time.Second)
	flood := func(n int) []*models.Update {
		var ups []*models.Update
		for i := range n {
			ups = append(ups, e.fake.Text(chat, fmt.Sprintf("/digest %d", i)))
		}
		e.take(ups...)
		e.work()
		return ups
	}
	second := flood(8)
	if got := e.h.handledIn(chat)[len(want):]; !slices.Equal(got, ids(second[:5]...)) {
		t.Errorf("second flood: handled %v, want %v", got, ids(second[:5]...))
	}
	if n := e.stored(dbmodels.OutcomeDropped); n != 18 {
		t.Errorf("%d updates dropped after the second flood, want 18", n)
	}
	if n := e.notices.count("flooded", chat); n != 1 {
		t.Errorf("%d flood notices within a minute, want 1", n)
	}
	// Past FloodNoticeEvery, a new flood is told again.
	e.clock.Advance(31 * time.Second)
	flood(7)
	if n := e.notices.count("flooded", chat); n != 2 {
		t.Errorf("%d flood notices after a minute, want 2", n)
	}
	if n := e.stored(dbmodels.OutcomeDropped); n != 20 {
		t.Errorf("%d updates dropped after the third flood, want 20", n)
	}
}

func TestAPanicIsRecoveredApologisedOnceAndTheChatGoesOn(t *testing.T) {
	e := newInboxEnv(t, envOpts{})
	const chat = 701
	boom := e.fake.Text(chat, "/tasks")
	after := e.fake.Text(chat, "/digest")
	e.h.mu.Lock()
	e.h.panicOn[boom.ID] = true
	e.h.mu.Unlock()
	e.take(boom, after)
	e.work()
	if got := e.sorry.all(); !slices.Equal(got, ids(boom)) {
		t.Errorf("apologies %v, want one for update %d", got, boom.ID)
	}
	if got := e.h.handledIn(chat); !slices.Equal(got, ids(after)) {
		t.Errorf("after the panic the chat handled %v, want %v", got, ids(after))
	}
	if r := e.row(boom.ID); r.Outcome != dbmodels.OutcomeHandled || r.Attempts != 1 {
		t.Errorf("the panicked update: outcome %q, attempts %d; want handled, not retried", r.Outcome, r.Attempts)
	}
	e.clock.Advance(time.Hour)
	e.work()
	if n := e.h.callsOf(boom.ID); n != 1 || len(e.sorry.all()) != 1 {
		t.Errorf("the panicked update ran %d times, %d apologies; want once each", n, len(e.sorry.all()))
	}
	if len(e.notices.all()) != 0 {
		t.Errorf("notices %+v after a panic: the apology is the one word", e.notices.all())
	}
	if v := metric(t, e.bot.Metrics(), "rectibot_updates_total", map[string]string{"type": "command", "outcome": "panic"}); v != 1 {
		t.Errorf("%v panics counted, want 1", v)
	}
}
