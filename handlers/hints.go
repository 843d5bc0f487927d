package handlers

import (
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

// cardHint is what a card tells this reader they can do with the task: reply
// with progress when they may report on it as its officer, review it when a
// closure waits for them, nothing otherwise — a leader or an admin is never
// told to reply with progress they are not the ones to give.
func cardHint(r *request, c dbmodels.TaskCard) render.CardHint {
	scope := c.Scope()
	switch {
	case c.Status == ledger.StatusClosed:
		return render.HintNone
	case ledger.AskedToReport(r.actor, &scope):
		return render.HintReply
	case c.Status == ledger.StatusPendingVerification && ledger.Authorize(r.actor, ledger.ActVerify, &scope) == nil:
		return render.HintVerify
	}
	return render.HintNone
}

// noDialogueText answers a message outside any dialogue; only someone who
// reports progress is reminded that replying to a task message does so.
func noDialogueText(r *request) string {
	if r.actor.Has(ledger.RoleOfficer) {
		return r.t("no_dialogue", nil)
	}
	return r.t("no_dialogue_commands", nil)
}
