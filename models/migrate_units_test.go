package models_test

// The units migration (00007–00009) on an installation as the release
// before units (schema version 6) left it. That release matched departments
// and people by name across the whole ledger, so two units' plans shared one
// 办公室 and one 书记; the migration must give each unit its own.

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/models"
)

// releaseVersion is the schema of the release before units.
const releaseVersion = 6

const (
	unitA = "中共东莞市委政法委员会"
	unitB = "青禾县教育局"
)

// TestUnitsMigrationSplitsSharedNames writes, as the release before units
// stored it, two units whose tasks share the department 办公室 and the leader
// 书记, then migrates to the newest schema.
func TestUnitsMigrationSplitsSharedNames(t *testing.T) {
	ctx := context.Background()
	loc := testdb.Location(t)
	db, err := models.Open(ctx, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	migrateToRelease(t, db, loc)
	seedTwoUnits(t, db)
	before := rowCounts(t, db)

	var logged bytes.Buffer
	if err := models.Migrate(ctx, db, loc, slog.New(slog.NewTextHandler(&logged, nil))); err != nil {
		t.Fatalf("migrate the release's database: %v", err)
	}

	assertUnitsWhole(t, db, loc)
	assertCountsKept(t, before, rowCounts(t, db))
	if got := count(t, db, `SELECT count(*) FROM units`); got != 2 {
		t.Errorf("%d units, want 2 (one per plan's unit)", got)
	}
	// The unit imported first keeps the rows; the second gets the copies.
	a, b := unitID(t, db, unitA), unitID(t, db, unitB)
	if a > b {
		t.Errorf("unit %s has id %d after %s's %d: the first plan's unit should come first", unitA, a, unitB, b)
	}

	// 办公室 and 书记 became two each, one per unit, and each unit's tasks
	// point at their own.
	for _, tc := range []struct{ code, unit, dept, leader, officer string }{
		{"A-1", unitA, "办公室", "书记", "张伟"},
		{"A-3", unitA, "办公室", "常务副书记", "张伟"},
		{"B-1", unitB, "办公室", "书记", "李娜"},
		{"B-2", unitB, "人事股", "局长", "陈静"},
		{"B-3", unitB, "办公室", "局长", "李娜"},
	} {
		got := namesOf(t, db, `SELECT d.name || '@' || du.name || ' ' || l.name || '@' || lu.name || ' ' || o.name || '@' || ou.name
			FROM tasks t JOIN departments d ON d.id = t.department_id JOIN units du ON du.id = d.unit_id
			JOIN people l ON l.id = t.leader_id JOIN units lu ON lu.id = l.unit_id
			JOIN people o ON o.id = t.officer_id JOIN units ou ON ou.id = o.unit_id
			WHERE t.code = ?`, tc.code)
		if want := tc.dept + "@" + tc.unit + " " + tc.leader + "@" + tc.unit + " " + tc.officer + "@" + tc.unit; got != want {
			t.Errorf("task %s: department, leader, officer (name@unit) %s, want %s", tc.code, got, want)
		}
	}
	if got := count(t, db, `SELECT count(*) FROM departments WHERE name = '办公室'`); got != 2 {
		t.Errorf("%d departments 办公室, want 2 (one per unit)", got)
	}
	if got := namesOf(t, db, `SELECT u.name FROM departments d JOIN units u ON u.id = d.unit_id WHERE d.name = '档案室'`); got != unitA {
		t.Errorf("档案室, which no task names, went to %q, want the first unit", got)
	}

	// The copy of 书记 has the roles and no Telegram: the account stays with
	// the first, and the second unit's 书记 is invited again.
	type person struct {
		Unit           string
		TelegramUserID *int64
		Roles          int64
	}
	var shuji []person
	err = db.Raw(`SELECT u.name AS unit, pe.telegram_user_id,
			(SELECT count(*) FROM person_roles r WHERE r.person_id = pe.id AND r.role IN ('leader', 'viewer')) AS roles
		FROM people pe JOIN units u ON u.id = pe.unit_id WHERE pe.name = '书记' ORDER BY pe.id`).Scan(&shuji).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(shuji) != 2 || shuji[0].Unit != unitA || shuji[1].Unit != unitB {
		t.Fatalf("书记 after the migration: %+v, want one in %s, then one in %s", shuji, unitA, unitB)
	}
	if shuji[0].TelegramUserID == nil || *shuji[0].TelegramUserID != 7001 || shuji[1].TelegramUserID != nil {
		t.Errorf("Telegram of 书记: %v in %s, %v in %s; want 7001 on the first, none on the copy",
			deref(shuji[0].TelegramUserID), unitA, deref(shuji[1].TelegramUserID), unitB)
	}
	if shuji[0].Roles != 2 || shuji[1].Roles != 2 {
		t.Errorf("roles of 书记 (leader, viewer): %d in %s, %d in %s; want both on each", shuji[0].Roles, unitA, shuji[1].Roles, unitB)
	}

	// Who leads what stays within a unit.
	leads := namesOf(t, db, `SELECT du.name || ':' || d.name || ':' || pe.name FROM department_leaders dl
		JOIN departments d ON d.id = dl.department_id JOIN units du ON du.id = d.unit_id
		JOIN people pe ON pe.id = dl.person_id ORDER BY du.id, d.name, pe.name`)
	want := strings.Join([]string{
		unitA + ":办公室:书记", unitA + ":办公室:常务副书记", unitA + ":政治部:常务副书记",
		unitB + ":人事股:副局长", unitB + ":人事股:局长", unitB + ":办公室:书记", unitB + ":办公室:局长",
	}, ", ")
	if leads != want {
		t.Errorf("department leaders (unit:department:person):\n got %s\nwant %s", leads, want)
	}
	for name, unit := range map[string]string{"李娜": unitB, "张伟": unitA, "副局长": unitB} {
		if got := namesOf(t, db, `SELECT u.name FROM people pe JOIN units u ON u.id = pe.unit_id WHERE pe.name = ?`, name); got != unit {
			t.Errorf("%s is in %q, want %s", name, got, unit)
		}
	}
	if got := count(t, db, `SELECT count(*) FROM people WHERE name = '整改办' AND unit_id IS NULL`); got != 1 {
		t.Errorf("the 整改办 admin, of no task, should stay above the units")
	}
	// A report and a decision of 书记 on the second unit's task are the copy's.
	if got := count(t, db, `SELECT count(*) FROM progress_entries e JOIN tasks t ON t.id = e.task_id JOIN plans p ON p.id = t.plan_id
		JOIN people pe ON pe.id = e.author_id WHERE pe.unit_id <> p.unit_id`); got != 0 {
		t.Errorf("%d progress entries authored by a person of another unit", got)
	}
	if got := count(t, db, `SELECT count(*) FROM deadline_changes c JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id
		JOIN people pe ON pe.id = c.decided_by_id WHERE pe.unit_id <> p.unit_id`); got != 0 {
		t.Errorf("%d deadline changes decided by a person of another unit", got)
	}
	for chat, unit := range map[int64]string{-1001: unitA, -1002: unitB, -1003: ""} {
		if got := namesOf(t, db, `SELECT COALESCE(u.name, '') FROM groups g LEFT JOIN units u ON u.id = g.unit_id WHERE g.chat_id = ?`, chat); got != unit {
			t.Errorf("group %d follows %q, want %q", chat, got, unit)
		}
	}

	assertNamesUniquePerUnit(t, db, a, b)
	assertSplitsLogged(t, logged.String(), "办公室", "书记")
}

// TestUnitsMigrationBeforeAnyPlan: an installation where the office added
// a person with a department (people add) but imported no plan yet still
// migrates; the department goes to an unnamed unit, as an import without
// --unit gives.
func TestUnitsMigrationBeforeAnyPlan(t *testing.T) {
	ctx := context.Background()
	loc := testdb.Location(t)
	db, err := models.Open(ctx, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	migrateToRelease(t, db, loc)
	var dept uint
	if err := db.Raw(`INSERT INTO departments (name) VALUES ('办公室') RETURNING id`).Scan(&dept).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO people (name, department_id, lang, sees_all) VALUES ('张伟', ?, '', false)`, dept).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(ctx, db, loc, nil); err != nil {
		t.Fatalf("migrate a release's database with no plan: %v", err)
	}
	assertUnitsWhole(t, db, loc)
	if got := namesOf(t, db, `SELECT '[' || u.name || ']' FROM people pe JOIN units u ON u.id = pe.unit_id WHERE pe.name = '张伟'`); got != "[]" {
		t.Errorf("张伟 is in unit %s, want the unnamed unit []", got)
	}
}

// TestUnitsMigrationOfOneUnit: in an installation of one unit, the common
// case, every group follows that unit, also one that heard every
// department, rather than becoming the supervisors' group.
func TestUnitsMigrationOfOneUnit(t *testing.T) {
	ctx := context.Background()
	loc := testdb.Location(t)
	db, err := models.Open(ctx, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	migrateToRelease(t, db, loc)
	for _, q := range []string{
		`INSERT INTO plans (title, team, unit, time_zone, year) VALUES ('巡察整改', '市委第一巡察组', '` + unitA + `', 'Asia/Shanghai', 2021)`,
		`INSERT INTO groups (chat_id, title, digests, closures, escalations) VALUES (-1001, '整改群', true, true, true)`,
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := models.Migrate(ctx, db, loc, nil); err != nil {
		t.Fatal(err)
	}
	if got := namesOf(t, db, `SELECT COALESCE(u.name, 'supervisors') FROM groups g LEFT JOIN units u ON u.id = g.unit_id`); got != unitA {
		t.Errorf("the group follows %s, want %s", got, unitA)
	}
}

// migrateToRelease brings a new database to the release's schema only, from
// the same migration files.
func migrateToRelease(t *testing.T, db *gorm.DB, loc dburl.Location) {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if loc.Dialect == dburl.Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	p, err := goose.NewProvider(dialect, sqlDB, os.DirFS(dir), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), releaseVersion); err != nil {
		t.Fatalf("migrate to version %d: %v", releaseVersion, err)
	}
}

// assertNamesUniquePerUnit: a second 政治部 or 张伟 in unit a is refused,
// while unit b, which has none, takes one.
func assertNamesUniquePerUnit(t *testing.T, db *gorm.DB, a, b uint) {
	t.Helper()
	for _, tc := range []struct{ what, query string }{
		{"department 政治部", `INSERT INTO departments (name, unit_id) VALUES ('政治部', ?)`},
		{"person 张伟", `INSERT INTO people (name, unit_id, lang, sees_all) VALUES ('张伟', ?, '', false)`},
	} {
		if err := db.Exec(tc.query, a).Error; err == nil {
			t.Errorf("a second %s in one unit was stored", tc.what)
		}
		if err := db.Exec(tc.query, b).Error; err != nil {
			t.Errorf("%s in another unit: %v", tc.what, err)
		}
	}
}

// assertSplitsLogged: the operator reads in the log which names became two.
func assertSplitsLogged(t *testing.T, log string, department, person string) {
	t.Helper()
	for _, want := range []string{
		"a department named by two units became two", "name=" + department,
		"a person named in two units became two", "name=" + person,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the migration's log does not say %q:\n%s", want, log)
		}
	}
}

func unitID(t *testing.T, db *gorm.DB, name string) uint {
	t.Helper()
	var id uint
	if err := db.Raw(`SELECT id FROM units WHERE name = ?`, name).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("unit %s: id %d, %v", name, id, err)
	}
	return id
}

func count(t *testing.T, db *gorm.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// namesOf joins the query's single text column with ", ".
func namesOf(t *testing.T, db *gorm.DB, query string, args ...any) string {
	t.Helper()
	var names []string
	if err := db.Raw(query, args...).Scan(&names).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return strings.Join(names, ", ")
}

func deref(p *int64) any {
	if p == nil {
		return "none"
	}
	return *p
}
