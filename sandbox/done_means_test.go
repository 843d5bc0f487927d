package sandbox_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Issue 10's "Done means", played in the sandbox through the HTTP API the
// page uses: 刘洋 asks for a new deadline, the leader sees the request with
// its reason and approves it, and the card and the ledger show both
// deadlines; 周杰 replies with a photo and asks for closure, the leader opens
// /verify, presses 佐证材料, sees the photo and approves; the first
// half-monthly compilation after the import lists only what changed in the
// period. (Nobody approving their own closure is
// TestNobodyApprovesTheirOwnClosure, in done_means_self_test.go.)
func TestDoneMeans(t *testing.T) {
	_, c := startSandbox(t, friday, "")
	old := deadlineRequestedAndApproved(t, c)
	closureSeenAndApproved(t, c)
	firstCompilation(t, c, old)
}

// newDeadline is the one 刘洋 asks for 8(2), months after the sandbox's
// Friday.
const newDeadline = "2027-01-31"

// newDay is newDeadline as the bot writes it to people.
const newDay = "2027年1月31日"

// deadlineRequestedAndApproved: 刘洋 (officer3) asks through /report for a
// new deadline of 8(2), which is 8 working days late; leader2 (政治部主任,
// its leader) approves it from the notification. It returns the original
// deadline.
func deadlineRequestedAndApproved(t *testing.T, c *client) (old string) {
	t.Helper()
	reason := "干部管理制度修订须经委务会审议，会议安排在1月中旬"
	// The leader's /overdue lists 8(2) before.
	mustContain(t, c.send("leader2", apiLeader2, "/overdue"), "8(2)")

	prompt := c.send("officer3", apiOfficer3, "/report 8(2)")
	if hasButton(prompt, "8(2)") {
		c.press("officer3", apiOfficer3, prompt, "8(2)")
		prompt = c.last(apiOfficer3)
	}
	mustContain(t, prompt, "8(2)", "请发送整改进展")
	status := c.send("officer3", apiOfficer3, "干部管理制度修订稿已起草完毕")
	mustContain(t, status, "请选择目前的整改状态")
	c.press("officer3", apiOfficer3, status, "申报新时限")
	mustContain(t, c.last(apiOfficer3), "请回复新的整改时限")
	mustContain(t, c.send("officer3", apiOfficer3, newDeadline), newDay, "调整理由")
	summary := c.send("officer3", apiOfficer3, reason)
	mustContain(t, summary, "请确认报送内容", newDay, reason)
	c.press("officer3", apiOfficer3, summary, "确认报送")
	mustContain(t, c.last(apiOfficer3), "已申请将整改时限调整为"+newDay, "待政治部主任审核", "审核通过前仍按原定时限")

	// leader2 is sent the request: who, both dates, the reason, buttons.
	req := c.last(apiLeader2)
	mustContain(t, req, "📅 延期申请", "<b>8(2)</b>", "刘洋", "申请调整为"+newDay, "理由："+reason)
	m := regexp.MustCompile(`原定时限(\d{4}年\d{1,2}月\d{1,2}日) → 申请调整为`).FindStringSubmatch(req.HTML)
	if m == nil {
		t.Fatalf("the request names no original deadline:\n%s", req.HTML)
	}
	old = m[1]
	if !hasButton(req, "同意延期") || !hasButton(req, "不同意延期") {
		t.Errorf("the request has no buttons to decide it: %+v", req.Buttons)
	}

	// Until it is approved the original deadline stands: the card shows the
	// request pending, and 8(2) is still late.
	pending := c.send("officer3", apiOfficer3, "/task 8(2)")
	mustContain(t, pending, "整改时限："+old, "申请将整改时限调整为"+newDay+"，待审核")
	mustContain(t, c.send("leader2", apiLeader2, "/overdue"), "8(2)")

	// 同意延期, then 确认同意 on the same message.
	if got := c.decide("leader2", apiLeader2, req, "同意延期"); !strings.Contains(got, "已同意 8(2) 延期") {
		t.Errorf("the confirming press was answered %q", got)
	}
	mustContain(t, c.message(apiLeader2, req.ID), "已同意延期：整改时限调整为"+newDay+"（原定"+old)
	mustContain(t, c.last(apiOfficer3), "8(2)", "经政治部主任审核同意", "整改时限调整为"+newDay+"（原定"+old+"）")

	// The card: both deadlines, who approved and why.
	card := c.send("leader2", apiLeader2, "/task 8(2)")
	mustContain(t, card, newDay+"（原定"+old+"）", "时限调整："+old+" → "+newDay+"（政治部主任同意；理由："+reason+"）")
	if strings.Contains(c.send("leader2", apiLeader2, "/overdue").HTML, "8(2)") {
		t.Error("8(2) is still overdue after its new deadline was approved")
	}

	// The ledger (/export): 整改时限 is the new deadline, 备注 says the
	// original and who approved the change.
	c.send("leader2", apiLeader2, "/export")
	doc := c.last(apiLeader2)
	if doc.Document == nil || !strings.HasSuffix(doc.Document.Name, ".xlsx") {
		t.Fatalf("/export sent no .xlsx: %+v", doc)
	}
	row := ledgerRow(t, c.file(doc), "8(2)")
	if row["整改时限"] != newDeadline || !strings.Contains(row["备注"], "原定时限 "+old) ||
		!strings.Contains(row["备注"], "经政治部主任同意调整为 "+newDay) {
		t.Errorf("the exported ledger's 8(2): 整改时限 %q, 备注 %q; want %s, and %s as the original with who approved",
			row["整改时限"], row["备注"], newDeadline, old)
	}
	return old
}

