package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// TestDeadlineRequestWaitsForItsApprover: an officer's new deadline is a
// request; the task keeps its deadline until a leader approves, a second
// request replaces the first, nobody decides their own request, a
// rejection needs a reason, and a request is decided once.
func TestDeadlineRequestWaitsForItsApprover(t *testing.T) {
	e := newEnv(t)
	e.importFixture(t, "ledger.csv")
	ctx := context.Background()
	task := e.task(t, "立行立改四")
	asker := e.personID(t, task.OfficerID)
	leader := e.personID(t, task.LeaderID)

	if _, err := e.store.RequestDeadline(ctx, task.ID, ledger.MustDate(2021, 12, 31), " ", asker); !errors.Is(err, models.ErrReasonRequired) {
		t.Errorf("request without a reason: %v", err)
	}
	first, err := e.store.RequestDeadline(ctx, task.ID, ledger.MustDate(2021, 11, 30), "排期推迟", asker)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.store.RequestDeadline(ctx, task.ID, ledger.MustDate(2021, 12, 31), "出版社排期再推迟", asker)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.task(t, "立行立改四").Deadline.String(); got != "2021-10-31" {
		t.Fatalf("a request moved the deadline to %s before anyone approved it", got)
	}
	open, ok, err := e.store.PendingDeadline(ctx, task.ID)
	if err != nil || !ok || open.ID != second.ID || open.Reason != "出版社排期再推迟" || open.RequestedBy == "" {
		t.Fatalf("open request: %+v %v %v, want the second one with its asker", open, ok, err)
	}
	if _, err := e.store.DecideDeadline(ctx, models.DeadlineDecision{RequestID: first.ID, Approve: true}, leader); !errors.Is(err, models.ErrConflict) {
		t.Errorf("approving the replaced request: %v, want ErrConflict", err)
	}
	if _, err := e.store.DecideDeadline(ctx, models.DeadlineDecision{RequestID: second.ID, Approve: true}, asker); !errors.Is(err, models.ErrOwnRequest) {
		t.Errorf("approving one's own request: %v, want ErrOwnRequest", err)
	}
	if _, err := e.store.DecideDeadline(ctx, models.DeadlineDecision{RequestID: second.ID}, leader); !errors.Is(err, models.ErrReasonRequired) {
		t.Errorf("rejecting without a reason: %v", err)
	}
	if _, err := e.store.DecideDeadline(ctx, models.DeadlineDecision{RequestID: second.ID, Approve: true}, leader); err != nil {
		t.Fatal(err)
	}
	got := e.task(t, "立行立改四")
	if got.Deadline.String() != "2021-12-31" || got.OriginalDeadline.String() != "2021-10-31" {
		t.Errorf("after approval: deadline %s, original %s", got.Deadline, got.OriginalDeadline)
	}
	if _, err := e.store.DecideDeadline(ctx, models.DeadlineDecision{RequestID: second.ID, Reason: "晚了"}, leader); !errors.Is(err, models.ErrConflict) {
		t.Errorf("deciding twice: %v, want ErrConflict", err)
	}
	hist, err := e.store.DeadlineHistory(ctx, task.ID)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history: %+v %v, want the one approved change", hist, err)
	}
	if h := hist[0]; h.OldDeadline.String() != "2021-10-31" || h.NewDeadline.String() != "2021-12-31" || h.RequestedBy == "" || h.ApprovedBy == "" || h.RequestedBy == h.ApprovedBy {
		t.Errorf("history entry: %+v", h)
	}

	// A rejection leaves the deadline and records why.
	third, err := e.store.RequestDeadline(ctx, task.ID, ledger.MustDate(2022, 3, 31), "再延期", asker)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.DecideDeadline(ctx, models.DeadlineDecision{RequestID: third.ID, Reason: "不同意再延期"}, leader); err != nil {
		t.Fatal(err)
	}
	if got := e.task(t, "立行立改四").Deadline.String(); got != "2021-12-31" {
		t.Errorf("a rejected request moved the deadline to %s", got)
	}
	if _, ok, _ := e.store.PendingDeadline(ctx, task.ID); ok {
		t.Error("a rejected request is still open")
	}
	// Long-term and closed tasks take no request.
	if _, err := e.store.RequestDeadline(ctx, e.task(t, "10").ID, ledger.MustDate(2022, 1, 1), "x", asker); !errors.Is(err, models.ErrLongTerm) {
		t.Errorf("request on a long-term task: %v", err)
	}
	if _, err := e.store.RequestDeadline(ctx, e.task(t, "1").ID, ledger.MustDate(2022, 1, 1), "x", asker); !errors.Is(err, models.ErrTaskClosed) {
		t.Errorf("request on a closed task: %v", err)
	}
}
