package handlers

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/session"
)

// askConfirm turns the pressed message into a question: the decision is
// taken only on the second press (yes), and back redraws what was there.
// The message is drawn afresh, question first: the /verify page for a press
// there, else the task card (a notification becomes the card, which shows
// the request too).
func (h *Handler) askConfirm(ctx context.Context, r *request, question string, yes outbound.Button, page int, fromList bool, taskID uint) error {
	back := cb(cbBackToCard, taskID, "")
	var text string
	var err error
	if fromList {
		back = cb(cbApprove, 0, verifyPageArg(page))
		text, _, err = h.verifyPage(ctx, r, page, "❓ "+question)
	} else {
		text, _, err = h.cardWithOutcome(ctx, r, taskID, "❓ "+question)
	}
	if err != nil {
		h.d.Log.WarnContext(ctx, "confirm: redraw", slog.Uint64("task", uint64(taskID)), slog.Any("err", err))
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	h.answer(ctx, r, "")
	return h.edit(ctx, r, text, outbound.Keyboard{{yes, {Text: "✖ " + r.t("button_back", nil), Data: back}}})
}

// onBackToCard (vc:<task>) answers "back" on a question asked on a card or
// a notification: the message becomes the task's card as it is now.
func (h *Handler) onBackToCard(ctx context.Context, r *request, c callbackData) error {
	if _, ok := h.authorizeTask(ctx, r, c.ID, ledger.ActViewTask); !ok {
		return nil
	}
	text, kb, err := h.cardWithOutcome(ctx, r, c.ID, "")
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	h.answer(ctx, r, "")
	return h.edit(ctx, r, text, kb)
}

// onDeadlineApprove (da:<request>[:p<page>]) asks to confirm an approval.
func (h *Handler) onDeadlineApprove(ctx context.Context, r *request, c callbackData) error {
	page, fromList := verifyListPage(c.Arg)
	req, ok := h.decidableRequest(ctx, r, c.ID)
	if !ok {
		return nil
	}
	q := r.t("deadline_confirm", map[string]any{"Code": esc(req.Task.Code), "Old": r.loc.Date(req.OldDeadline), "New": r.loc.Date(req.NewDeadline)})
	yes := outbound.Button{Text: "✅ " + r.t("button_confirm_approve", nil), Data: cb(cbDeadlineConfirm, req.ID, c.Arg)}
	return h.askConfirm(ctx, r, q, yes, page, fromList, req.Task.ID)
}

// onDeadlineConfirm (dy:<request>[:p<page>]) approves: the task's deadline
// moves, the officer is told, and the pressed message is redrawn.
func (h *Handler) onDeadlineConfirm(ctx context.Context, r *request, c callbackData) error {
	page, fromList := verifyListPage(c.Arg)
	req, ok := h.decidableRequest(ctx, r, c.ID)
	if !ok {
		return nil
	}
	told, err := h.approveDeadline(ctx, r, req)
	if err != nil {
		h.deadlineDecisionFailed(ctx, r, err)
		return nil
	}
	h.answer(ctx, r, r.t("deadline_approved_short", map[string]any{"Code": req.Task.Code}))
	data := map[string]any{"Code": "<b>" + esc(req.Task.Code) + "</b>", "Title": esc(req.Task.Title),
		"Old": r.loc.Date(req.OldDeadline), "New": r.loc.Date(req.NewDeadline), "Who": esc(verifierName(r, r.loc))}
	outcome := "📅 <b>" + esc(req.Task.Code) + "</b> " + r.t("deadline_approved", data) + "\n" + requesterToldLine(r, req, told)
	h.redrawDecided(ctx, r, r.msg.ID, page, fromList, req.Task.ID, outcome)
	return nil
}

// approveDeadline moves the task's deadline as asked (checked by the
// caller) and tells the officer; told is whether they heard.
func (h *Handler) approveDeadline(ctx context.Context, r *request, req dbmodels.DeadlineRequest) (told bool, err error) {
	if _, err := h.d.Store.DecideDeadline(ctx, dbmodels.DeadlineDecision{RequestID: req.ID, Approve: true}, r.auditActor()); err != nil {
		return false, err
	}
	data := func(loc *render.Localizer) map[string]any {
		return map[string]any{"Code": "<b>" + esc(req.Task.Code) + "</b>", "Title": esc(req.Task.Title),
			"Old": loc.Date(req.OldDeadline), "New": loc.Date(req.NewDeadline), "Who": esc(verifierName(r, loc))}
	}
	return h.tellRequester(ctx, req, outbound.KindDeadlineApproved, func(loc *render.Localizer) string {
		return "📅 " + loc.T("deadline_officer_approved", data(loc))
	}), nil
}

// onDeadlineReject (dr:<request>[:p<page>]) asks why the new deadline is
// refused; the next text is the reason (deadlineRejectInput).
func (h *Handler) onDeadlineReject(ctx context.Context, r *request, c callbackData) error {
	page, fromList := verifyListPage(c.Arg)
	req, ok := h.decidableRequest(ctx, r, c.ID)
	if !ok {
		return nil
	}
	st := session.State{Dialogue: dlgDeadlineReject, TaskID: req.Task.ID,
		Data: map[string]string{"msg": strconv.Itoa(r.msg.ID), "request": strconv.FormatUint(uint64(req.ID), 10)}}
	if fromList {
		st.Data["page"] = strconv.Itoa(page)
	}
	if err := h.startDialogue(ctx, r, st); err != nil {
		h.answer(ctx, r, "")
		return h.sessionDown(ctx, r, err)
	}
	h.answer(ctx, r, "")
	return h.say(ctx, r, r.t("deadline_reject_ask", map[string]any{"Code": "<b>" + esc(req.Task.Code) + "</b>", "Who": esc(requesterName(r.loc, req))}))
}

// deadlineRejectInput takes the reason of a refusal: the deadline stays,
// and the officer is told why.
func (h *Handler) deadlineRejectInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
	reason := strings.TrimSpace(m.Text)
	if reason == "" {
		reason = strings.TrimSpace(m.Caption)
	}
	switch {
	case reason == "":
		return h.say(ctx, r, r.t("verify_reason_empty", nil))
	case utf8.RuneCountInString(reason) > maxReasonRunes:
		return h.say(ctx, r, r.t("verify_reason_too_long", map[string]any{"Max": maxReasonRunes}))
	}
	id, err := strconv.ParseUint(st.Data["request"], 10, 64)
	if err != nil {
		h.endDialogue(ctx, r)
		return h.say(ctx, r, r.t("deadline_already", nil))
	}
	req, ok := h.decidableRequest(ctx, r, uint(id))
	if !ok {
		h.endDialogue(ctx, r)
		return nil
	}
	told, err := h.rejectDeadline(ctx, r, req, reason)
	if err != nil {
		if !decidedMeanwhile(err) && !isDeadlineRefusal(err) {
			return h.fail(ctx, r, err) // the dialogue stays: sending the reason again retries
		}
		h.endDialogue(ctx, r)
		h.deadlineDecisionFailed(ctx, r, err)
		return nil
	}
	h.endDialogue(ctx, r)
	data := map[string]any{"Code": "<b>" + esc(req.Task.Code) + "</b>", "Title": esc(req.Task.Title),
		"Old": r.loc.Date(req.OldDeadline), "Reason": esc(reason), "Who": esc(verifierName(r, r.loc))}
	outcome := "↩️ <b>" + esc(req.Task.Code) + "</b> " + r.t("deadline_rejected", data)
	if msgID, err := strconv.Atoi(st.Data["msg"]); err == nil {
		page, err := strconv.Atoi(st.Data["page"])
		h.redrawDecided(ctx, r, msgID, page, err == nil, req.Task.ID, outcome)
	}
	return h.say(ctx, r, outcome+"\n"+requesterToldLine(r, req, told))
}

