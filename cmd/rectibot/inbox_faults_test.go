package main

// Process-level tests of the inbox at the bot's entrance (issue 9, item 8):
// `rectibot serve` runs as child processes (procs_test.go) whose
// go-telegram/bot client talks to the strict fake Bot API, with Telegram's
// flood limits, through the recording proxy. Updates come by long polling
// from the fake's queue, or are posted to the replicas' webhooks as
// Telegram would. The tests wait on the fake, the proxy, the inbox table or
// the process, each bounded by a timeout, never by sleeping.
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' REDIS_URL=redis://127.0.0.1:6379/0 \
//	    go test -count=1 -run Inbox -v ./cmd/rectibot/
//	env -u DATABASE_URL -u REDIS_URL go test -count=1 -run Inbox -v ./cmd/rectibot/
//
// The database-down test also needs RECTIBOT_TEST_PG_RESTART=1 and
// pg_ctlcluster (it stops the server every other test uses too).
//
// Each command is "/task CODE" with a code no task has, from a linked
// officer: the answer reads the ledger (the member, the code) and names the
// code, so each update's answer is told apart from the others'. Linking
// plans the officer's reminder of their overdue task; the tests wait for
// the reminders before they start, and count only answers and notices.

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/internal/tgfake"
	"github.com/rectibot/rectibot/models"
)

// linkedOfficers imports n overdue tasks, links their n officers, starts
// nothing, and returns the officers' chat ids.
func (e *faultEnv) linkedOfficers(n int) []int64 {
	e.t.Helper()
	_, names := e.importOverdue(n)
	return e.link(names, 0)
}

// waitReminders waits until each of the n officers got their reminder and
// the notify jobs are completed, so what follows sees only answers.
func (e *faultEnv) waitReminders(n int, procs ...*serveProc) {
	e.t.Helper()
	e.waitSent(n, 30*time.Second, procs...)
	e.waitNotifyCompleted(n, 15*time.Second)
}

// checkAnswers checks that chat got exactly the answers to codes, each
// once, in order.
func (e *faultEnv) checkAnswers(who string, chat int64, codes []string) {
	e.t.Helper()
	got := e.answers(chat)
	if slices.Equal(got, codes) {
		return
	}
	i := 0
	for i < min(len(got), len(codes)) && got[i] == codes[i] {
		i++
	}
	e.t.Errorf("%s (chat %d): answers %v, want %v (first difference at #%d)", who, chat, got, codes, i+1)
}

// TestInboxKillDashNineBetweenIntakeAndHandling: serve takes three
// commands of one officer into the inbox and is killed with SIGKILL while
// the answer to the first is on its way (the proxy holds it; Telegram never
// sees it) and the other two wait behind it, stored, not handled. Five
// other officers' commands were handled before the kill. A new serve
// answers the three, each exactly once and in order, and answers none of
// the five again; every inbox row ends handled.
//
// The killed process's lease on the officer's chat blocks the chat until
// it runs out (RECTIBOT_INBOX_LEASE, 3 s here).
func TestInboxKillDashNineBetweenIntakeAndHandling(t *testing.T) {
	e := newFaultEnv(t, tgfake.Options{})
	const others = 5
	ids := e.linkedOfficers(1 + others)
	victim := ids[0]

	first := e.serve("serve #1", longPolling)
	e.waitReminders(len(ids), first)

	e.api.hold(victim)
	victimCodes := []string{"K0-1", "K0-2", "K0-3"}
	e.sendCodes(victim, victimCodes...)
	otherCodes := make([]string, others)
	for i := range others {
		otherCodes[i] = fmt.Sprintf("K%d-1", i+1)
		e.sendCodes(ids[1+i], otherCodes[i])
	}
	select {
	case <-e.api.held:
	case <-first.done:
		t.Fatalf("serve #1 exited (%v) before answering", first.err)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve #1 did not try to answer the first command within 30 s; inbox: %s", inboxSummary(e.inboxRows()))
	}
	// Stored but not handled: the officer's three rows are in the inbox,
	// none done (the first is stuck in its send); the others' are done.
	e.waitInbox("the officer's three commands stored and the others' handled", 30*time.Second,
		func(rows []models.InboxUpdate) bool {
			o := outcomes(rows, victim)
			if o[""] != len(victimCodes) || len(o) != 1 {
				return false
			}
			for _, id := range ids[1:] {
				if outcomes(rows, id)[models.OutcomeHandled] != 1 {
					return false
				}
			}
			return len(rows) == len(victimCodes)+others
		}, first)
	for i, id := range ids[1:] {
		e.checkAnswers(fmt.Sprintf("officer %d before the kill", i+2), id, otherCodes[i:i+1])
	}
	first.kill9(t)
	killed := time.Now()
	e.api.hold(0)
	// Updates serve #1 stored but had not confirmed yet come again to
	// serve #2; the inbox's primary key takes each once.
	unconfirmed := e.fake.Pending()
	if got := e.answers(victim); len(got) != 0 {
		t.Fatalf("the held answer reached Telegram: %v", got)
	}

	second := e.serve("serve #2", longPolling)
	e.waitFor("the officer's three answers after the restart", inboxLease+30*time.Second,
		func() bool { return len(e.answers(victim)) >= len(victimCodes) },
		func() string {
			return fmt.Sprintf("answers %v; inbox: %s", e.answers(victim), inboxSummary(e.inboxRows()))
		},
		second)
	after := time.Since(killed)
	rows := e.waitInbox("every inbox row done", 15*time.Second, allDone(len(victimCodes)+others), second)
	second.stop(t)
	t.Logf("the killed process's three updates were answered %v after the kill (its chat lease: %v); "+
		"%d updates were unconfirmed at the kill", after.Round(time.Millisecond), inboxLease, unconfirmed)

	e.checkAnswers("the officer whose answer was held", victim, victimCodes)
	for i, id := range ids[1:] {
		e.checkAnswers(fmt.Sprintf("officer %d", i+2), id, otherCodes[i:i+1])
	}
	for _, r := range rows {
		if r.Outcome != models.OutcomeHandled {
			t.Errorf("update %d of chat %d ended %q (%s), want handled", r.UpdateID, r.ChatID, r.Outcome, r.LastError)
		}
	}
	// The proxy saw: the reminder, the held answer, then the three answers.
	// Serve #1 may have tried the held answer more than once before the
	// kill (its send times out while a loaded machine takes its time to
	// get there, and the inbox retries): each try was held, none reached
	// Telegram, and what was accepted is each answer once.
	if got := e.sendAttemptCodes(victim); got[0] < 1 || got[200] != 1+len(victimCodes) || len(got) != 2 {
		t.Errorf("sendMessage attempts to the officer by status: %v, want held ones (0) and %d accepted (the reminder and three answers)",
			got, 1+len(victimCodes))
	}
	for _, id := range ids {
		if n := e.countText(id, noticeDelayed) + e.countText(id, noticeFailed) + e.countText(id, noticeFlood); n > 0 {
			t.Errorf("chat %d got %d notices of the entrance; none was due", id, n)
		}
	}
}

