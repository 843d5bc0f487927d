package handlers_test

import (
	"testing"

	"github.com/rectibot/rectibot/internal/ledgergen"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// TestLongAnswersArePagedUnderTelegramsLimit: a ledger of 800 tasks in 120
// departments makes /digest, /overdue and /tasks far longer than one
// message; every message must be one Telegram accepts (the fake refuses
// anything over 4096 characters after entity parsing), and nothing is lost.
func TestLongAnswersArePagedUnderTelegramsLimit(t *testing.T) {
	h := newHarness(t)
	rows := ledgergen.Generate(ledgergen.Spec{Tasks: 800, Departments: 120, Categories: 10, AsOf: ledger.DateOf(day)})
	if _, err := h.store.ImportPlan(h.ctx, dbmodels.PlanSpec{Title: "大台账", Year: 2021}, rows, dbmodels.CLIActor, false); err != nil {
		t.Fatal(err)
	}
	before := len(h.fake.Messages(adminID))
	h.say(adminID, "/digest")
	digest := h.fake.Messages(adminID)[before:]
	if len(digest) < 2 {
		t.Fatalf("the digest of 825 tasks came in %d message(s)", len(digest))
	}
	before = len(h.fake.Messages(adminID))
	h.say(adminID, "/overdue")
	overdue := h.fake.Messages(adminID)[before:]
	if len(overdue) < 2 {
		t.Errorf("the overdue list came in %d message(s)", len(overdue))
	}
	list := h.say(adminID, "/tasks")
	contains(t, list, "第 1/")
	h.noRejections()
}
