package handlers

import (
	"context"
	"errors"
	"log/slog"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// onFollowUp answers the scheduler's follow-up review (回头看): "yes, the
// problem came back" reopens the task (audited; the leader and the groups
// that hear of closures are told); "no" is recorded as a review. Only the
// person the question was sent to may answer, once, while it is open.
func (h *Handler) onFollowUp(ctx context.Context, r *request, c callbackData) error {
	if c.Arg != "yes" && c.Arg != "no" {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	if _, ok := h.authorizeTask(ctx, r, c.ID, ledger.ActReportProgress); !ok {
		return nil
	}
	who, err := h.d.Store.TaskContacts(ctx, c.ID)
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	cameBack := c.Arg == "yes"
	person := r.personID()
	if person == nil { // a configured admin without a person is never asked
		h.answer(ctx, r, r.t("followup_not_asked", nil))
		return nil
	}
	if _, err := h.d.Store.RecordFollowUp(ctx, c.ID, *person, cameBack, r.auditActor()); err != nil {
		switch {
		case errors.Is(err, dbmodels.ErrNotClosed):
			h.answer(ctx, r, r.t("followup_already", nil))
			return nil
		case errors.Is(err, dbmodels.ErrNoOpenReview):
			h.answer(ctx, r, r.t("followup_not_asked", nil))
			return nil
		}
		h.d.Log.ErrorContext(ctx, "follow-up", slog.Any("err", err))
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	code := esc(who.Code)
	if !cameBack {
		h.answer(ctx, r, "")
		return h.closeKeyboard(ctx, r, "✅ "+r.t("followup_confirmed", map[string]any{"Code": code}))
	}
	h.answer(ctx, r, "")
	told := func(loc *render.Localizer) string {
		return loc.T("followup_leader_told", map[string]any{"Code": code, "Title": esc(who.Title), "Officer": esc(r.name())})
	}
	if l := who.Leader; l.TelegramID != nil {
		id := l.PersonID
		loc := render.NewLocalizer(langOf(l.Lang, ""))
		if _, err := h.d.Out.Send(ctx, outbound.Message{ChatID: *l.TelegramID, Text: told(loc), Kind: "reopened",
			PersonID: &id, TaskIDs: []uint{c.ID}}); err != nil {
			h.d.Log.WarnContext(ctx, "follow-up: tell leader", slog.Any("err", err))
		}
	}
	h.announce(ctx, "closures", who.DepartmentID, told)
	return h.closeKeyboard(ctx, r, "⚠️ "+r.t("followup_reopened", map[string]any{"Code": code}))
}
