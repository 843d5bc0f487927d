package notice_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
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
	// The plan as stored now: its details may have been set since import.
	plan, err := l.store.FindPlan(ctx, l.plan.Title)
	if err != nil {
		l.t.Fatal(err)
	}
	facts, err := l.store.NoticeFacts(ctx, plan)
	if err != nil {
		l.t.Fatal(err)
	}
	return notice.Build(plan, rows, notice.Extra{Inspection: inspection, NoticeFacts: facts}, asOf)
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

// The seed's facts beyond its ledger: the 巡察时间, the names the report
// goes by, the result figures it reports. The contact is invented (the
// seed's web copy has none).
const (
	dongguanShort   = "市委政法委"
	dongguanSelf    = "我委"
	dongguanContact = "联系电话：0769-12345678；电子邮箱：zhenggai@example.cn"
)

// published imports ledger.csv and sets what the published 通报 says
// beyond it: the 巡察时间 (2020-12-08 to 2021-01-08), the unit's short
// name and self-name, a contact, and the result figures 新建、修订制度19项,
// 追回资金1.44万元 (entered as 12 + 7 rules, so that the sum is tested).
func published(t *testing.T) *ledgerDB {
	t.Helper()
	l := importRows(t, readRows(t, "ledger.csv"))
	ctx := context.Background()
	short, self := dongguanShort, dongguanSelf
	if _, err := l.store.SetUnitNames(ctx, dongguanSpec.Unit, models.UnitNaming{Short: &short, Self: &self}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	from, to, contact := ledger.MustDate(2020, 12, 8), ledger.MustDate(2021, 1, 8), dongguanContact
	if _, err := l.store.SetPlanDetails(ctx, l.plan.Title, models.PlanDetails{InspectedFrom: &from, InspectedTo: &to, Contact: &contact}, models.CLIActor); err != nil {
		t.Fatal(err)
	}
	for _, r := range []models.NewResult{
		{Kind: models.ResultRules, Amount: 1200, Note: "委机关制度"},
		{Kind: models.ResultRules, Amount: 700, Note: "全市政法系统制度"},
		{Kind: models.ResultFunds, Amount: 144, TaskCode: "立行立改三", Note: "多发、重发交通补助和差旅补贴"},
	} {
		r.PlanID = l.plan.ID
		if _, err := l.store.AddResult(ctx, r, models.CLIActor); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// golden compares got with testdata/name byte for byte; -update rewrites
// the file first (then read the diff).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	want, same := readGolden(t, name, got)
	if same {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("differs from testdata/%s at line %d:\n got %q\nwant %q\n(run with -update if the change is intended)", name, i+1, g, w)
		}
	}
}

// readGolden is testdata/name, rewritten with got first under -update, and
// whether it is got byte for byte.
func readGolden(t *testing.T, name string, got []byte) ([]byte, bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	return want, bytes.Equal(got, want)
}

// wellFormedParts fails on any part of a .docx that is not well-formed XML.
func wellFormedParts(t *testing.T, parts map[string][]byte) {
	t.Helper()
	for name, p := range parts {
		if err := wellFormed(p); err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
		}
	}
}
