package models_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// dongguanSpec is the plan metadata the fixture's README suggests.
var dongguanSpec = models.PlanSpec{
	Title: "市委第六巡察组反馈意见整改", Team: "市委第六巡察组", Unit: "中共东莞市委政法委员会",
	FeedbackDate: ledger.MustDate(2021, 4, 25), TimeZone: "Asia/Shanghai", Year: 2021,
}

// reportDay is the date of the published 通报 (2021-09-14, 10:00 in Dongguan).
var reportDay = time.Date(2021, 9, 14, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

type env struct {
	db    *gorm.DB
	store *models.Store
	clock *clock.Manual
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, _ := testdb.Open(t)
	clk := clock.NewManual(reportDay)
	return &env{db: db, store: models.NewStore(db, clk), clock: clk}
}

func readFixture(t *testing.T, name string) []ledger.Row {
	t.Helper()
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, name)), name, importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return res.Rows
}

// importFixture imports name (plan.csv or ledger.csv) as the Dongguan plan.
func (e *env) importFixture(t *testing.T, name string) models.ImportSummary {
	t.Helper()
	sum, err := e.store.ImportPlan(context.Background(), dongguanSpec, readFixture(t, name), models.CLIActor, false)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return sum
}

func (e *env) count(t *testing.T, model any, where ...any) int64 {
	t.Helper()
	var n int64
	q := e.db.Model(model)
	if len(where) > 0 {
		q = q.Where(where[0], where[1:]...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) task(t *testing.T, code string) models.Task {
	t.Helper()
	var task models.Task
	if err := e.db.Where("code = ?", code).Take(&task).Error; err != nil {
		t.Fatalf("task %s: %v", code, err)
	}
	return task
}

// personID is an audit actor for a person of the ledger.
func (e *env) personID(t *testing.T, id uint) models.Actor {
	t.Helper()
	return models.Actor{PersonID: &id, Label: "telegram:" + strconv.FormatUint(uint64(id), 10)}
}
