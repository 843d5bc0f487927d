package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/go-telegram/bot/models"

	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

const (
	// chatBatch is how many of a chat's updates are read at once.
	chatBatch = 100
	// handleTimeout bounds one update's handling, shutdown included: what is
	// in hand finishes rather than being cut off half-way. The chat's lease
	// bounds it too (see handle).
	handleTimeout = 2 * time.Minute
	// leaseMargin is how long before its chat's lease runs out an update's
	// handling is stopped: another replica may take the chat then, and must
	// not find this one still answering. It covers the clock difference
	// between replicas too.
	leaseMargin = time.Second
)

// runChat handles chat's waiting updates in update order while this process
// holds the chat's lease, and stops when none is left, when the first
// waiting one is to be retried later (later ones wait behind it: one chat is
// answered in order), or when ctx ends.
//
// The lease is kept when the run ends, until it runs out: a chat that
// writes again soon is handled here without taking it anew (two statements
// fewer per update). Another replica's intake of such a chat is found by
// this process's Poll; a killed process's chats are free after Lease.
func (in *Inbox) runChat(ctx context.Context, chat int64) {
	defer func() {
		if in.forget(chat) {
			in.kick() // more came in as it ended: the poll loop takes the chat again
		}
	}()
	for ctx.Err() == nil && in.hold(ctx, chat) {
		ups, err := in.store.PendingUpdates(ctx, chat, chatBatch)
		if err != nil {
			in.warn(ctx, "inbox: read chat", slog.Int64("chat", chat), slog.Any("err", err))
			return
		}
		for _, u := range in.flood(ctx, chat, ups) {
			if ctx.Err() != nil || u.NextAttemptAt.After(in.clock.Now()) || !in.hold(ctx, chat) {
				return
			}
			if !in.handle(ctx, u, in.leaseOf(chat)) {
				return
			}
		}
		// A short batch was all there was when it was read; what was stored
		// since then flagged the run (more), and another replica's intake
		// is found by Poll.
		if len(ups) < chatBatch && !in.more(chat) {
			in.drained(chat)
			return
		}
	}
}

// hold takes or renews this process's lease on chat. It is renewed before
// each update once a quarter of it has passed, so an update in hand always
// has at least three quarters of a lease (see handle). A lease taken anew —
// not held without a break since — forgets the chat's flood: another
// replica may have drained it meanwhile.
func (in *Inbox) hold(ctx context.Context, chat int64) bool {
	now := in.clock.Now()
	in.mu.Lock()
	until, held := in.leases[chat]
	in.mu.Unlock()
	held = held && now.Before(until)
	if held && now.Before(until.Add(-in.o.Lease*3/4)) {
		return true
	}
	until = now.Add(in.o.Lease)
	got, err := in.store.AcquireChat(ctx, chat, in.o.Owner, now, until)
	if err != nil {
		in.warn(ctx, "inbox: take chat", slog.Int64("chat", chat), slog.Any("err", err))
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if err != nil || !got {
		delete(in.leases, chat)
		return false // another replica has it, or the database is away
	}
	in.leases[chat] = until
	if !held {
		delete(in.floodMarks, chat)
	}
	return true
}

// leaseOf is until when this process holds chat.
func (in *Inbox) leaseOf(chat int64) time.Time {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.leases[chat]
}

// forget drops chat from the running set, whatever ended its run, and
// reports whether updates were stored for it since it last looked.
func (in *Inbox) forget(chat int64) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.running[chat]
	delete(in.running, chat)
	return r != nil && r.again && !in.stopping
}

