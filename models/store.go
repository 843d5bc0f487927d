package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
)

// Store is the ledger's storage: every method takes a context, runs its
// writes in one transaction and writes the audit events of the change in
// that same transaction.
type Store struct {
	db      *gorm.DB
	clock   clock.Clock
	planner Planner
}

// Planner is told, inside the transaction of a ledger change, which tasks
// changed (created, imported, re-dated, status) and who linked Telegram, so
// reminders are (re)planned in that same transaction: a rollback leaves no
// job, a commit leaves no task without its jobs. The scheduler implements it.
type Planner interface {
	TasksChangedTx(ctx context.Context, tx *gorm.DB, taskIDs []uint) error
	PersonLinkedTx(ctx context.Context, tx *gorm.DB, personID uint) error
}

// SetPlanner installs the planner (serve does; the command line and tests
// that do not need reminders run without one).
func (s *Store) SetPlanner(p Planner) { s.planner = p }

func (s *Store) tasksChanged(ctx context.Context, tx *gorm.DB, ids ...uint) error {
	if s.planner == nil || len(ids) == 0 {
		return nil
	}
	if err := s.planner.TasksChangedTx(ctx, tx, ids); err != nil {
		return fmt.Errorf("plan reminders: %w", err)
	}
	return nil
}

// NewStore wraps a migrated database.
func NewStore(db *gorm.DB, clk clock.Clock) *Store {
	if clk == nil {
		clk = clock.System{}
	}
	return &Store{db: db, clock: clk}
}

// DB exposes the handle for packages that share its transactions (the
// scheduler's job queue).
func (s *Store) DB() *gorm.DB { return s.db }

func (s *Store) now() time.Time { return s.clock.Now().UTC() }

// Actor is who makes a change, for the audit trail.
type Actor struct {
	PersonID *uint  // set when a linked person acts
	Label    string // "cli", "telegram:123456", "scheduler"
}

// CLIActor is the operator at the command line.
var CLIActor = Actor{Label: "cli"}

// audit appends one audit event inside tx.
func (s *Store) audit(tx *gorm.DB, actor Actor, action, subject string, planID, taskID *uint, before, after any) error {
	ev := AuditEvent{
		CreatedAt: s.now(),
		ActorID:   actor.PersonID,
		Actor:     actor.Label,
		Action:    action,
		PlanID:    planID,
		TaskID:    taskID,
		Subject:   subject,
		Before:    toJSON(before),
		After:     toJSON(after),
	}
	return tx.Create(&ev).Error
}

func toJSON(v any) string {
	if v == nil {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain maps and structs are audited; this cannot fail for them.
		return `{"error":"unencodable"}`
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }
