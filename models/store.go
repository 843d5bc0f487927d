package models

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
)

// Store is the ledger's storage: every method takes a context, runs its
// writes in one transaction and writes the audit events of the change in
// that same transaction.
type Store struct {
	db    *gorm.DB
	clock clock.Clock
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