// handle runs one update and records the outcome. It reports whether the
// chat's next update may follow (false: this one waits for a retry, or its
// outcome could not be recorded).
//
// Handling stops (its context ends) leaseMargin before the chat's lease
// runs out, so a replica that takes the chat after that never finds this
// one still answering; hold leaves at least three quarters of a lease.
// Shutdown does not stop it: what is in hand finishes.
func (in *Inbox) handle(ctx context.Context, u dbmodels.InboxUpdate, leaseUntil time.Time) bool {
	attempts := u.Attempts + 1
	var upd models.Update
	if err := json.Unmarshal([]byte(u.Payload), &upd); err != nil {
		in.log.ErrorContext(ctx, "inbox: stored update is not an update", slog.Int64("update_id", u.UpdateID), slog.Any("err", err))
		return in.finish(ctx, u, dbmodels.OutcomeFailed, attempts, "undecodable: "+err.Error())
	}
	limit := min(handleTimeout, leaseUntil.Sub(in.clock.Now())-leaseMargin)
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), limit)
	err := in.dispatch.Dispatch(hctx, &upd)
	cancel()
	now := in.clock.Now()
	switch {
	case err == nil, errors.Is(err, outbound.ErrUnreachable): // blocked the bot: nobody to answer
		return in.finish(ctx, u, dbmodels.OutcomeHandled, attempts, "")
	case errors.Is(err, outbound.ErrRejected):
		// Telegram refused the answer (400): the bot wrote something wrong.
		// Sending it again would be refused again; it is a bug to fix.
		in.log.ErrorContext(ctx, "inbox: Telegram refused an answer; update failed (a bug)",
			slog.Int64("update_id", u.UpdateID), slog.Int64("chat", u.ChatID), slog.Any("err", err))
		in.tell(ctx, u, &upd, true)
		return in.finish(ctx, u, dbmodels.OutcomeFailed, attempts, err.Error())
	}
	if attempts >= in.o.MaxAttempts {
		in.log.ErrorContext(ctx, "inbox: update failed after retries", slog.Int64("update_id", u.UpdateID),
			slog.Int("attempts", attempts), slog.Any("err", err))
		in.tell(ctx, u, &upd, true)
		return in.finish(ctx, u, dbmodels.OutcomeFailed, attempts, err.Error())
	}
	wait := in.backoff(attempts)
	in.log.WarnContext(ctx, "inbox: update will be retried", slog.Int64("update_id", u.UpdateID),
		slog.Int("attempt", attempts), slog.Duration("retry_in", wait), slog.Any("err", err))
	in.metrics.inbox.WithLabelValues(string(u.Kind), "retry").Inc()
	if rerr := in.store.RetryUpdate(ctx, u.UpdateID, attempts, now.Add(wait), err.Error()); rerr != nil {
		in.log.WarnContext(ctx, "inbox: record retry", slog.Int64("update_id", u.UpdateID), slog.Any("err", rerr))
	}
	in.tell(ctx, u, &upd, false)
	return false
}

// backoff is the wait before attempt n+1: BackoffBase doubled per attempt,
// up to BackoffCap.
func (in *Inbox) backoff(attempts int) time.Duration {
	d := in.o.BackoffBase
	for range attempts - 1 {
		d *= 2
		if d >= in.o.BackoffCap {
			return in.o.BackoffCap
		}
	}
	return d
}

// finish records how u ended. Recording is retried briefly: an update
// handled but not marked done would be handled again.
func (in *Inbox) finish(ctx context.Context, u dbmodels.InboxUpdate, outcome dbmodels.Outcome, attempts int, lastErr string) bool {
	in.metrics.inbox.WithLabelValues(string(u.Kind), string(outcome)).Inc()
	rctx := context.WithoutCancel(ctx)
	var err error
	for attempt := range 4 {
		if attempt > 0 {
			if sleepCtx(ctx, time.Duration(attempt*attempt)*200*time.Millisecond) != nil {
				break
			}
		}
		if outcome == dbmodels.OutcomeHandled {
			err = in.finishes.do(rctx, []int64{u.UpdateID})
		} else {
			err = in.store.FailUpdate(rctx, u.UpdateID, attempts, lastErr, in.clock.Now())
		}
		if err == nil {
			if in.o.OnDone != nil {
				in.o.OnDone(u.UpdateID, outcome)
			}
			return true
		}
	}
	in.log.ErrorContext(ctx, "inbox: record outcome", slog.Int64("update_id", u.UpdateID), slog.Any("err", err))
	return false
}

