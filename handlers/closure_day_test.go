package handlers_test

import (
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// closeToday closes again, through the ledger's status machine, a task the
// import closed: an imported closure has no closure day (the ledger does
// not say when), so only a closure made today gives it one, and with it a
// follow-up review (回头看) 90 days on.
func (h *harness) closeToday(code string) {
	h.t.Helper()
	for _, ch := range []dbmodels.StatusChange{{To: ledger.StatusInProgress, Reason: "补充验收材料"},
		{To: ledger.StatusPendingVerification}, {To: ledger.StatusClosed}} {
		ch.TaskID = h.taskID(code)
		if _, err := h.store.ChangeStatus(h.ctx, ch, dbmodels.CLIActor); err != nil {
			h.t.Fatalf("closing %s again: %v", code, err)
		}
	}
}
