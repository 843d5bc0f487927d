package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/rectibot/rectibot/internal/testdb"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// nameOf is a person's name.
func (e *env) nameOf(t *testing.T, id uint) string {
	t.Helper()
	var p models.Person
	if err := e.db.Take(&p, id).Error; err != nil {
		t.Fatal(err)
	}
	return p.Name
}

// TestLedgerRowsCarryTheOfficesColumns: the closure's day (in the plan's
// zone) and approver, the evidence files and the reason of the deadline's
// change, as the bot recorded them; nothing for an imported closure; in a
// fixed number of statements.
func TestLedgerRowsCarryTheOfficesColumns(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	// 23:30 UTC is 07:30 the next morning in Dongguan.
	e.clock.Set(time.Date(2021, 10, 20, 23, 30, 0, 0, time.UTC))

	task := e.task(t, "8(2)")
	leader, officer := e.personID(t, task.LeaderID), e.personID(t, task.OfficerID)
	leaderName := e.nameOf(t, task.LeaderID)
	for _, p := range []models.NewProgress{
		{TaskID: task.ID, Text: "新补充入库档案20份", Source: models.SourceReply, Attachments: []models.Attachment{
			{Kind: "photo", FileID: "f1", FileUniqueID: "u1", MIMEType: "image/jpeg", Size: 1000},
			{Kind: "document", FileID: "f2", FileUniqueID: "u2", FileName: "档案清单.pdf", MIMEType: "application/pdf", Size: 2000},
		}},
		{TaskID: task.ID, Source: models.SourceReply, Attachments: []models.Attachment{
			{Kind: "photo", FileID: "f3", FileUniqueID: "u3", MIMEType: "image/jpeg", Size: 1000},
		}},
	} {
		if _, err := e.store.AddProgress(ctx, p, officer); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.ChangeDeadline(ctx, task.ID, ledger.MustDate(2021, 12, 31), "需待上级文件出台后修订制度", leader); err != nil {
		t.Fatal(err)
	}
	status := func(code string, to ledger.Status, reason string, actor models.Actor) {
		t.Helper()
		if _, err := e.store.ChangeStatus(ctx, models.StatusChange{TaskID: e.task(t, code).ID, To: to, Reason: reason}, actor); err != nil {
			t.Fatalf("%s → %s: %v", code, to, err)
		}
	}
	status("8(2)", ledger.StatusPendingVerification, "", officer)
	status("8(2)", ledger.StatusClosed, "", leader)
	// 立行立改四: closed by the leader, reopened, closed again at the
	// command line: the last closure had no person to name.
	four := e.task(t, "立行立改四")
	fourLeader := e.personID(t, four.LeaderID)
	status("立行立改四", ledger.StatusPendingVerification, "", fourLeader)
	status("立行立改四", ledger.StatusClosed, "", fourLeader)
	status("立行立改四", ledger.StatusInProgress, "回头看发现合同仍未执行完毕", fourLeader)
	status("立行立改四", ledger.StatusPendingVerification, "", fourLeader)
	status("立行立改四", ledger.StatusClosed, "", models.CLIActor)
	// 6(2) only waits for verification.
	status("6(2)", ledger.StatusPendingVerification, "", officer)

	qc := testdb.CountQueries(t, e.db)
	var rows []models.LedgerRow
	var err error
	if n := qc.Count(func() { rows, err = e.store.LedgerRows(ctx, task.PlanID) }); n != 6 {
		t.Errorf("LedgerRows ran %d statements, want 6 whatever the ledger", n)
	}
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]models.LedgerRow{}
	for _, r := range rows {
		by[r.ProblemCode] = r
	}
	day := ledger.MustDate(2021, 10, 21)
	if r := by["8(2)"]; r.ClosedOn != day || r.ClosedBy != leaderName || r.Evidence != 3 {
		t.Errorf("8(2): closed on %v by %q with %d files, want %v by %s with 3", r.ClosedOn, r.ClosedBy, r.Evidence, day, leaderName)
	}
	wantMove := ledger.DeadlineMove{From: ledger.MustDate(2021, 11, 30), To: ledger.MustDate(2021, 12, 31), ApprovedBy: leaderName, Reason: "需待上级文件出台后修订制度"}
	if r := by["8(2)"]; len(r.DeadlineMoves) != 1 || r.DeadlineMoves[0] != wantMove {
		t.Errorf("8(2) deadline moves %+v, want %+v", r.DeadlineMoves, wantMove)
	}
	if r := by["立行立改四"]; r.ClosedOn != day || r.ClosedBy != "" || r.Evidence != 0 {
		t.Errorf("立行立改四: closed on %v by %q with %d files, want %v by nobody named", r.ClosedOn, r.ClosedBy, r.Evidence, day)
	}
	if r := by["6(2)"]; !r.ClosedOn.IsZero() || r.ClosedBy != "" {
		t.Errorf("6(2), awaiting verification: closed on %v by %q", r.ClosedOn, r.ClosedBy)
	}
	// 立行立改六 was imported as 已销号: its day and approver are unknown.
	if r := by["立行立改六"]; r.Status != ledger.StatusClosed || !r.ClosedOn.IsZero() || r.ClosedBy != "" || r.Evidence != 0 {
		t.Errorf("立行立改六, an imported closure: %s, closed on %v by %q with %d files", r.Status, r.ClosedOn, r.ClosedBy, r.Evidence)
	}
}