// tell lets the person know, once per update and at most once per chat in
// TellAgainAfter, that their message is delayed (failed=false: it is kept
// and will be handled) or could not be handled.
func (in *Inbox) tell(ctx context.Context, u dbmodels.InboxUpdate, upd *models.Update, failed bool) {
	if u.ToldAt != nil || in.notices == nil {
		return
	}
	now := in.clock.Now()
	if in.toldRecently(u.ChatID, now) && !failed {
		return
	}
	if failed {
		in.notices.Failed(ctx, toInbound(upd))
	} else {
		in.notices.Delayed(ctx, toInbound(upd))
	}
	if err := in.store.MarkTold(ctx, u.UpdateID, now); err != nil {
		in.log.WarnContext(ctx, "inbox: record notice", slog.Int64("update_id", u.UpdateID), slog.Any("err", err))
	}
}

// toldRecently reports whether chat was told of a delay within
// TellAgainAfter, and notes that it is being told now if not.
func (in *Inbox) toldRecently(chat int64, now time.Time) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if at, ok := in.toldChats[chat]; ok && now.Sub(at) < in.o.TellAgainAfter {
		return true
	}
	for c, at := range in.toldChats { // forget old entries as we go
		if now.Sub(at) >= in.o.TellAgainAfter {
			delete(in.toldChats, c)
		}
	}
	in.toldChats[chat] = now
	return false
}

// flood drops a chat's commands and presses beyond FloodKeep waiting ones
// (reports, files and albums are always kept) and asks the chat, at most
// once per FloodNoticeEvery, to send one at a time. Once a chat floods, every
// command it sends after the kept ones is dropped until its queue has run
// dry, so a flood of 300 gets FloodKeep answers, not FloodKeep per read. It
// returns what is left to handle, in order.
func (in *Inbox) flood(ctx context.Context, chat int64, ups []dbmodels.InboxUpdate) []dbmodels.InboxUpdate {
	in.mu.Lock()
	mark, flooding := in.floodMarks[chat]
	in.mu.Unlock()
	kept := make([]dbmodels.InboxUpdate, 0, len(ups))
	var dropped []int64
	var last dbmodels.InboxUpdate
	waiting := 0
	for _, u := range ups {
		if u.Kind.Droppable() && u.Attempts == 0 {
			waiting++
			if (flooding && u.UpdateID > mark) || waiting > in.o.FloodKeep {
				if !flooding {
					flooding, mark = true, last.UpdateID
				}
				dropped = append(dropped, u.UpdateID)
				continue
			}
			last = u
		}
		kept = append(kept, u)
	}
	if len(dropped) == 0 {
		return ups
	}
	now := in.clock.Now()
	if err := in.store.FinishUpdates(ctx, dropped, dbmodels.OutcomeDropped, "flood", now); err != nil {
		in.warn(ctx, "inbox: drop a flood", slog.Int64("chat", chat), slog.Any("err", err))
		return ups
	}
	in.mu.Lock()
	in.floodMarks[chat] = mark
	in.mu.Unlock()
	in.metrics.inbox.WithLabelValues(string(dbmodels.UpdateCommand), string(dbmodels.OutcomeDropped)).Add(float64(len(dropped)))
	if in.o.OnDone != nil {
		for _, id := range dropped {
			in.o.OnDone(id, dbmodels.OutcomeDropped)
		}
	}
	in.log.InfoContext(ctx, "inbox: a chat floods the bot; excess dropped", slog.Int64("chat", chat), slog.Int("dropped", len(dropped)))
	first, err := in.store.NoteFlood(ctx, chat, now.Add(-in.o.FloodNoticeEvery), now)
	if err == nil && first && in.notices != nil {
		var upd models.Update
		if json.Unmarshal([]byte(ups[len(ups)-1].Payload), &upd) == nil {
			in.notices.Flooded(ctx, toInbound(&upd))
		}
	}
	return kept
}

// drained ends a chat's flood: its queue ran dry.
func (in *Inbox) drained(chat int64) {
	in.mu.Lock()
	delete(in.floodMarks, chat)
	in.mu.Unlock()
}
