package handlers

// Deadline change requests: an officer's new deadline (asked in /report)
// waits for the task's leader — or the office, when the leader is the one
// who asked or the task's own officer — who approves or refuses it from the
// notification, the task card or /verify. Until then the original deadline
// stands: reminders and escalations go on against it.

import (
	"context"
	"errors"
	"log/slog"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// requestDeadline records the new deadline of a confirmed report as a
// request and tells its approvers; it returns the line for the officer.
func (h *Handler) requestDeadline(ctx context.Context, r *request, it dbmodels.TaskItem, to ledger.Date, reason string) string {
	if _, err := h.d.Store.RequestDeadline(ctx, it.ID, to, reason, r.auditActor()); err != nil {
		h.d.Log.ErrorContext(ctx, "report: request deadline", slog.Uint64("task", uint64(it.ID)), slog.Any("err", err))
		return r.t("report_partial_deadline", nil)
	}
	approver := r.t("role_admin", nil)
	if req, ok, err := h.d.Store.PendingDeadline(ctx, it.ID); err != nil {
		h.d.Log.WarnContext(ctx, "deadline request: reload", slog.Uint64("task", uint64(it.ID)), slog.Any("err", err))
	} else if ok {
		approver = h.tellApprovers(ctx, r.loc, req)
	}
	return r.t("report_saved_deadline_request", map[string]any{"Date": r.loc.Date(to), "Old": r.loc.Date(it.Deadline), "Approver": esc(approver)})
}

// approversOf picks who decides a request (a new deadline, a closure): the
// task's leader, unless the leader asked or is the task's officer (nobody
// decides their own request); then the office's admins. It names them for
// the officer in loc.
func (h *Handler) approversOf(ctx context.Context, loc *render.Localizer, who dbmodels.TaskContacts, requestedBy *uint) ([]recipient, string, error) {
	own := func(id uint) bool {
		return id == who.Officer.PersonID || (requestedBy != nil && *requestedBy == id)
	}
	if !own(who.Leader.PersonID) {
		to, err := h.recipients(ctx, who, toLeader, nil)
		return to, who.Leader.Name, err
	}
	to, err := h.recipients(ctx, who, toOffice, own)
	return to, loc.T("role_admin", nil), err
}

// tellApprovers sends each approver the request with its buttons; it
// returns how the officer reads who decides.
func (h *Handler) tellApprovers(ctx context.Context, loc *render.Localizer, req dbmodels.DeadlineRequest) string {
	who, err := h.d.Store.TaskContacts(ctx, req.Task.ID)
	if err != nil {
		h.d.Log.WarnContext(ctx, "deadline request: contacts", slog.Uint64("task", uint64(req.Task.ID)), slog.Any("err", err))
		return loc.T("role_admin", nil)
	}
	to, name, err := h.approversOf(ctx, loc, who, req.RequestedByID)
	if err != nil {
		h.d.Log.WarnContext(ctx, "deadline request: approvers", slog.Uint64("task", uint64(req.Task.ID)), slog.Any("err", err))
		return loc.T("role_admin", nil)
	}
	for _, a := range to {
		aloc := render.NewLocalizer(render.LangOf(a.lang, ""))
		kb := outbound.Keyboard{{
			{Text: "✅ " + aloc.T("button_deadline_approve", nil), Data: cb(cbDeadlineApprove, req.ID, "")},
			{Text: "↩️ " + aloc.T("button_deadline_reject", nil), Data: cb(cbDeadlineReject, req.ID, "")},
		}}
		m := outbound.Message{ChatID: a.telegramID, Text: oneMessage(deadlineRequestText(aloc, req, true)), Keyboard: kb,
			Kind: outbound.KindDeadlineRequest, PersonID: a.personID, TaskIDs: []uint{req.Task.ID}}
		if _, err := h.d.Out.Send(ctx, m); err != nil {
			h.d.Log.WarnContext(ctx, "deadline request: tell approver", slog.Int64("chat", a.telegramID), slog.Any("err", err))
		}
	}
	return name
}

// deadlineRequestText is a request as its approver reads it: in full on the
// notification, as an entry of /verify otherwise.
func deadlineRequestText(loc *render.Localizer, req dbmodels.DeadlineRequest, notification bool) string {
	title := loc.T("deadline_request_title", map[string]any{"Code": "<b>" + esc(req.Task.Code) + "</b>", "Title": esc(short(req.Task.Title, verifyTitleRunes))})
	lines := []string{title,
		loc.T("deadline_request_people", map[string]any{"Department": esc(req.Task.Department), "Who": esc(requesterName(loc, req)),
			"Date": loc.Time(req.CreatedAt.In(defaultZone()))}),
		loc.T("deadline_request_dates", map[string]any{"Old": loc.Date(req.OldDeadline), "New": loc.Date(req.NewDeadline)}),
		loc.T("deadline_request_reason", map[string]any{"Reason": esc(short(req.Reason, maxReasonRunes))}),
	}
	if notification {
		lines = append(lines, loc.T("deadline_request_note", nil))
	}
	return joinLines(lines)
}

func requesterName(loc *render.Localizer, req dbmodels.DeadlineRequest) string {
	if req.RequestedBy != "" {
		return req.RequestedBy
	}
	return loc.T("role_admin", nil)
}

// decidableRequest loads a request for a press and checks, now, that it is
// still open and that the person may decide it. It answers the press and
// returns false when not.
func (h *Handler) decidableRequest(ctx context.Context, r *request, id uint) (dbmodels.DeadlineRequest, bool) {
	req, err := h.checkDeadlineRequest(ctx, r, id)
	switch {
	case err == nil:
		return req, true
	case errors.Is(err, dbmodels.ErrNotFound), errors.Is(err, ledger.ErrDenied):
		h.answerOrSay(ctx, r, r.t("not_allowed", nil))
	case errors.Is(err, errNotAwaiting):
		h.answerOrSay(ctx, r, r.t("deadline_already", nil))
	case errors.Is(err, dbmodels.ErrOwnRequest):
		h.answerOrSay(ctx, r, r.t("deadline_own_request", nil))
	default:
		h.answerOrSay(ctx, r, r.t("try_later", nil))
	}
	return req, false
}

// checkDeadlineRequest is the rule behind every decision on a new
// deadline, in the chat or the Mini App: the person may decide the task's
// deadline, the request is still open, and it is not their own.
func (h *Handler) checkDeadlineRequest(ctx context.Context, r *request, id uint) (dbmodels.DeadlineRequest, error) {
	req, state, err := h.d.Store.DeadlineRequestByID(ctx, id)
	if err != nil {
		return req, err
	}
	scope, err := h.d.Store.TaskScope(ctx, req.Task.ID)
	if err == nil {
		err = ledger.Authorize(r.actor, ledger.ActDecideDeadline, &scope)
	}
	switch {
	case err != nil:
		return req, err
	case state != dbmodels.DeadlinePending || req.Task.Status == ledger.StatusClosed:
		return req, errNotAwaiting
	case ownRequest(r, req):
		return req, dbmodels.ErrOwnRequest
	}
	return req, nil
}

func ownRequest(r *request, req dbmodels.DeadlineRequest) bool { return req.AskedBy(r.actor) }

// deadlineDecisionFailed says why a decision was not recorded.
func (h *Handler) deadlineDecisionFailed(ctx context.Context, r *request, err error) {
	key := "try_later"
	switch {
	case errors.Is(err, dbmodels.ErrConflict):
		key = "deadline_already"
	case errors.Is(err, dbmodels.ErrOwnRequest):
		key = "deadline_own_request"
	case errors.Is(err, dbmodels.ErrTaskClosed), errors.Is(err, dbmodels.ErrLongTerm):
		key = "deadline_task_closed"
	default:
		h.d.Log.ErrorContext(ctx, "deadline decision", slog.Any("err", err))
	}
	h.answerOrSay(ctx, r, r.t(key, nil))
}

// deadlineRequestRows are the card's buttons on an open request, for whoever
// may decide it (never the one who asked).
func deadlineRequestRows(r *request, c dbmodels.TaskCard, may func(ledger.Action) bool) outbound.Keyboard {
	rq := c.DeadlineRequest
	if rq == nil || !may(ledger.ActDecideDeadline) || ownRequest(r, *rq) {
		return nil
	}
	return outbound.Keyboard{{
		{Text: "📅 " + r.t("button_deadline_approve", nil), Data: cb(cbDeadlineApprove, rq.ID, "")},
		{Text: "↩️ " + r.t("button_deadline_reject", nil), Data: cb(cbDeadlineReject, rq.ID, "")},
	}}
}
