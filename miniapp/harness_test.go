package miniapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/internal/fixture"
	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/miniapp"
	"github.com/rectibot/rectibot/models"
)

const token = "123456:AAbbccddeeffgghhiijjkkllmmnnooppqq"

// Telegram ids of the people the tests link (the Dongguan fixture's names).
const (
	installAdminID = 9001 // configured (Deps.Admins), no person
	unitAdminID    = 9002 // 督办办: admin of 市委政法委
	viewerID       = 3001
	supervisorID   = 4001 // 巡察办: every unit
	limitedSupID   = 4002 // 巡察组: 市委政法委 only
	politLeadID    = 2002 // 政治部主任: leads 政治部 and 宣传教育科
	socialLeadID   = 2001 // 分管社会治理副书记: leads 基层社会治理科 and 信息化和网格管理指导科
	liuYangID      = 1003 // officer, 政治部 (4, 8(1), 8(2))
	zhouJieID      = 1001 // officer, 信息化和网格管理指导科 (6(3), 11(2), 立行立改四)
	strangerID     = 6666
)

var cst = time.FixedZone("CST", 8*3600)

// importDay is when the ledger was imported (the 通报's date); asOf is the
// tests' "now": 立行立改四 (due 10-31) is 25 days late, 8(2) (due 11-30)
// within the yellow week.
var (
	importDay = time.Date(2021, 9, 14, 10, 0, 0, 0, cst)
	asOf      = time.Date(2021, 11, 25, 10, 0, 0, 0, cst)
)

const dongguanUnit = "中共东莞市委政法委员会"

// harness is the Mini App over HTTP on a fresh database (PostgreSQL or
// SQLite, per DATABASE_URL) holding the Dongguan ledger.
type harness struct {
	t      testing.TB
	ctx    context.Context
	db     *gorm.DB
	store  *models.Store
	clock  *clock.Manual
	srv    *httptest.Server
	planID uint
	people map[int64]uint // Telegram id → person
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessWith(t, nil)
}

