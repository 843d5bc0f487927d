// Package bot is rectibot's edge to Telegram: long polling or the webhook,
// update de-duplication and per-chat ordering, panic recovery, metrics, and
// the one rate-limited sender every message goes through. It is the only
// package, with handlers and cmd, that imports github.com/go-telegram/bot.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// UpdateHandler handles one update. It returns an error only when the update
// could not be handled for a passing reason (the database is down): the
// update is then released and Telegram delivers it again.
type UpdateHandler interface {
	Handle(ctx context.Context, upd *models.Update) error
}

// PanicReporter tells the user something went wrong, in their language,
// after a handler panicked.
type PanicReporter interface {
	Apologize(ctx context.Context, upd *models.Update)
}

// Dispatcher runs updates exactly once each, those of one chat one at a
// time and in order, different chats in parallel. Both the poller and the
// webhook hand updates to it and wait for the outcome, so an update is
// confirmed to Telegram only once it was handled.
type Dispatcher struct {
	handler UpdateHandler
	apology PanicReporter
	dedupe  Deduper
	log     *slog.Logger
	metrics *Metrics

	mu    sync.Mutex
	chats map[int64]*chatQueue
	wg    sync.WaitGroup
}

// chatQueue is the lane of one chat: a mutex whose waiters are served in
// arrival order (a ticket lock), since sync.Mutex makes no such promise.
type chatQueue struct {
	next, serving uint64
	cond          *sync.Cond
	users         int
}

// NewDispatcher wires the dispatcher.
func NewDispatcher(h UpdateHandler, apology PanicReporter, dedupe Deduper, m *Metrics, log *slog.Logger) *Dispatcher {
	return &Dispatcher{handler: h, apology: apology, dedupe: dedupe, metrics: m, log: log, chats: map[int64]*chatQueue{}}
}

// ErrRetryLater is returned by Dispatch when the update was not handled and
// should be delivered again.
var ErrRetryLater = errors.New("update not handled; deliver it again")

// Dispatch handles one update and returns once it is handled.
func (d *Dispatcher) Dispatch(ctx context.Context, upd *models.Update) error {
	return <-d.Submit(ctx, upd)
}

// Submit queues an update behind the earlier updates of its chat and
// handles it in its turn; the channel yields the outcome. The place in the
// queue is taken before Submit returns, so updates submitted one after the
// other run in that order. A duplicate (same update_id) is skipped.
func (d *Dispatcher) Submit(ctx context.Context, upd *models.Update) <-chan error {
	d.wg.Add(1)
	done := make(chan error, 1)
	chat := chatOf(upd)
	q, ticket := d.take(chat)
	go func() {
		defer d.wg.Done()
		d.wait(q, ticket)
		err := d.handle(ctx, upd)
		d.leave(chat, q)
		done <- err
	}()
	return done
}

func (d *Dispatcher) handle(ctx context.Context, upd *models.Update) error {
	kind := updateKind(upd)
	fresh, err := d.dedupe.Claim(ctx, upd.ID)
	if err != nil {
		d.metrics.updates.WithLabelValues(kind, "error").Inc()
		return fmt.Errorf("%w: claim update %d: %w", ErrRetryLater, upd.ID, err)
	}
	if !fresh {
		d.metrics.updates.WithLabelValues(kind, "duplicate").Inc()
		d.log.DebugContext(ctx, "duplicate update skipped", slog.Int64("update_id", upd.ID))
		return nil
	}
	start := time.Now()
	err = d.run(ctx, upd)
	d.metrics.latency.WithLabelValues(kind).Observe(time.Since(start).Seconds())
	if err != nil {
		d.metrics.updates.WithLabelValues(kind, "retry").Inc()
		d.log.WarnContext(ctx, "update not handled, released for redelivery", slog.Int64("update_id", upd.ID), slog.Any("err", err))
		// Forget the claim so the redelivered update is handled.
		if rerr := d.dedupe.Release(context.WithoutCancel(ctx), upd.ID); rerr != nil {
			d.log.ErrorContext(ctx, "release update claim", slog.Int64("update_id", upd.ID), slog.Any("err", rerr))
		}
		return fmt.Errorf("%w: %w", ErrRetryLater, err)
	}
	d.metrics.updates.WithLabelValues(kind, "ok").Inc()
	return nil
}

// run calls the handler, turning a panic into a logged error and an
// apology: a panic is a bug, not a passing failure, so the update is not
// redelivered.
func (d *Dispatcher) run(ctx context.Context, upd *models.Update) (err error) {
	defer func() {
		if p := recover(); p != nil {
			d.metrics.updates.WithLabelValues(updateKind(upd), "panic").Inc()
			d.log.ErrorContext(ctx, "handler panicked", slog.Int64("update_id", upd.ID),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			if d.apology != nil {
				d.safeApologize(ctx, upd)
			}
			err = nil
		}
	}()
	return d.handler.Handle(ctx, upd)
}

func (d *Dispatcher) safeApologize(ctx context.Context, upd *models.Update) {
	defer func() {
		if p := recover(); p != nil {
			d.log.ErrorContext(ctx, "apology panicked", slog.Any("panic", p))
		}
	}()
	d.apology.Apologize(ctx, upd)
}

// take gives the update a ticket in its chat's lane.
func (d *Dispatcher) take(chat int64) (*chatQueue, uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	q := d.chats[chat]
	if q == nil {
		q = &chatQueue{cond: sync.NewCond(&d.mu)}
		d.chats[chat] = q
	}
	q.users++
	ticket := q.next
	q.next++
	return q, ticket
}

// wait blocks until the ticket's turn.
func (d *Dispatcher) wait(q *chatQueue, ticket uint64) {
	d.mu.Lock()
	for q.serving != ticket {
		q.cond.Wait()
	}
	d.mu.Unlock()
}

// leave passes the turn to the next update of the chat.
func (d *Dispatcher) leave(chat int64, q *chatQueue) {
	d.mu.Lock()
	q.serving++
	q.users--
	if q.users == 0 {
		delete(d.chats, chat) // idle chats cost nothing
	}
	q.cond.Broadcast()
	d.mu.Unlock()
}

// Wait blocks until every update in hand is handled (graceful shutdown).
func (d *Dispatcher) Wait() { d.wg.Wait() }

// chatOf is the chat an update belongs to; updates with none share lane 0.
func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.ChannelPost != nil:
		return u.ChannelPost.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message.Message != nil:
		return u.CallbackQuery.Message.Message.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

func updateKind(u *models.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.ChannelPost != nil:
		return "channel_post"
	case u.MyChatMember != nil:
		return "my_chat_member"
	}
	return "other"
}
