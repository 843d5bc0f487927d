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

// 阶段性完成: a long-term (长期坚持) task is never closed, but its leader (or
// an admin; never its own officer) may mark its stage goals met. It stays
// ongoing and its check-ins go on; digests and the 通报 count it as done.
// The card offers the button (sd:<task>), the press asks to confirm
// (sd:<task>:y, or :n), and the confirmation re-checks the person's
// authority and the task as it is now.

// Arguments of the stage-done callback.
const (
	stageAsk     = ""  // sd:<task>    the card's button: ask to confirm
	stageConfirm = "y" // sd:<task>:y  mark it
	stageCancel  = "n" // sd:<task>:n  leave it
)

// stageButtons is the card's 阶段性完成 button, for an ongoing long-term
// task not marked yet, shown to someone who may verify the task.
func stageButtons(r *request, c dbmodels.TaskCard, may func(ledger.Action) bool) []outbound.Button {
	if ledger.CheckStageDone(c.Status, c.LongTerm, c.StageDoneAt != nil) != nil || !may(ledger.ActVerify) {
		return nil
	}
	return []outbound.Button{{Text: "🏁 " + r.t("stage_button", nil), Data: cb(cbStageDone, c.ID, stageAsk)}}
}

// stageDay is the day the card shows for a stage-done mark, in the plan's
// zone; zero when not marked.
func stageDay(c dbmodels.TaskCard) ledger.Date {
	if c.StageDoneAt == nil {
		return ledger.Date{}
	}
	return ledger.DateOf(c.StageDoneAt.In(zone(c.TimeZone)))
}

// onStageDone handles sd:<task>[:y|:n]. Each press re-checks that the person
// may verify the task and that the task, as stored now, may be marked; a
// task that is not long-term, is closed or is marked already is said to be
// so and nothing changes.
func (h *Handler) onStageDone(ctx context.Context, r *request, c callbackData) error {
	if c.ID == 0 || (c.Arg != stageAsk && c.Arg != stageConfirm && c.Arg != stageCancel) {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	if _, ok := h.authorizeTask(ctx, r, c.ID, ledger.ActVerify); !ok {
		return nil
	}
	if c.Arg == stageCancel {
		h.answer(ctx, r, "")
		return h.closeKeyboard(ctx, r, r.t("stage_cancelled", nil))
	}
	card, err := h.d.Store.Card(ctx, c.ID)
	if err != nil {
		h.d.Log.ErrorContext(ctx, "stage done: load task", slog.Uint64("task", uint64(c.ID)), slog.Any("err", err))
		h.answerOrSay(ctx, r, r.t("try_later", nil))
		return nil
	}
	if err := ledger.CheckStageDone(card.Status, card.LongTerm, card.StageDoneAt != nil); err != nil {
		h.answerOrSay(ctx, r, stageRefusal(r, card, err))
		return nil
	}
	if c.Arg == stageAsk {
		h.answer(ctx, r, "")
		kb := outbound.Keyboard{{
			{Text: "🏁 " + r.t("stage_button_yes", nil), Data: cb(cbStageDone, c.ID, stageConfirm)},
			{Text: r.t("stage_button_no", nil), Data: cb(cbStageDone, c.ID, stageCancel)},
		}}
		text := r.t("stage_confirm", map[string]any{"Code": "<b>" + esc(card.Code) + "</b>", "Title": esc(card.Title)})
		_, err := h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb})
		return err
	}
	return h.markStageDone(ctx, r, c.ID)
}

// markStageDone records the mark, tells the officer and closes the
// confirmation with the outcome.
func (h *Handler) markStageDone(ctx context.Context, r *request, taskID uint) error {
	who, err := h.d.Store.TaskContacts(ctx, taskID)
	if err != nil {
		h.d.Log.ErrorContext(ctx, "stage done: contacts", slog.Uint64("task", uint64(taskID)), slog.Any("err", err))
		h.answerOrSay(ctx, r, r.t("try_later", nil))
		return nil
	}
	if _, err := h.d.Store.MarkStageDone(ctx, taskID, r.auditActor()); err != nil {
		text := r.t("try_later", nil)
		var se *ledger.StageDoneError
		if errors.As(err, &se) || errors.Is(err, dbmodels.ErrConflict) {
			// Marked (or changed) by someone else meanwhile: say how it stands.
			if card, lerr := h.d.Store.Card(ctx, taskID); lerr == nil {
				text = stageRefusal(r, card, ledger.CheckStageDone(card.Status, card.LongTerm, card.StageDoneAt != nil))
			}
		} else {
			h.d.Log.ErrorContext(ctx, "stage done", slog.Uint64("task", uint64(taskID)), slog.Any("err", err))
		}
		h.answerOrSay(ctx, r, text)
		return nil
	}
	code := "<b>" + esc(who.Code) + "</b>"
	// The officer's message names the task, so a reply to it is progress
	// at the next check-in.
	told := h.tellOfficer(ctx, who, outbound.KindStageDone, []uint{taskID}, func(loc *render.Localizer) string {
		return loc.T("stage_officer_told", map[string]any{"Code": code, "Title": esc(who.Title), "Who": esc(verifierName(r, loc))})
	})
	h.answer(ctx, r, r.t("stage_done_short", map[string]any{"Code": who.Code}))
	return h.closeKeyboard(ctx, r, "🏁 "+r.t("stage_done", map[string]any{"Code": code})+"\n"+officerToldLine(r, who, told))
}

// stageRefusal says why the task cannot be marked now.
func stageRefusal(r *request, c dbmodels.TaskCard, err error) string {
	var se *ledger.StageDoneError
	if !errors.As(err, &se) {
		return r.t("try_later", nil)
	}
	switch se.Reason {
	case ledger.StageClosed:
		return r.t("stage_refused_closed", nil)
	case ledger.StageNotLongTerm:
		return r.t("stage_refused_not_long_term", nil)
	case ledger.StageAlready:
		return r.t("stage_refused_already", map[string]any{"Date": r.loc.Date(stageDay(c))})
	default:
		return r.t("stage_refused_not_ongoing", map[string]any{"Status": render.StatusName(r.loc, c.Status)})
	}
}
