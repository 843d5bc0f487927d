package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"

	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/models"
)

// MigrationState compares River's migrations with a database's.
type MigrationState struct {
	Known   []int // every version this River carries, ascending
	Pending []int // known, not applied
}

// Current is the newest version applied, 0 for a new database.
func (st MigrationState) Current() int { return models.CurrentVersion(st.Known, st.Pending) }

// Newest is the newest version this River carries.
func (st MigrationState) Newest() int { return models.NewestVersion(st.Known) }

// PendingMigrations reads which of River's migrations a database lacks
// without applying any, for `rectibot doctor`. River's migrator only reads
// here: river_migration missing means none is applied.
func PendingMigrations(ctx context.Context, db *gorm.DB, d dburl.Dialect) (MigrationState, error) {
	drv, err := riverDriver(db, d)
	if err != nil {
		return MigrationState{}, err
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return MigrationState{}, fmt.Errorf("river migrations: %w", err)
	}
	existing, err := m.ExistingVersions(ctx)
	if err != nil {
		return MigrationState{}, fmt.Errorf("river migrations: %w", err)
	}
	applied := make([]int, 0, len(existing))
	for _, e := range existing {
		applied = append(applied, e.Version)
	}
	var st MigrationState
	for _, v := range m.AllVersions() {
		st.Known = append(st.Known, v.Version)
		if !slices.Contains(applied, v.Version) {
			st.Pending = append(st.Pending, v.Version)
		}
	}
	slices.Sort(st.Known)
	slices.Sort(st.Pending)
	return st, nil
}

// DiscardedJobCount counts the dead letters (`rectibot jobs` lists them):
// the jobs River discarded after their last attempt and still keeps.
func DiscardedJobCount(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Raw("SELECT count(*) FROM river_job WHERE state = 'discarded'").Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count discarded jobs: %w", err)
	}
	return n, nil
}
