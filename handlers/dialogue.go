package handlers

import (
	"context"
	"errors"
	"log/slog"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/session"
)

// Dialogue names kept in the session state.
const (
	dlgReport         = "report"          // /report: pick task → evidence → status → deadline → confirm
	dlgReply          = "reply"           // a reply to a bot message, waiting for its confirm button
	dlgReject         = "verify_reject"   // /verify: the reason for a rejection
	dlgDeadlineReject = "deadline_reject" // the reason a new deadline is refused
)

// onDialogueInput hands a private message to the dialogue the user is in.
func (h *Handler) onDialogueInput(ctx context.Context, r *request, m *inbound.Message) error {
	st, ok, err := h.d.Sessions.Get(ctx, r.chatID, r.userID)
	if err != nil {
		return h.sessionDown(ctx, r, err)
	}
	if !ok {
		expired, err := h.d.Sessions.Expired(ctx, r.chatID, r.userID)
		if err == nil && expired {
			return h.say(ctx, r, r.t("dialogue_expired", nil))
		}
		return h.say(ctx, r, noDialogueText(r))
	}
	switch st.Dialogue {
	case dlgReport:
		return h.reportInput(ctx, r, m, st)
	case dlgReject:
		return h.rejectInput(ctx, r, m, st)
	case dlgDeadlineReject:
		return h.deadlineRejectInput(ctx, r, m, st)
	case dlgFollowUp:
		return h.followUpInput(ctx, r, m, st)
	case dlgReply:
		return h.say(ctx, r, r.t("reply_pending", nil))
	}
	return h.say(ctx, r, noDialogueText(r))
}

// sessionDown answers when the dialogue store cannot be reached: commands
// that need no dialogue still work; a dialogue asks to try again later.
func (h *Handler) sessionDown(ctx context.Context, r *request, err error) error {
	h.d.Log.ErrorContext(ctx, "dialogue store unavailable", slog.Any("err", err))
	if !errors.Is(err, session.ErrUnavailable) {
		return h.fail(ctx, r, err)
	}
	return h.say(ctx, r, r.t("dialogue_unavailable", nil))
}

// startDialogue replaces whatever dialogue the user was in with st.
func (h *Handler) startDialogue(ctx context.Context, r *request, st session.State) error {
	_, err := h.d.Sessions.Update(ctx, r.chatID, r.userID, func(cur *session.State, _ bool) error {
		*cur = st
		return nil
	})
	return err
}

// endDialogue forgets the user's dialogue.
func (h *Handler) endDialogue(ctx context.Context, r *request) {
	if err := h.d.Sessions.Delete(ctx, r.chatID, r.userID); err != nil {
		h.d.Log.WarnContext(ctx, "end dialogue", slog.Any("err", err))
	}
}
