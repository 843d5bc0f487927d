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

// dlgFollowUp waits for what came back, after "yes" to a follow-up review.
const dlgFollowUp = "follow_up"

// onFollowUp answers the scheduler's follow-up review (回头看). "No" is
// recorded as a review at once. "Yes, the problem came back" asks what
// came back (followUpInput): the task is reopened with that as its reason,
// and the leader, the office and the groups that hear of closures are told.
// Only the person the question was sent to may answer, once, while the
// task is closed and the question open.
func (h *Handler) onFollowUp(ctx context.Context, r *request, c callbackData) error {
	if c.Arg != "yes" && c.Arg != "no" {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	if _, ok := h.authorizeTask(ctx, r, c.ID, ledger.ActReportProgress); !ok {
		return nil
	}
	person := r.personID()
	if person == nil { // a configured admin without a person is never asked
		h.answer(ctx, r, r.t("followup_not_asked", nil))
		return nil
	}
	who, err := h.d.Store.TaskContacts(ctx, c.ID)
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	code := esc(who.Code)
	if c.Arg == "no" {
		if _, err := h.d.Store.RecordFollowUp(ctx, c.ID, *person, false, "", r.auditActor()); err != nil {
			h.followUpRefused(ctx, r, err)
			return nil
		}
		h.answer(ctx, r, "")
		return h.closeKeyboard(ctx, r, "✅ "+r.t("followup_confirmed", map[string]any{"Code": code}))
	}
	if err := h.d.Store.FollowUpOpen(ctx, c.ID, *person); err != nil {
		h.followUpRefused(ctx, r, err)
		return nil
	}
	st := session.State{Dialogue: dlgFollowUp, TaskID: c.ID, Data: map[string]string{"msg": strconv.Itoa(r.msg.ID)}}
	if err := h.startDialogue(ctx, r, st); err != nil {
		h.answer(ctx, r, "")
		return h.sessionDown(ctx, r, err)
	}
	h.answer(ctx, r, "")
	return h.say(ctx, r, r.t("followup_what_ask", map[string]any{"Code": "<b>" + code + "</b>"}))
}

// followUpInput takes what came back: the task is reopened with it.
func (h *Handler) followUpInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
	what := strings.TrimSpace(m.Text)
	switch {
	case what == "":
		return h.say(ctx, r, r.t("followup_what_empty", nil))
	case utf8.RuneCountInString(what) > maxReasonRunes:
		return h.say(ctx, r, r.t("verify_reason_too_long", map[string]any{"Max": maxReasonRunes}))
	}
	person := r.personID()
	if person == nil {
		h.endDialogue(ctx, r)
		return h.say(ctx, r, r.t("followup_not_asked", nil))
	}
	who, err := h.d.Store.TaskContacts(ctx, st.TaskID)
	if err != nil {
		return h.fail(ctx, r, err) // the dialogue stays: sending it again retries
	}
	if _, err := h.d.Store.RecordFollowUp(ctx, st.TaskID, *person, true, what, r.auditActor()); err != nil {
		if !errors.Is(err, dbmodels.ErrNotClosed) && !errors.Is(err, dbmodels.ErrNoOpenReview) {
			return h.fail(ctx, r, err)
		}
		h.endDialogue(ctx, r)
		h.followUpRefused(ctx, r, err)
		return nil
	}
	h.endDialogue(ctx, r)
	code := esc(who.Code)
	told := func(loc *render.Localizer) string {
		return "⚠️ " + loc.T("followup_leader_told", map[string]any{"Code": code, "Title": esc(who.Title), "Officer": esc(r.name()), "What": esc(what)})
	}
	h.tellLeaderAndOffice(ctx, who, outbound.KindReopened, told)
	h.announceClosure(ctx, who.DepartmentID, told)
	outcome := "⚠️ " + r.t("followup_reopened", map[string]any{"Code": code})
	if id, err := strconv.Atoi(st.Data["msg"]); err == nil {
		// The question loses its buttons: it is answered.
		r.msg = &inbound.Message{ID: id, Chat: inbound.Chat{ID: r.chatID}}
		_ = h.edit(ctx, r, outcome, nil)
	}
	return h.say(ctx, r, outcome+"\n"+r.t("followup_reopened_why", map[string]any{"What": esc(what)}))
}

// followUpRefused says why an answer was not taken.
func (h *Handler) followUpRefused(ctx context.Context, r *request, err error) {
	switch {
	case errors.Is(err, dbmodels.ErrNotClosed):
		h.answerOrSay(ctx, r, r.t("followup_already", nil))
	case errors.Is(err, dbmodels.ErrNoOpenReview), errors.Is(err, dbmodels.ErrNotFound):
		h.answerOrSay(ctx, r, r.t("followup_not_asked", nil))
	default:
		h.d.Log.ErrorContext(ctx, "follow-up", slog.Any("err", err))
		h.answerOrSay(ctx, r, r.t("try_later", nil))
	}
}

// tellLeaderAndOffice tells the task's leader and every admin (the office),
// each once, in their language; the message names the task.
func (h *Handler) tellLeaderAndOffice(ctx context.Context, who dbmodels.TaskContacts, kind outbound.Kind, text func(*render.Localizer) string) {
	to, err := h.recipients(ctx, who, toLeader|toOffice, nil)
	if err != nil {
		h.d.Log.WarnContext(ctx, "tell the office: admins", slog.Any("err", err))
	}
	h.tell(ctx, to, kind, []uint{who.TaskID}, text)
}
