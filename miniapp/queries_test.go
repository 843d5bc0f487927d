package miniapp_test

import (
	"strconv"
	"testing"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// Each call runs a fixed number of SQL statements, whatever the number of
// tasks, departments, units and entries (loading the caller included: one
// statement, two for a supervisor).
func TestQueriesPerCallAreFixed(t *testing.T) {
	h := newHarness(t)
	h.linkEveryone()
	h.addUnit("青禾县教育局", 30)
	polit, _, _ := h.history()
	qc := testdb.CountQueries(t, h.db)
	task := "tasks/" + strconv.Itoa(int(polit))
	calls := []struct {
		who  int64
		path string
		max  int64
	}{
		{politLeadID, "summary", 6}, {unitAdminID, "summary", 5}, {supervisorID, "summary", 5},
		{politLeadID, "departments", 3}, {supervisorID, "departments", 7},
		{politLeadID, "trends", 3}, {supervisorID, "trends", 4},
		{politLeadID, "overdue", 2}, {supervisorID, "overdue", 3},
		{politLeadID, task, 7}, {supervisorID, task, 8},
	}
	counts := func() []int64 {
		out := make([]int64, len(calls))
		for i, c := range calls {
			out[i] = qc.Count(func() {
				if status, body := h.get(c.who, c.path); status != 200 {
					t.Fatalf("%s: %d %s", c.path, status, body)
				}
			})
		}
		return out
	}
	before := counts()
	// A third unit, more departments, more history on the task.
	h.addUnit("白沙镇人民政府", 60)
	doc := models.Attachment{Kind: "document", FileID: "BQAD-doc", FileUniqueID: "u2", FileName: "清单.pdf", MIMEType: "application/pdf", Size: 4096}
	if _, err := h.store.AddProgress(h.ctx, addProgress(polit, "又补充档案散件8份。", doc, doc), h.as(liuYangID)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.RequestDeadline(h.ctx, polit, ledger.MustDate(2021, 12, 20), "仍需补充", h.as(liuYangID)); err != nil {
		t.Fatal(err)
	}
	after := counts()
	for i, c := range calls {
		t.Logf("%s as %d: %d statements", c.path, c.who, before[i])
		if before[i] > c.max || after[i] != before[i] {
			t.Errorf("%s as %d: %d statements, then %d with more ledger; want at most %d, the same", c.path, c.who, before[i], after[i], c.max)
		}
	}
}