// newHarnessWith lets set fill in more of the Mini App's dependencies (a
// file fetcher, a decider) before it is built.
func newHarnessWith(t testing.TB, set func(*miniapp.Deps)) *harness {
	t.Helper()
	ctx := context.Background()
	db, _ := testdb.Open(t)
	clk := clock.NewManual(importDay)
	store := models.NewStore(db, clk)
	res, err := importer.Read(bytes.NewReader(fixture.Bytes(t, fixture.Dongguan, "ledger.csv")), "ledger.csv", importer.Options{PlanYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := store.ImportPlan(ctx, models.PlanSpec{Title: "市委第六巡察组反馈意见整改", Team: "市委第六巡察组",
		Unit: dongguanUnit, UnitShort: "市委政法委", FeedbackDate: ledger.MustDate(2021, 4, 25), TimeZone: "Asia/Shanghai", Year: 2021},
		res.Rows, models.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(asOf)
	deps := miniapp.Deps{Store: store, Token: token, Clock: clk, Zone: cst, Light: ledger.DefaultLightThresholds,
		Admins: []int64{installAdminID}, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}
	if set != nil {
		set(&deps)
	}
	app := miniapp.New(deps)
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	return &harness{t: t, ctx: ctx, db: db, store: store, clock: clk, srv: srv, planID: sum.PlanID, people: map[int64]uint{}}
}

// link makes a person of the ledger a Telegram user the way a real one
// becomes one: an invite, redeemed.
func (h *harness) link(name string, tgID int64, role ledger.Role) uint {
	h.t.Helper()
	code, _, err := h.store.CreateInvite(h.ctx, models.PersonRef{Name: name, Unit: h.unitOf(name)}, role, time.Hour, models.CLIActor)
	if err != nil {
		h.t.Fatalf("invite %s: %v", name, err)
	}
	p, err := h.store.RedeemInvite(h.ctx, code, tgID)
	if err != nil {
		h.t.Fatalf("link %s: %v", name, err)
	}
	h.people[tgID] = p.ID
	return p.ID
}

// unitOf is the unit to name a person by: only the Dongguan people are
// ambiguous once a second unit exists, and only by coincidence.
func (h *harness) unitOf(name string) string {
	var n int64
	h.store.DB().Model(&models.Person{}).Where("name = ?", name).Count(&n)
	if n > 1 {
		return dongguanUnit
	}
	return ""
}

// add creates a person no import names and links them.
func (h *harness) add(np models.NewPerson, tgID int64) uint {
	h.t.Helper()
	if _, err := h.store.AddPerson(h.ctx, np, models.CLIActor); err != nil {
		h.t.Fatalf("add %s: %v", np.Name, err)
	}
	return h.link(np.Name, tgID, np.Role)
}

// linkEveryone links the people the scope tests use.
func (h *harness) linkEveryone() {
	h.t.Helper()
	h.add(models.NewPerson{Name: "督办办", Role: ledger.RoleAdmin, Unit: dongguanUnit}, unitAdminID)
	h.add(models.NewPerson{Name: "观察员", Role: ledger.RoleViewer, Unit: dongguanUnit}, viewerID)
	h.add(models.NewPerson{Name: "巡察办", Role: ledger.RoleSupervisor}, supervisorID)
	h.add(models.NewPerson{Name: "第六巡察组", Role: ledger.RoleSupervisor, Supervises: []string{"市委政法委"}}, limitedSupID)
	h.link("政治部主任", politLeadID, ledger.RoleLeader)
	h.link("分管社会治理副书记", socialLeadID, ledger.RoleLeader)
	h.link("刘洋", liuYangID, ledger.RoleOfficer)
	h.link("周杰", zhouJieID, ledger.RoleOfficer)
}

// addUnit imports another unit's generated ledger and returns its rows
// and plan.
func (h *harness) addUnit(unit string, tasks int) ([]ledger.Row, uint) {
	h.t.Helper()
	rows := ledgergen.Generate(ledgergen.Spec{Tasks: tasks, Departments: 4, Categories: 2, AsOf: ledger.DateOf(asOf)})
	sum, err := h.store.ImportPlan(h.ctx, models.PlanSpec{Title: unit + "反馈意见整改", Team: "县委第二巡察组",
		Unit: unit, FeedbackDate: ledger.MustDate(2021, 8, 1), TimeZone: "Asia/Shanghai", Year: 2021}, rows, models.CLIActor, false)
	if err != nil {
		h.t.Fatal(err)
	}
	return rows, sum.PlanID
}

// taskID is the id of the Dongguan task with the code.
func (h *harness) taskID(code string) uint {
	h.t.Helper()
	items, err := h.store.TaskItemsByCode(h.ctx, code)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, it := range items {
		if it.PlanID == h.planID {
			return it.ID
		}
	}
	h.t.Fatalf("no task %s", code)
	return 0
}

// initData is what Telegram signs for the user now.
func (h *harness) initData(tgID int64, lang string) string {
	return miniapp.SignUser(tgID, "user", lang, h.clock.Now(), token)
}

// get calls the API as the Telegram user, in Chinese.
func (h *harness) get(tgID int64, path string) (int, []byte) {
	h.t.Helper()
	return h.call(path, "tma "+h.initData(tgID, "zh-hans"), nil)
}

// call sends a GET with an Authorization header and more headers.
func (h *harness) call(path, auth string, headers map[string]string) (int, []byte) {
	h.t.Helper()
	return h.send(http.MethodGet, path, auth, "", headers)
}

// send calls the API with a method, an Authorization header, a JSON body
// and more headers; it returns the status and the body.
func (h *harness) send(method, path, auth, body string, headers map[string]string) (int, []byte) {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(h.ctx, method, h.srv.URL+miniapp.Path+"api/"+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// getJSON calls the API, expects 200 and decodes the answer into v.
func getJSON[T any](h *harness, tgID int64, path string) T {
	h.t.Helper()
	var v T
	status, body := h.get(tgID, path)
	if status != http.StatusOK {
		h.t.Fatalf("GET %s as %d: %d %s", path, tgID, status, body)
	}
	if err := json.Unmarshal(body, &v); err != nil {
		h.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	return v
}

// as is the linked person acting in the ledger (to set up history).
func (h *harness) as(tgID int64) models.Actor {
	h.t.Helper()
	id, ok := h.people[tgID]
	if !ok {
		h.t.Fatalf("%d is not linked", tgID)
	}
	return models.Actor{PersonID: &id, Label: "telegram:" + strconv.FormatInt(tgID, 10)}
}
