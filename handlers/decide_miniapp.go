package handlers

import (
	"context"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/render"
)

// The decisions a leader takes in the Mini App (miniapp.Decider) run the
// buttons' own steps: the same checks (checkClosure, checkDeadlineRequest),
// the same compare-and-set and audit event, the same messages to the
// officer and the groups. Only the asker's own chat is left alone: the
// page shows the outcome. The errors are the checks' and the store's
// (ledger.ErrDenied, models.ErrNotFound, models.ErrConflict,
// models.ErrOwnRequest, ledger.ErrReasonRequired…), for the page to tell.

// DecideClosure approves a closure, or sends the task back with a reason.
func (h *Handler) DecideClosure(ctx context.Context, telegramUserID int64, taskID uint, approve bool, reason string) error {
	r, err := h.requestOf(ctx, telegramUserID)
	if err != nil {
		return err
	}
	if !approve {
		if reason, err = ledger.CheckReason(reason); err != nil {
			return err
		}
	}
	if _, err := h.checkClosure(ctx, r, taskID); err != nil {
		return err
	}
	if approve {
		_, _, err = h.approveClosure(ctx, r, taskID)
	} else {
		_, _, err = h.rejectClosure(ctx, r, taskID, reason)
	}
	return err
}

// DecideDeadline approves a new deadline, or refuses it with a reason.
func (h *Handler) DecideDeadline(ctx context.Context, telegramUserID int64, requestID uint, approve bool, reason string) error {
	r, err := h.requestOf(ctx, telegramUserID)
	if err != nil {
		return err
	}
	if !approve {
		if reason, err = ledger.CheckReason(reason); err != nil {
			return err
		}
	}
	req, err := h.checkDeadlineRequest(ctx, r, requestID)
	if err != nil {
		return err
	}
	if approve {
		_, err = h.approveDeadline(ctx, r, req)
	} else {
		_, err = h.rejectDeadline(ctx, r, req, reason)
	}
	return err
}

// requestOf is the person as a press in their private chat would load
// them: their authority now, their language for what others are told.
func (h *Handler) requestOf(ctx context.Context, telegramUserID int64) (*request, error) {
	r := &request{chatID: telegramUserID, private: true, userID: telegramUserID}
	lang, err := h.identify(ctx, r)
	if err != nil {
		return nil, err
	}
	if !r.known() {
		return nil, &ledger.DeniedError{Action: ledger.ActVerify, Reason: "not linked to the ledger"}
	}
	r.loc = render.NewLocalizer(render.LangOf(lang, ""))
	return r, nil
}
