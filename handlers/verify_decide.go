package handlers

import (
	"context"
	"errors"
	"fmt"
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

// maxReasonRunes bounds a rejection reason (ledger.MaxReasonRunes).
const maxReasonRunes = ledger.MaxReasonRunes

// onApprove asks to confirm a closure (va:<task>[:p<page>]), or turns the
// page of /verify (va:0:p<page>). The callback names the task only: the
// person's authority is checked against the task as stored now.
func (h *Handler) onApprove(ctx context.Context, r *request, c callbackData) error {
	page, fromList := verifyListPage(c.Arg)
	if c.ID == 0 {
		if !fromList {
			h.answer(ctx, r, r.t("button_unknown", nil))
			return nil
		}
		return h.onVerifyPage(ctx, r, page)
	}
	it, ok := h.pendingClosure(ctx, r, c.ID)
	if !ok {
		return nil
	}
	q := r.t("verify_confirm", map[string]any{"Code": esc(it.Code)})
	yes := outbound.Button{Text: "✅ " + r.t("button_confirm_approve", nil), Data: cb(cbVerifyConfirm, c.ID, c.Arg)}
	return h.askConfirm(ctx, r, q, yes, page, fromList, c.ID)
}

// pendingClosure checks, now, that the person may sign the task off and
// that it still waits for it; when not, it answers the press and returns false.
func (h *Handler) pendingClosure(ctx context.Context, r *request, taskID uint) (dbmodels.TaskItem, bool) {
	it, err := h.checkClosure(ctx, r, taskID)
	switch {
	case err == nil:
		return it, true
	case errors.Is(err, ledger.ErrDenied), errors.Is(err, dbmodels.ErrNotFound):
		h.answerOrSay(ctx, r, r.t("not_allowed", nil))
	case errors.Is(err, errNotAwaiting):
		h.answerOrSay(ctx, r, r.t("verify_already", map[string]any{"Status": render.StatusName(r.loc, it.Status)}))
	default:
		h.answerOrSay(ctx, r, r.t("try_later", nil))
	}
	return it, false
}

// errNotAwaiting: the decision was taken already (or the task moved on).
var errNotAwaiting = fmt.Errorf("no longer awaiting this decision: %w", dbmodels.ErrConflict)

// checkClosure is the rule behind every 同意销号 and 退回, in the chat or
// the Mini App: the person may verify the task, and it waits for it.
func (h *Handler) checkClosure(ctx context.Context, r *request, taskID uint) (dbmodels.TaskItem, error) {
	scope, err := h.d.Store.TaskScope(ctx, taskID)
	if err == nil {
		err = ledger.Authorize(r.actor, ledger.ActVerify, &scope)
	}
	if err != nil {
		return dbmodels.TaskItem{}, err
	}
	it, err := h.d.Store.TaskItem(ctx, taskID)
	if err != nil {
		return it, err
	}
	if it.Status != ledger.StatusPendingVerification {
		return it, errNotAwaiting
	}
	return it, nil
}

// onApproveConfirmed signs a closure off (vy:<task>[:p<page>]), the second
// press of 同意销号. The status change is a compare-and-set, so a second
// press, or one after another leader decided, changes nothing.
func (h *Handler) onApproveConfirmed(ctx context.Context, r *request, c callbackData) error {
	page, fromList := verifyListPage(c.Arg)
	if _, ok := h.pendingClosure(ctx, r, c.ID); !ok {
		return nil
	}
	who, told, err := h.approveClosure(ctx, r, c.ID)
	if err != nil {
		h.decisionFailed(ctx, r, c.ID, err)
		return nil
	}
	h.answer(ctx, r, r.t("verify_approved_short", map[string]any{"Code": who.Code}))
	data := map[string]any{"Code": "<b>" + esc(who.Code) + "</b>", "Who": esc(verifierName(r, r.loc))}
	outcome := "✅ <b>" + esc(who.Code) + "</b> " + r.t("verify_approved", data) + "\n" + officerToldLine(r, who, told)
	h.redrawDecided(ctx, r, r.msg.ID, page, fromList, c.ID, outcome)
	return nil
}

// approveClosure signs the task off (checked by the caller): the status
// moves from pending only, the officer is told and the department's
// groups hear of it. told is whether the officer heard.
func (h *Handler) approveClosure(ctx context.Context, r *request, taskID uint) (who dbmodels.TaskContacts, told bool, err error) {
	who, err = h.d.Store.TaskContacts(ctx, taskID)
	if err != nil {
		return who, false, err
	}
	change := dbmodels.StatusChange{TaskID: taskID, From: ledger.StatusPendingVerification, To: ledger.StatusClosed}
	if _, err := h.d.Store.ChangeStatus(ctx, change, r.auditActor()); err != nil {
		return who, false, err
	}
	data := func(loc *render.Localizer) map[string]any {
		return map[string]any{"Code": "<b>" + esc(who.Code) + "</b>", "Title": esc(who.Title),
			"Department": esc(who.Department), "Officer": esc(who.Officer.Name), "Who": esc(verifierName(r, loc))}
	}
	told = h.tellOfficer(ctx, who, outbound.KindClosure, nil, func(loc *render.Localizer) string {
		return "✅ " + loc.T("verify_officer_closed", data(loc))
	})
	h.announceClosure(ctx, who.DepartmentID, func(loc *render.Localizer) string {
		return "✅ " + loc.T("verify_announce", data(loc))
	})
	return who, told, nil
}

// onReject asks why a closure is refused (vr:<task>[:p<page>]); the next
// text the person sends is the reason (rejectInput).
func (h *Handler) onReject(ctx context.Context, r *request, c callbackData) error {
	page, fromList := verifyListPage(c.Arg)
	if c.ID == 0 {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	it, ok := h.pendingClosure(ctx, r, c.ID)
	if !ok {
		return nil
	}
	st := session.State{Dialogue: dlgReject, TaskID: c.ID, Data: map[string]string{"msg": strconv.Itoa(r.msg.ID)}}
	if fromList {
		st.Data["page"] = strconv.Itoa(page)
	}
	if err := h.startDialogue(ctx, r, st); err != nil {
		h.answer(ctx, r, "")
		return h.sessionDown(ctx, r, err)
	}
	h.answer(ctx, r, "")
	return h.say(ctx, r, r.t("verify_reject_ask", map[string]any{
		"Code": "<b>" + esc(it.Code) + "</b>", "Officer": esc(it.Officer)}))
}

// rejectInput takes the reason of a rejection: the task goes back to in
// progress, and the officer is told why.
func (h *Handler) rejectInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
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
	if _, ok := h.authorizeTask(ctx, r, st.TaskID, ledger.ActVerify); !ok {
		h.endDialogue(ctx, r)
		return nil
	}
	who, told, err := h.rejectClosure(ctx, r, st.TaskID, reason)
	if err != nil {
		if !decidedMeanwhile(err) {
			return h.fail(ctx, r, err) // the dialogue stays: sending the reason again retries
		}
		h.endDialogue(ctx, r)
		h.decisionFailed(ctx, r, st.TaskID, err)
		return nil
	}
	h.endDialogue(ctx, r)
	data := map[string]any{"Code": "<b>" + esc(who.Code) + "</b>", "Title": esc(who.Title),
		"Reason": esc(reason), "Who": esc(verifierName(r, r.loc))}
	outcome := "↩️ <b>" + esc(who.Code) + "</b> " + r.t("verify_rejected", data)
	if id, err := strconv.Atoi(st.Data["msg"]); err == nil {
		page, err := strconv.Atoi(st.Data["page"])
		h.redrawDecided(ctx, r, id, page, err == nil, st.TaskID, outcome)
	}
	return h.say(ctx, r, outcome+"\n"+officerToldLine(r, who, told))
}

// rejectClosure sends the task back to in progress with the reason, from
// pending only (a rejection typed while another leader approved must not
// reopen the closed task), and tells the officer why.
func (h *Handler) rejectClosure(ctx context.Context, r *request, taskID uint, reason string) (who dbmodels.TaskContacts, told bool, err error) {
	who, err = h.d.Store.TaskContacts(ctx, taskID)
	if err != nil {
		return who, false, err
	}
	change := dbmodels.StatusChange{TaskID: taskID, From: ledger.StatusPendingVerification, To: ledger.StatusInProgress, Reason: reason}
	if _, err := h.d.Store.ChangeStatus(ctx, change, r.auditActor()); err != nil {
		return who, false, err
	}
	data := func(loc *render.Localizer) map[string]any {
		return map[string]any{"Code": "<b>" + esc(who.Code) + "</b>", "Title": esc(who.Title),
			"Reason": esc(reason), "Who": esc(verifierName(r, loc))}
	}
	// The officer's message names the task, so a reply to it is progress.
	told = h.tellOfficer(ctx, who, outbound.KindClosureRejected, []uint{who.TaskID}, func(loc *render.Localizer) string {
		return "↩️ " + loc.T("verify_officer_rejected", data(loc))
	})
	return who, told, nil
}

// decidedMeanwhile reports whether a status change failed because the task had
// moved on: someone decided first, or the press is stale.
func decidedMeanwhile(err error) bool {
	var te *ledger.TransitionError
	return errors.As(err, &te) || errors.Is(err, dbmodels.ErrConflict)
}

// decisionFailed says why a decision was not recorded: "already handled"
// with the status now, or "try later" for anything else.
func (h *Handler) decisionFailed(ctx context.Context, r *request, taskID uint, err error) {
	text := r.t("try_later", nil)
	if decidedMeanwhile(err) {
		if it, lerr := h.d.Store.TaskItem(ctx, taskID); lerr == nil {
			text = r.t("verify_already", map[string]any{"Status": render.StatusName(r.loc, it.Status)})
		}
	} else {
		h.d.Log.ErrorContext(ctx, "verify", slog.Uint64("task", uint64(taskID)), slog.Any("err", err))
	}
	h.answerOrSay(ctx, r, text)
}

// answerOrSay answers the press, or says it in the chat when there is no press.
func (h *Handler) answerOrSay(ctx context.Context, r *request, text string) {
	if r.cb != nil {
		h.answer(ctx, r, text)
		return
	}
	_ = h.say(ctx, r, text)
}

// redrawDecided replaces the message the decision was taken on: the /verify page
// as it stands now, or the task card, headed by the outcome. The decided
// task's buttons are gone either way, so it cannot be pressed twice. The
// decision stands whatever happens to the edit, so a failure is logged.
func (h *Handler) redrawDecided(ctx context.Context, r *request, messageID, page int, fromList bool, taskID uint, outcome string) {
	var text string
	var kb outbound.Keyboard
	var err error
	if fromList {
		text, kb, err = h.verifyPage(ctx, r, page, outcome)
	} else {
		text, kb, err = h.cardWithOutcome(ctx, r, taskID, outcome)
	}
	if err == nil {
		err = h.d.Out.Edit(ctx, outbound.Edit{ChatID: r.chatID, MessageID: messageID, Text: text, Keyboard: kb})
	}
	if err != nil && !errors.Is(err, outbound.ErrNotModified) {
		h.d.Log.WarnContext(ctx, "verify: redraw", slog.Int("message", messageID), slog.Any("err", err))
	}
}

func (h *Handler) cardWithOutcome(ctx context.Context, r *request, taskID uint, outcome string) (string, outbound.Keyboard, error) {
	c, err := h.d.Store.Card(ctx, taskID)
	if err != nil {
		return "", nil, err
	}
	card := h.cardText(r, c)
	return oneMessage(outcome + "\n\n" + card), h.cardButtons(r, c), nil
}

// tellOfficer sends the task's officer a message in their language. It
// reports false when they have not linked Telegram or cannot be reached.
func (h *Handler) tellOfficer(ctx context.Context, who dbmodels.TaskContacts, kind outbound.Kind, taskIDs []uint, text func(*render.Localizer) string) bool {
	to, _ := h.recipients(ctx, who, toOfficer, nil) // the officer alone: nothing to look up
	return h.tell(ctx, to, kind, taskIDs, text) > 0
}

// officerToldLine says whether the officer heard of the decision.
func officerToldLine(r *request, who dbmodels.TaskContacts, told bool) string {
	if told {
		return r.t("verify_officer_told", map[string]any{"Officer": esc(who.Officer.Name)})
	}
	return r.t("verify_officer_unreached", map[string]any{"Officer": esc(who.Officer.Name)})
}

// verifierName is how others read who decided: the person's name, or the
// office for a configured admin who is no person of the ledger.
func verifierName(r *request, loc *render.Localizer) string {
	if r.member != nil {
		return r.member.Person.Name
	}
	return loc.T("role_admin", nil)
}
