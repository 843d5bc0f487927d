package models_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/models"
)

// TestConcurrentStartsMigrateOnce starts four "processes" (separate
// connection pools) on one new database at once, as replicas do at deploy:
// every one must succeed and the schema must be applied once.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	loc := testdb.Location(t)
	ctx := context.Background()
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		db, err := models.Open(ctx, loc, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer models.Close(db)
		wg.Go(func() { errs[i] = models.Migrate(ctx, db, loc, nil) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("start %d: %v", i, err)
		}
	}
	db, err := models.Open(ctx, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(db)
	var versions []int64
	if err := db.Table("goose_db_version").Where("version_id > 0").Order("version_id").Pluck("version_id", &versions).Error; err != nil {
		t.Fatal(err)
	}
	// Every migration once: versions 1…n, n the migrations there are (the
	// SQL files and the one Go migration, 00008).
	files, err := filepath.Glob("migrations/sqlite/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int64, len(files)+1)
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(versions, want) {
		t.Errorf("migrations recorded %v, want %v, each once", versions, want)
	}
	// An operator finds nothing beside the database file afterwards.
	if loc.Dialect == dburl.SQLite {
		if _, err := os.Stat(loc.Path + ".migrate.lock"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s.migrate.lock left beside the database (%v)", loc.Path, err)
		}
	}
}

// TestEmbeddedSQLiteIsRecentEnough guards the pin of glebarez/go-sqlite: the
// job queue of the scheduler needs SQLite ≥ 3.45 (jsonb).
func TestEmbeddedSQLiteIsRecentEnough(t *testing.T) {
	if testdb.Kind() != dburl.SQLite {
		t.Skip("runs on the embedded SQLite only (CI runs the suite both ways)")
	}
	db, _ := testdb.Open(t)
	var version string
	if err := db.Raw("SELECT sqlite_version()").Scan(&version).Error; err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(version, ".")
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	if major < 3 || major == 3 && minor < 45 {
		t.Errorf("embedded SQLite %s, need ≥ 3.45", version)
	}
	t.Logf("embedded SQLite %s", version)
}
