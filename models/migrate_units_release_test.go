package models_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/models"
)

// TestUnitsMigrationOfAReleaseDatabase migrates a copy of what the release
// before units wrote (made by testdata/release-before-units/make.sh): on
// SQLite its database file, on PostgreSQL its rows loaded into that
// release's schema. It had imported the Dongguan ledger and a county
// 教育局's, which share the leader 书记 and the department 机关党委, linked
// 书记 to Telegram, and taken reports, deadline changes and groups.
func TestUnitsMigrationOfAReleaseDatabase(t *testing.T) {
	ctx := context.Background()
	db, loc := openRelease(t)
	if v := count(t, db, `SELECT MAX(version_id) FROM goose_db_version`); v != releaseVersion {
		t.Fatalf("the release's database is at version %d, want %d", v, releaseVersion)
	}
	before := rowCounts(t, db)
	var logged bytes.Buffer
	if err := models.Migrate(ctx, db, loc, slog.New(slog.NewTextHandler(&logged, nil))); err != nil {
		t.Fatalf("migrate the release's database: %v", err)
	}

	assertUnitsWhole(t, db, loc)
	assertCountsKept(t, before, rowCounts(t, db))
	const qinghe = "青禾县教育局"
	a, b := unitID(t, db, unitA), unitID(t, db, qinghe)
	if a > b {
		t.Errorf("%s (imported first) has id %d, %s %d: the first unit should keep the shared rows", unitA, a, qinghe, b)
	}
	for _, c := range []struct {
		what, query string
		want        string
	}{
		{"units", `SELECT name FROM units ORDER BY id`, unitA + ", " + qinghe},
		{"机关党委's units", `SELECT u.name FROM departments d JOIN units u ON u.id = d.unit_id WHERE d.name = '机关党委' ORDER BY d.id`,
			unitA + ", " + qinghe},
		{"书记's units and Telegram", `SELECT u.name || ':' || COALESCE(CAST(pe.telegram_user_id AS text), 'none') FROM people pe
			JOIN units u ON u.id = pe.unit_id WHERE pe.name = '书记' ORDER BY pe.id`, unitA + ":7001, " + qinghe + ":none"},
		{"书记's roles", `SELECT u.name || ':' || r.role FROM people pe JOIN units u ON u.id = pe.unit_id
			JOIN person_roles r ON r.person_id = pe.id WHERE pe.name = '书记' ORDER BY pe.id, r.role`, unitA + ":leader, " + qinghe + ":leader"},
		{"机关党委's leaders", `SELECT u.name || ':' || pe.name FROM department_leaders dl JOIN departments d ON d.id = dl.department_id
			JOIN units u ON u.id = d.unit_id JOIN people pe ON pe.id = dl.person_id WHERE d.name = '机关党委' ORDER BY d.id`,
			unitA + ":书记, " + qinghe + ":书记"},
		{"officers of 机关党委", `SELECT u.name || ':' || pe.name FROM people pe JOIN departments d ON d.id = pe.department_id
			JOIN units u ON u.id = d.unit_id WHERE d.name = '机关党委' ORDER BY d.id`, unitA + ":王芳, " + qinghe + ":孙丽"},
		{"who approved 孙丽's new deadline", `SELECT u.name FROM deadline_changes c JOIN people pe ON pe.id = c.decided_by_id
			JOIN units u ON u.id = pe.unit_id WHERE c.state = 'approved'`, qinghe},
		{"groups' units", `SELECT g.title || ':' || COALESCE(u.name, 'supervisors') FROM groups g LEFT JOIN units u ON u.id = g.unit_id ORDER BY g.chat_id`,
			"巡察办:supervisors, 教育局整改群:" + qinghe + ", 政法委整改群:" + unitA},
		{"the hand-added admin", `SELECT name FROM people WHERE unit_id IS NULL`, "整改办"},
	} {
		if got := namesOf(t, db, c.query); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.what, got, c.want)
		}
	}
	assertNamesUniquePerUnit(t, db, a, b)
	assertSplitsLogged(t, logged.String(), "机关党委", "书记")

	// Today's import finds the migrated unit's department and people: the
	// county's ledger again, as a new plan of its unit, creates none.
	res, err := importer.Read(bytes.NewReader(readFile(t, "testdata/qinghe-education-2021.csv")), "qinghe.csv", importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := models.NewStore(db, nil).ImportPlan(ctx, models.PlanSpec{Title: "青禾县教育局巡察整改（回头看）", Unit: qinghe},
		res.Rows, models.CLIActor, false)
	if err != nil {
		t.Fatalf("import into the migrated unit: %v", err)
	}
	if sum.NewUnit || sum.NewDepartments != 0 || sum.NewPeople != 0 {
		t.Errorf("import into the migrated %s: new unit %v, %d new departments, %d new people; want none", qinghe,
			sum.NewUnit, sum.NewDepartments, sum.NewPeople)
	}
}

// openRelease returns a database as the release left it, on the engine
// the tests run on.
func openRelease(t *testing.T) (*gorm.DB, dburl.Location) {
	t.Helper()
	ctx := context.Background()
	var loc dburl.Location
	if testdb.Kind() == dburl.SQLite {
		path := filepath.Join(t.TempDir(), "rectibot.db")
		if err := os.WriteFile(path, gunzip(t, "testdata/release-before-units.db.gz"), 0o600); err != nil {
			t.Fatal(err)
		}
		var err error
		if loc, err = dburl.Parse("sqlite:" + path); err != nil {
			t.Fatal(err)
		}
	} else {
		loc = testdb.Location(t)
	}
	db, err := models.Open(ctx, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	if loc.Dialect == dburl.Postgres {
		migrateToRelease(t, db, loc)
		if err := db.Exec(string(gunzip(t, "testdata/release-before-units.pg.sql.gz"))).Error; err != nil {
			t.Fatalf("load the release's rows: %v", err)
		}
	}
	return db, loc
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(readFile(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
