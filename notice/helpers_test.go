package notice_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
)

// dongguanSpec is the plan metadata the fixture's README suggests.
var dongguanSpec = models.PlanSpec{
	Title: "市委第六巡察组反馈意见整改", Team: "市委第六巡察组", Unit: "中共东莞市委政法委员会",
	FeedbackDate: ledger.MustDate(2021, 4, 25), TimeZone: "Asia/Shanghai", Year: 2021,
}

// reportDay is the date of the published 通报.
var reportDay = ledger.MustDate(2021, 9, 14)

// ledgerDB is a fresh database holding one imported plan.
type ledgerDB struct {
	t     *testing.T
	store *models.Store
	plan  models.Plan
}

// readRows reads a fixture file (plan.csv or ledger.csv) as 台账 rows.
func readRows(t *testing.T, name string) []ledger.Row {
	t.Helper()
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, name)), name, importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return res.Rows
}

// importRows imports rows into a fresh database (PostgreSQL or SQLite, per
// DATABASE_URL).
func importRows(t *testing.T, rows []ledger.Row) *ledgerDB {
	t.Helper()
	db, _ := testdb.Open(t)
	store := models.NewStore(db, clock.NewManual(time.Date(2021, 9, 14, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))))
	ctx := context.Background()
	if _, err := store.ImportPlan(ctx, dongguanSpec, rows, models.CLIActor, false); err != nil {
		t.Fatalf("import: %v", err)
	}
	plan, err := store.FindPlan(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return &ledgerDB{t: t, store: store, plan: plan}
}

// report builds the report the way the command and the bot do.
func (l *ledgerDB) report(asOf ledger.Date, inspection string) notice.Report {
	l.t.Helper()
	ctx := context.Background()
	rows, err := l.store.LedgerRows(ctx, l.plan.ID)
	if err != nil {
		l.t.Fatal(err)
	}
	changes, err := l.store.DeadlineChangesOf(ctx, l.plan.ID)
	if err != nil {
		l.t.Fatal(err)
	}
	return notice.Build(l.plan, rows, notice.Extra{Inspection: inspection, Changes: changes}, asOf)
}

func (l *ledgerDB) taskID(code string) uint {
	l.t.Helper()
	items, err := l.store.TaskItemsByCode(context.Background(), code)
	if err != nil || len(items) != 1 {
		l.t.Fatalf("task %s: %v (%d)", code, err, len(items))
	}
	return items[0].ID
}

// fixtureRecord is a row of ledger.csv as text: code, measures, progress.
type fixtureRecord struct {
	code, category, detail, measures, progress string
}

func fixtureRecords(t *testing.T) []fixtureRecord {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "ledger.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []fixtureRecord
	for _, r := range recs[1:] {
		out = append(out, fixtureRecord{code: r[2], category: r[1], detail: r[4], measures: r[5], progress: r[11]})
	}
	return out
}

// flat removes every kind of white space, so that text can be found however
// a layout broke its lines.
func flat(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == '\f' || r == '\u3000' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}
