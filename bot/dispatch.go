// Package bot is rectibot's edge to Telegram: long polling or the webhook
// into a durable inbox in the ledger's database, workers that handle it one
// chat in order and chats in parallel, panic recovery, metrics, and the one
// rate-limited sender every message goes through. It is the only package
// that imports github.com/go-telegram/bot (with the test fake): updates
// leave it as the project's own inbound types (inbound.go), messages come
// into it as outbound ones.
package bot

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/inbound"
)

// UpdateHandler handles one update. It returns an error when the update
// could not be handled: a passing failure (the database is down) is retried
// by the inbox with growing waits; an error wrapping outbound.ErrRejected
// (Telegram refused the answer) fails the update at once.
type UpdateHandler interface {
	Handle(ctx context.Context, upd *inbound.Update) error
}

// PanicReporter tells the user something went wrong, in their language,
// after a handler panicked.
type PanicReporter interface {
	Apologize(ctx context.Context, upd *inbound.Update)
}

// Dispatcher runs one update through the handler: it turns a panic into a
// logged error and an apology, and counts outcomes and time. Ordering,
// de-duplication and retries are the inbox's.
type Dispatcher struct {
	handler UpdateHandler
	apology PanicReporter
	log     *slog.Logger
	metrics *Metrics
}

// NewDispatcher wires the dispatcher.
func NewDispatcher(h UpdateHandler, apology PanicReporter, m *Metrics, log *slog.Logger) *Dispatcher {
	return &Dispatcher{handler: h, apology: apology, metrics: m, log: log}
}

// Dispatch handles one update and returns once it is handled.
func (d *Dispatcher) Dispatch(ctx context.Context, upd *models.Update) error {
	kind := string(kindOf(upd))
	start := time.Now()
	panicked, err := d.run(ctx, upd)
	d.metrics.latency.WithLabelValues(kind).Observe(time.Since(start).Seconds())
	outcome := "ok"
	switch {
	case panicked:
		outcome = "panic"
	case err != nil:
		outcome = "error"
	}
	d.metrics.updates.WithLabelValues(kind, outcome).Inc()
	return err
}

// run calls the handler, turning a panic into a logged error and an
// apology: a panic is a bug, not a passing failure, so the update is not
// tried again.
func (d *Dispatcher) run(ctx context.Context, upd *models.Update) (panicked bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked = true
			d.log.ErrorContext(ctx, "handler panicked", slog.Int64("update_id", upd.ID),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			if d.apology != nil {
				d.safeApologize(ctx, upd)
			}
			err = nil
		}
	}()
	return false, d.handler.Handle(ctx, toInbound(upd))
}

func (d *Dispatcher) safeApologize(ctx context.Context, upd *models.Update) {
	defer func() {
		if p := recover(); p != nil {
			d.log.ErrorContext(ctx, "apology panicked", slog.Any("panic", p))
		}
	}()
	d.apology.Apologize(ctx, toInbound(upd))
}