// TestInboxTwoReplicasKeepEachChatInOrder: two serve replicas on one
// PostgreSQL in webhook mode; five officers send 20 commands each, the
// posts alternating between the replicas' webhooks as a load balancer
// would, so consecutive updates of one chat land on different replicas.
// Every chat gets its answers in the order of its updates, each exactly
// once, and the replicas share the work.
//
// Each officer keeps at most three commands unanswered at a time, as a
// person typing quickly would: more waiting than FloodKeep (5) is a flood,
// whose excess is dropped by design (TestInboxFloodOneNoticeOthersAnswered).
func TestInboxTwoReplicasKeepEachChatInOrder(t *testing.T) {
	if testdb.Kind() != dburl.Postgres {
		t.Skip("two replicas need PostgreSQL: on SQLite rectibot is single-instance by design " +
			"(one process holds the file's one connection; a second writer would fail with SQLITE_BUSY), " +
			"so the lease between replicas is not exercised there")
	}
	e := newFaultEnv(t, tgfake.Options{}) // Telegram's limits: 30/s, 1/s per chat
	const chats, perChat, window = 5, 20, 3
	ids := e.linkedOfficers(chats)
	addrs := []string{freeAddr(t), freeAddr(t)}
	replicas := []*serveProc{
		e.serve("replica A", map[string]string{"RECTIBOT_HTTP_ADDR": addrs[0]}),
		e.serve("replica B", map[string]string{"RECTIBOT_HTTP_ADDR": addrs[1]}),
	}
	for i, p := range replicas {
		e.waitListening(p, addrs[i], 30*time.Second)
	}
	e.waitReminders(chats, replicas...)

	codes := make([][]string, chats)
	for c := range chats {
		for j := range perChat {
			codes[c] = append(codes[c], fmt.Sprintf("R%d-%02d", c+1, j+1))
		}
	}
	start := time.Now()
	deadline := start.Add(60 * time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, chats)
	for c := range chats {
		wg.Go(func() {
			for j, code := range codes[c] {
				// At most `window` unanswered: wait for answer j-window.
				for len(e.answers(ids[c])) < j-window+1 {
					if time.Now().After(deadline) {
						errs <- fmt.Errorf("chat %d: answer to %s not in by the deadline (answers %v)", ids[c], codes[c][j-window], e.answers(ids[c]))
						return
					}
					time.Sleep(20 * time.Millisecond)
				}
				r := (c + j) % 2 // consecutive updates of a chat alternate between the replicas
				upd := e.fake.Text(ids[c], "/task "+code)
				status, err := postUpdate(addrs[r], upd)
				if err != nil || status != 200 {
					errs <- fmt.Errorf("chat %d: %s posted to %s: status %d, %v", ids[c], code, replicas[r].name, status, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	e.waitFor("every answer", time.Until(deadline)+5*time.Second, func() bool {
		for c := range chats {
			if len(e.answers(ids[c])) < perChat {
				return false
			}
		}
		return true
	}, func() string { return inboxSummary(e.inboxRows()) }, replicas...)
	took := time.Since(start)
	rows := e.waitInbox("every inbox row done", 15*time.Second, allDone(chats*perChat), replicas...)
	handled := make([]float64, len(replicas))
	for i, addr := range addrs {
		n, err := inboxCounter(addr, string(models.OutcomeHandled))
		if err != nil {
			t.Errorf("%s's /metrics: %v", replicas[i].name, err)
		}
		handled[i] = n
	}
	for _, p := range replicas {
		p.stop(t)
	}

	for c := range chats {
		e.checkAnswers(fmt.Sprintf("officer %d", c+1), ids[c], codes[c])
		for _, notice := range []string{noticeDelayed, noticeFailed, noticeFlood} {
			if n := e.countText(ids[c], notice); n > 0 {
				t.Errorf("officer %d got %d %q notices; none was due", c+1, n, notice)
			}
		}
	}
	for _, r := range rows {
		if r.Outcome != models.OutcomeHandled {
			t.Errorf("update %d of chat %d ended %q (%s), want handled", r.UpdateID, r.ChatID, r.Outcome, r.LastError)
		}
	}
	if sum := handled[0] + handled[1]; sum != chats*perChat {
		t.Errorf("updates handled by replica A %v + B %v = %v, want %d: an update was handled twice or not counted",
			handled[0], handled[1], sum, chats*perChat)
	}
	if handled[0] == 0 || handled[1] == 0 {
		t.Errorf("updates handled by replica A %v, B %v: both replicas should have handled some", handled[0], handled[1])
	}
	if rej := e.rejected(); len(rej) > 0 {
		t.Logf("Telegram refused sends: %v (limiter: %s)", rej, limiterKind())
	}
	t.Logf("%d chats × %d commands through two replicas in %v: replica A handled %v, B %v",
		chats, perChat, took.Round(time.Millisecond), handled[0], handled[1])
}

// TestInboxDatabaseDownToldOnce: PostgreSQL stops under a running serve
// (long polling); one officer sends three commands meanwhile. The updates
// cannot be stored, so they are not confirmed to Telegram, and the officer
// is told exactly once that the bot cannot handle them now. Once the
// database is back, each command is answered exactly once.
func TestInboxDatabaseDownToldOnce(t *testing.T) {
	if testdb.Kind() != dburl.Postgres {
		t.Skip("stops the PostgreSQL server; DATABASE_URL is not PostgreSQL")
	}
	if os.Getenv("RECTIBOT_TEST_PG_RESTART") != "1" {
		t.Skip("stops the PostgreSQL server under every other test: set RECTIBOT_TEST_PG_RESTART=1 to run it")
	}
	if _, err := exec.LookPath("pg_ctlcluster"); err != nil {
		t.Skip("needs pg_ctlcluster (Debian's postgresql-common) to stop and start the server")
	}
	e := newFaultEnv(t, tgfake.Options{})
	version, cluster := pgCluster(t, e.env["DATABASE_URL"])
	// Whatever happens below, the server every other test uses comes back
	// (before testdb drops the test's schema: cleanups run last-in first).
	t.Cleanup(func() {
		if !pgOnline(version, cluster) {
			pgCtl(t, version, cluster, "start")
		}
	})
	ids := e.linkedOfficers(1)
	officer := ids[0]
	p := e.serve("serve", longPolling)
	e.waitReminders(1, p)

	pgCtl(t, version, cluster, "stop")
	stopped := time.Now()
	codes := []string{"D-1", "D-2", "D-3"}
	e.sendCodes(officer, codes[0])
	e.waitFor("the notice that the bot cannot handle the message now", 20*time.Second,
		func() bool { return e.countText(officer, noticeDelayed) > 0 },
		func() string { return p.log.Tail(10) }, p)
	e.sendCodes(officer, codes[1:]...)
	// Two getUpdates calls after the last message: the first returned it
	// (the batch is not confirmed while it cannot be stored), so the
	// second came after serve failed to store it.
	calls := e.fake.Calls("getUpdates")
	e.waitFor("serve to fetch the last two messages while the database is down", 20*time.Second,
		func() bool { return e.fake.Calls("getUpdates") >= calls+2 },
		func() string { return p.log.Tail(10) }, p)
	if got := e.answers(officer); len(got) != 0 {
		t.Errorf("answered while the database was down: %v", got)
	}
	pgCtl(t, version, cluster, "start")
	back := time.Now()
	t.Logf("PostgreSQL %s/%s was down for %v", version, cluster, back.Sub(stopped).Round(time.Millisecond))

	e.waitFor("the three answers once the database is back", 60*time.Second,
		func() bool { return len(e.answers(officer)) >= len(codes) },
		func() string { return fmt.Sprintf("answers %v\n%s", e.answers(officer), p.log.Tail(10)) }, p)
	t.Logf("the three were answered %v after the database came back", time.Since(back).Round(time.Millisecond))
	rows := e.waitInbox("every inbox row done", 15*time.Second, allDone(len(codes)), p)
	p.stop(t)

	e.checkAnswers("the officer", officer, codes)
	if n := e.countText(officer, noticeDelayed); n != 1 {
		t.Errorf("the officer was told %d times that the bot cannot handle the message now, want once", n)
	}
	if n := e.countText(officer, noticeFailed); n != 0 {
		t.Errorf("the officer was told %d times that a message failed; none did", n)
	}
	for _, r := range rows {
		if r.Outcome != models.OutcomeHandled {
			t.Errorf("update %d ended %q (%s), want handled", r.UpdateID, r.Outcome, r.LastError)
		}
	}
}

// TestInboxFloodOneNoticeOthersAnswered: over long polling, one officer
// sends 60 commands at once while ten others send one each. The ten are
// answered promptly, each once; the flooder is asked once to send one at a
// time, gets at most a few more than FloodKeep answers, and the rest of
// its commands end dropped.
//
// The flood rule counts the commands waiting when the chat's worker reads
// them: commands of a burst that the worker read and handled before the
// rest of it was stored are not part of the flood, and FloodKeep of the
// rest are kept (without the paused polls below, runs saw 5 to 7 answers).
// The burst is delivered in one batch to make the bound exact.
func TestInboxFloodOneNoticeOthersAnswered(t *testing.T) {
	e := newFaultEnv(t, tgfake.Options{})
	const flood, others = 60, 10
	ids := e.linkedOfficers(1 + others)
	flooder := ids[0]
	p := e.serve("serve", longPolling)
	e.waitReminders(len(ids), p)

	floodCodes := make([]string, flood)
	for i := range floodCodes {
		floodCodes[i] = fmt.Sprintf("F-%02d", i+1)
	}
	otherCodes := make([]string, others)
	// The burst reaches serve in one getUpdates batch, as Telegram delivers
	// what came in while the bot was busy: polls wait at the proxy while
	// it is queued. The flooder's first command ends the poll in progress
	// (it is answered before the flood, like a first message).
	e.api.pausePolls()
	e.sendCodes(flooder, floodCodes[0])
	select {
	case <-e.api.pollWaited:
	case <-p.done:
		t.Fatalf("serve exited (%v)", p.err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not poll getUpdates again within 30 s")
	}
	for i := 1; i < flood; i++ {
		e.sendCodes(flooder, floodCodes[i])
		if k := i / 6; i%6 == 5 && k < others { // the others' commands among the flood
			otherCodes[k] = fmt.Sprintf("O%d-1", k+1)
			e.sendCodes(ids[1+k], otherCodes[k])
		}
	}
	start := time.Now()
	e.api.resumePolls()
	answered := func() int {
		n := 0
		for _, id := range ids[1:] {
			if len(e.answers(id)) > 0 {
				n++
			}
		}
		return n
	}
	e.waitFor("the ten others' answers", 30*time.Second, func() bool { return answered() == others },
		func() string {
			return fmt.Sprintf("%d of %d answered; inbox: %s", answered(), others, inboxSummary(e.inboxRows()))
		}, p)
	othersTook := time.Since(start)
	rows := e.waitInbox("every inbox row done", 30*time.Second, allDone(flood+others), p)
	floodTook := time.Since(start)
	p.stop(t)

	// Within the time Telegram's limits need for ten answers and the
	// flooder's first few (1 message/s per chat, 30/s in all), with room
	// for a slow machine: a flood holding them up would take a minute.
	if othersTook > 10*time.Second {
		t.Errorf("the ten others were answered %v after sending, want within 10 s", othersTook.Round(time.Millisecond))
	}
	for i, id := range ids[1:] {
		e.checkAnswers(fmt.Sprintf("officer %d", i+2), id, otherCodes[i:i+1])
		if o := outcomes(rows, id); o[models.OutcomeHandled] != 1 || len(o) != 1 {
			t.Errorf("officer %d's update ended %v, want handled", i+2, o)
		}
	}
	if n := e.countText(flooder, noticeFlood); n != 1 {
		t.Errorf("the flooder was asked %d times to send one at a time, want once", n)
	}
	got := e.answers(flooder)
	// FloodKeep of the batch, and the first command if it was handled before.
	if len(got) == 0 || len(got) > floodKeep+1 {
		t.Errorf("the flooder got %d answers, want 1 to %d (FloodKeep %d, and the command that came before the burst): %v",
			len(got), floodKeep+1, floodKeep, got)
	}
	// What was answered was answered once and in order.
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("the flooder's answers are out of order or repeated: %v", got)
	}
	o := outcomes(rows, flooder)
	if o[models.OutcomeHandled] != len(got) || o[models.OutcomeDropped] != flood-len(got) || len(o) > 2 {
		t.Errorf("the flooder's updates ended %v, want %d handled (as answered) and %d dropped", o, len(got), flood-len(got))
	}
	for _, id := range ids {
		if n := e.countText(id, noticeDelayed) + e.countText(id, noticeFailed); n > 0 {
			t.Errorf("chat %d was told %d times its message was delayed or failed; none was", id, n)
		}
	}
	t.Logf("flood of %d: the ten others answered within %v, the flooder got %d answers and %d dropped; all done in %v",
		flood, othersTook.Round(time.Millisecond), len(got), o[models.OutcomeDropped], floodTook.Round(time.Millisecond))
}
