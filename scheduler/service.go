package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// Config wires the scheduler into a running bot.
type Config struct {
	Store    *models.Store
	Location models.Location
	Out      outbound.Sender
	Settings Settings
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
	log     *slog.Logger
}

// New builds the scheduler and installs its planner on the store, so every
// ledger change from now on plans its reminders in its own transaction.
func New(c Config) (*Service, error) {
	if c.Log == nil {
		c.Log = slog.Default()
	}
	planner := &Planner{Settings: c.Settings, Clock: c.Clock, Zone: c.Zone}
	notifier := &Notifier{Store: c.Store, Out: c.Out, Settings: c.Settings, Admins: c.Admins}
	digest := &GroupDigestWorker{Store: c.Store, Out: c.Out, Settings: c.Settings, Clock: c.Clock, Zone: c.Zone, Light: c.Light, Admins: c.Admins}
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
	return &Service{Queue: q, Planner: planner, Digest: digest, store: c.Store, log: c.Log}, nil
}

// Reconcile plans every task, in batches: tasks imported from the command
// line (which runs without the scheduler) get their jobs, and a restart
// after a long stop catches up. Planning is idempotent (unique jobs), so
// running it at every start is safe.
func (s *Service) Reconcile(ctx context.Context) error {
	var ids []uint
	if err := s.store.DB().WithContext(ctx).Model(&models.Task{}).Order("id").Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(len(ids), start+500)]
		err := s.store.DB().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.Planner.TasksChangedTx(ctx, tx, batch)
		})
		if err != nil {
			return fmt.Errorf("reconcile: %w", err)
		}
	}
	s.log.InfoContext(ctx, "reminders planned", slog.Int("tasks", len(ids)))
	return nil
}

// Start runs the workers; Stop finishes the jobs in hand.
func (s *Service) Start(ctx context.Context) error { return s.Queue.Start(ctx) }

// Stop stops the workers gracefully.
func (s *Service) Stop(ctx context.Context) error { return s.Queue.Stop(ctx) }
