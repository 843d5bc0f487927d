package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/schedule"
)

// Config wires the scheduler into a running bot.
type Config struct {
	Store    *models.Store
	Location dburl.Location
	Out      outbound.Sender
	Settings schedule.Settings
	Clock    clock.Clock
	Zone     *time.Location // the installation's zone (send windows, digests)
	Light    ledger.LightThresholds
	Admins   []int64 // configured admin Telegram ids
	Log      *slog.Logger
	Options  []Option // River settings, for tests
}

// Service is the running scheduler: the queue, its workers, and the planner
// installed on the store.
type Service struct {
	Queue   *Queue
	Planner *Planner
	Digest  *GroupDigestWorker
	store   *models.Store
	clock   clock.Clock
	log     *slog.Logger

	// The startup work Start leaves running: the digest catch-up and
	// Reconcile.
	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	done    chan struct{} // closed when the startup work has ended
	err     error
}

// New builds the scheduler and installs its planner on the store, so every
// ledger change from now on plans its reminders in its own transaction.
func New(c Config) (*Service, error) {
	if c.Log == nil {
		c.Log = slog.Default()
	}
	planner := &Planner{Settings: c.Settings, Clock: c.Clock, Zone: c.Zone}
	notifier := &Notifier{Store: c.Store, Out: c.Out, Settings: c.Settings, Admins: c.Admins}
	digest := &GroupDigestWorker{Store: c.Store, Out: c.Out, Settings: c.Settings, Clock: c.Clock, Zone: c.Zone,
		Light: c.Light, Admins: c.Admins, Log: c.Log}
	workers := NewWorkers()
	river.AddWorker(workers, &TaskDueWorker{Planner: planner, Store: c.Store, Admins: c.Admins})
	river.AddWorker(workers, &NotifyWorker{Notifier: notifier, Clock: c.Clock, Zone: c.Zone})
	river.AddWorker(workers, digest)
	river.AddWorker(workers, &GroupEscalationWorker{Store: c.Store, Out: c.Out, Settings: c.Settings, Clock: c.Clock, Zone: c.Zone})
	periodic, err := DigestPeriodicJob(c.Settings, c.Zone)
	if err != nil {
		return nil, fmt.Errorf("scheduler: digest schedule: %w", err)
	}
	q, err := NewQueue(c.Store.DB(), c.Location.Dialect, workers, []*river.PeriodicJob{periodic}, c.Log, c.Options...)
	if err != nil {
		return nil, err
	}
	planner.Queue = q
	c.Store.SetPlanner(planner)
	return &Service{Queue: q, Planner: planner, Digest: digest, store: c.Store, clock: c.Clock, log: c.Log,
		done: make(chan struct{})}, nil
}

// Start starts working jobs and returns; then, in the background, it
// enqueues the digest run missed while no process ran (DigestCatchUp, by
// the injected clock) and plans every task (Reconcile). The caller takes
// updates at once: a ledger change meanwhile plans its own tasks in its
// own transaction, as always, and Reconcile re-plans them harmlessly.
// ReconcileDone is closed when the background work has ended, and
// ReconcileErr then tells how it went; both are also logged.
//
// River stops when ctx ends (its hard stop, cancelling the jobs in hand):
// pass a context that outlives serving and call Stop to finish.
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("scheduler: started twice")
	}
	if err := s.Queue.Start(ctx); err != nil {
		return err
	}
	bg, cancel := context.WithCancel(ctx)
	s.started, s.cancel = true, cancel
	go func() {
		defer close(s.done)
		defer cancel()
		err := s.startup(bg)
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
	}()
	return nil
}

// startup is the background part of Start. Each step is logged; a failed
// catch-up does not keep the tasks from being planned.
func (s *Service) startup(ctx context.Context) error {
	var errs []error
	if _, err := s.DigestCatchUp(ctx, s.clock.Now()); err != nil {
		s.logFailure(ctx, "digest catch-up", err)
		errs = append(errs, err)
	}
	if err := s.Reconcile(ctx); err != nil {
		s.logFailure(ctx, "reconcile", err)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// logFailure logs a startup step that failed; one stopped by Stop is not a
// failure (the next start does it again).
func (s *Service) logFailure(ctx context.Context, step string, err error) {
	if errors.Is(err, context.Canceled) {
		s.log.InfoContext(ctx, step+" stopped before done", slog.Any("err", err))
		return
	}
	s.log.ErrorContext(ctx, step+" failed (the next start retries it)", slog.Any("err", err))
}

// ReconcileDone is closed when the background work Start began (the digest
// catch-up and Reconcile) has ended. It is never closed if Start was not
// called or failed.
func (s *Service) ReconcileDone() <-chan struct{} { return s.done }

// ReconcileErr is how the background work ended: nil while it runs and
// after it succeeded.
func (s *Service) ReconcileErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Stop stops the background work of Start and waits for it, then stops the
// workers gracefully (see Queue.Stop).
func (s *Service) Stop(ctx context.Context) error {
	s.mu.Lock()
	started, cancel := s.started, s.cancel
	s.mu.Unlock()
	if started {
		cancel()
		select {
		case <-s.done:
		case <-ctx.Done():
		}
	}
	return s.Queue.Stop(ctx)
}