// rejectDeadline refuses the new deadline with the reason: the deadline
// stays, and the officer is told why.
func (h *Handler) rejectDeadline(ctx context.Context, r *request, req dbmodels.DeadlineRequest, reason string) (told bool, err error) {
	if _, err := h.d.Store.DecideDeadline(ctx, dbmodels.DeadlineDecision{RequestID: req.ID, Reason: reason}, r.auditActor()); err != nil {
		return false, err
	}
	data := func(loc *render.Localizer) map[string]any {
		return map[string]any{"Code": "<b>" + esc(req.Task.Code) + "</b>", "Title": esc(req.Task.Title),
			"Old": loc.Date(req.OldDeadline), "Reason": esc(reason), "Who": esc(verifierName(r, loc))}
	}
	return h.tellRequester(ctx, req, outbound.KindDeadlineRejected, func(loc *render.Localizer) string {
		return "↩️ " + loc.T("deadline_officer_rejected", data(loc))
	}), nil
}

// isDeadlineRefusal: the decision was refused for good (not a passing
// failure to retry).
func isDeadlineRefusal(err error) bool {
	for _, e := range []error{dbmodels.ErrOwnRequest, dbmodels.ErrTaskClosed, dbmodels.ErrLongTerm, dbmodels.ErrNotFound} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// tellRequester tells the task's officer (who asked) of the decision; the
// message names the task, so a reply to it is progress.
func (h *Handler) tellRequester(ctx context.Context, req dbmodels.DeadlineRequest, kind outbound.Kind, text func(*render.Localizer) string) bool {
	who, err := h.d.Store.TaskContacts(ctx, req.Task.ID)
	if err != nil {
		return false
	}
	return h.tellOfficer(ctx, who, kind, []uint{req.Task.ID}, text)
}

func requesterToldLine(r *request, req dbmodels.DeadlineRequest, told bool) string {
	key := "deadline_requester_unreached"
	if told {
		key = "deadline_requester_told"
	}
	return r.t(key, map[string]any{"Who": esc(requesterName(r.loc, req))})
}