// ledgerRow is the exported ledger's row of task code, by column header.
func ledgerRow(t *testing.T, xlsx []byte, code string) map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer func() { _ = f.Close() }()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	header := -1
	for i, r := range rows {
		if slices.Contains(r, "问题编号") {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatalf("the export has no header row: %v", rows[:min(3, len(rows))])
	}
	col := slices.Index(rows[header], "问题编号")
	for _, r := range rows[header+1:] {
		if col < len(r) && r[col] == code {
			out := map[string]string{}
			for i, h := range rows[header] {
				if i < len(r) {
					out[h] = r[i]
				}
			}
			return out
		}
	}
	t.Fatalf("the export has no row %s", code)
	return nil
}

// closureSeenAndApproved: 周杰 replies to his reminder with a photo and
// asks for closure of 立行立改四; leader1 opens /verify, presses 佐证材料,
// is sent the photo itself, and approves.
func closureSeenAndApproved(t *testing.T, c *client) {
	t.Helper()
	askClosureWithPhotoWords(t, c, "最后一份合同已执行完毕", "contract.png", pngBytes, "专项资金已全部清理，整改措施均已落实")
	// The photo is the evidence: no reason for its absence is asked.
	summary := c.last(apiOfficer1)
	mustContain(t, summary, "请确认报送内容")
	if strings.Contains(summary.HTML, "无需佐证材料") {
		t.Errorf("a closure with a photo is asked why it has none:\n%s", summary.HTML)
	}
	c.press("officer1", apiOfficer1, summary, "确认")
	mustContain(t, c.last(apiOfficer1), "已申请销号")

	// /verify: the latest report whole, who wrote it, and a 佐证材料 button.
	list := c.pageTo("leader1", apiLeader1, c.send("leader1", apiLeader1, "/verify"), "立行立改四 佐证材料")
	mustContain(t, list, "<b>立行立改四</b>", "周杰）", "专项资金已全部清理，整改措施均已落实")
	before := len(c.messages(apiLeader1))
	c.press("leader1", apiLeader1, list, "立行立改四 佐证材料")
	sent := c.messages(apiLeader1)[before:]
	var photos []apiMessage
	var texts []string
	for _, m := range sent {
		if m.From != "bot" {
			continue
		}
		if m.Photo {
			photos = append(photos, m)
		}
		texts = append(texts, m.HTML)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"最新进展全文", "专项资金已全部清理", "佐证材料：1 个文件", "最后一份合同已执行完毕"} {
		if !strings.Contains(all, want) {
			t.Errorf("佐证材料 sent leader1 no %q:\n%s", want, all)
		}
	}
	if len(photos) != 1 {
		t.Fatalf("佐证材料 sent leader1 %d photos, want 周杰's one: %+v", len(photos), sent)
	}
	if got := c.file(photos[0]); !bytes.Equal(got, pngBytes) {
		t.Errorf("the photo leader1 sees is not the one 周杰 sent (%d bytes)", len(got))
	}

	// 同意销号, then 确认同意.
	if got := c.decide("leader1", apiLeader1, list, "立行立改四 同意销号"); !strings.Contains(got, "已同意 立行立改四 销号") {
		t.Errorf("the confirming press was answered %q", got)
	}
	mustContain(t, c.last(apiOfficer1), "立行立改四", "已销号")
	mustContain(t, c.last(apiGroup), "【销号通报】", "立行立改四")
}

// firstCompilation: the half-monthly digest day comes; its compilation
// (半月梳理汇总) in the group lists the closure and the deadline change of
// this session, not the 20 tasks the import brought in closed.
func firstCompilation(t *testing.T, c *client, old string) {
	t.Helper()
	before := len(c.messages(apiGroup))
	c.post("/api/clock", map[string]any{"action": "digest"}, 200)
	var got []string
	for _, m := range c.messages(apiGroup)[before:] {
		if m.From == "bot" {
			got = append(got, m.HTML)
		}
	}
	text := strings.Join(got, "\n")
	i := strings.Index(text, "半月梳理汇总")
	if i < 0 {
		t.Fatalf("no compilation in the group on the digest day:\n%s", text)
	}
	comp := text[i:]
	for _, want := range []string{"新销号 1 项", "立行立改四", "调整整改时限 1 项", "8(2)", old + " → " + newDay} {
		if !strings.Contains(comp, want) {
			t.Errorf("the compilation lacks %q:\n%s", want, comp)
		}
	}
	// The imported closures (20 in the seed) are none of them new: the
	// list of new closures holds this session's one.
	_, closed, _ := strings.Cut(comp, "新销号")
	closed, _, _ = strings.Cut(closed, "新报送进展")
	if n := strings.Count(closed, "✅ "); n != 1 {
		t.Errorf("the compilation lists %d new closures, want 1 (立行立改四):\n%s", n, closed)
	}
}
