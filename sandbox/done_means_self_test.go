package sandbox_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/dburl"
	"github.com/rectibot/rectibot/importer"
	"github.com/rectibot/rectibot/models"
)

// selfLedCSV is a second plan an office imports into a kept sandbox ledger
// (as `rectibot import` would, with the sandbox's --data folder): one task
// whose 责任领导 is its own 责任人, 黄敏, with no evidence yet.
const selfLedCSV = `序号,问题类别,问题编号,问题,具体问题,整改措施,责任领导,责任科室,责任人,整改时限,整改状态,整改情况
1,基层治理工作有待加强,回1,网格员配备不足,,一是按标准补齐网格员。,黄敏,基层社会治理科,黄敏,2027-03-31,整改中,
`

// importSelfLed imports selfLedCSV into the sandbox ledger kept in dir
// (the sandbox is closed), and returns the import's warnings.
func importSelfLed(t *testing.T, dir string) []string {
	t.Helper()
	ctx := context.Background()
	loc, err := dburl.Parse("sqlite:" + filepath.Join(dir, "rectibot-sandbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(ctx, loc, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = models.Close(db) }()
	res, err := importer.Read(strings.NewReader(selfLedCSV), "回头看.csv", importer.Options{PlanYear: friday.Year()})
	if err != nil {
		t.Fatal(err)
	}
	spec := models.PlanSpec{Title: "市委第六巡察组反馈意见整改回头看", Unit: "中共东莞市委政法委员会",
		TimeZone: models.DefaultTimeZone, Year: friday.Year()}
	sum, err := models.NewStore(db, clock.NewManual(friday)).ImportPlan(ctx, spec, res.Rows, models.CLIActor, false)
	if err != nil {
		t.Fatal(err)
	}
	return sum.Warnings
}

// TestNobodyApprovesTheirOwnClosure: 黄敏 (officer2) becomes the 责任领导
// of a task she is the 责任人 of (a second plan imported into the kept
// ledger). She asks for its closure without evidence, so she is asked why
// none is needed; /verify does not offer it to her, a forged press of its
// approve or confirm button is refused, and the office (the admin)
// approves it.
func TestNobodyApprovesTheirOwnClosure(t *testing.T) {
	dir := t.TempDir()
	sb, _ := startSandbox(t, friday, dir)
	sb.Close()
	warnings := importSelfLed(t, dir)
	if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, "黄敏 is both 责任领导 and 责任人") }) {
		t.Errorf("the import did not warn of 黄敏 leading her own task: %q", warnings)
	}
	_, c := startSandbox(t, friday, dir)
	// Her roles changed: her menu is a leader's too.
	if menu := c.state().Menus["officer2"]; !slices.ContainsFunc(menu, func(m apiCommand) bool { return m.Command == "verify" }) ||
		!slices.ContainsFunc(menu, func(m apiCommand) bool { return m.Command == "report" }) {
		t.Errorf("黄敏's menu as officer and leader: %+v", menu)
	}

	// The closure, asked without a photo or file: the reason first.
	prompt := c.send("officer2", apiOfficer2, "/report 回1")
	if hasButton(prompt, "回1") {
		c.press("officer2", apiOfficer2, prompt, "回1")
	}
	words := c.send("officer2", apiOfficer2, "全部网格已按标准配齐网格员")
	c.press("officer2", apiOfficer2, words, "申请销号")
	mustContain(t, c.last(apiOfficer2), "无需佐证材料的理由")
	const why = "网格员名册已在市网格化平台公示，可直接查询"
	summary := c.send("officer2", apiOfficer2, why)
	mustContain(t, summary, "请确认报送内容", "无需佐证材料的理由："+why)
	c.press("officer2", apiOfficer2, summary, "确认")
	mustContain(t, c.last(apiOfficer2), "已申请销号", "将由督办管理员（或分管该科室的其他领导）核实后销号")

	// Her /verify offers neither this task nor 6(2), her own as well.
	mine := c.send("officer2", apiOfficer2, "/verify")
	if strings.Contains(mine.HTML, "回1") || hasButton(mine, "同意销号") {
		t.Errorf("黄敏's /verify offers her own closure:\n%s\n%+v", mine.HTML, mine.Buttons)
	}
	// The office's does; its button names the task.
	office := c.pageTo("admin", apiAdmin, c.send("admin", apiAdmin, "/verify"), "回1 同意销号")
	mustContain(t, office, "<b>回1</b>", "黄敏", "无需佐证材料的理由："+why)
	// va:<task>:p<page>: the task's id, for the presses she could forge.
	id := strings.Split(buttonData(t, office, "回1 同意销号"), ":")[1]

	// Forged presses on her own chat's message: refused, nothing changes.
	for _, data := range []string{"va:" + id, "vy:" + id} {
		out := c.post("/api/press", map[string]any{"persona": "officer2", "chatId": apiOfficer2, "messageId": mine.ID, "data": data}, 200)
		if answer, _ := out["answer"].(string); !strings.Contains(answer, "没有权限") {
			t.Errorf("黄敏 pressing %s was answered %q", data, answer)
		}
	}
	if strings.Contains(c.message(apiOfficer2, mine.ID).HTML, "确认同意") {
		t.Error("a forged press asked 黄敏 to confirm her own closure")
	}
	card := c.send("officer2", apiOfficer2, "/task 回1")
	mustContain(t, card, "待销号")
	if hasButton(card, "同意销号") {
		t.Errorf("黄敏's card of her own task offers 同意销号: %+v", card.Buttons)
	}

	// The office approves; she is told who did.
	c.decide("admin", apiAdmin, office, "回1 同意销号")
	mustContain(t, c.last(apiOfficer2), "经督办管理员审核", "回1", "已销号")
}

// buttonData is the callback data of m's button whose label holds label.
func buttonData(t *testing.T, m apiMessage, label string) string {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.Data
			}
		}
	}
	t.Fatalf("no button %q on message %d", label, m.ID)
	return ""
}
