package handlers

// Progress by reply (SPEC §3): a reply (text, photo, document) to a bot
// message about tasks — a card, a list, a reminder — is recorded as
// progress on one of them after one confirm button. The pending reply is
// held in the session (dialogue "reply") until then; the permission is
// checked when the reply arrives and again at the confirm.
//
// In a group, replies that are not progress (to a digest, or by someone
// who may not report on those tasks) are left alone: they are people
// talking to each other, not to the bot.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/session"
)

// stepReplyPick: the replied message listed several tasks; waiting for which.
const stepReplyPick = "pick"

// Arguments of "ro:0:<yes|no>".
const (
	replyArgYes = "yes"
	replyArgNo  = "no"
)

// onReply handles a message answering one of the bot's messages.
func (h *Handler) onReply(ctx context.Context, r *request, m *inbound.Message) error {
	ids, err := h.d.Store.TasksOfMessage(ctx, r.chatID, int64(m.ReplyTo.ID))
	if err != nil {
		return h.fail(ctx, r, err)
	}
	st, live, err := h.d.Sessions.Get(ctx, r.chatID, r.userID)
	if err != nil {
		return h.sessionDown(ctx, r, err)
	}
	if r.private && h.replyIsDialogueInput(ctx, r, st, live, ids) {
		return h.onDialogueInput(ctx, r, m)
	}
	if len(ids) == 0 {
		if !r.private {
			return nil
		}
		return h.say(ctx, r, r.t("reply_no_task", nil))
	}
	ev := evidenceOf(m)
	if ev.empty() {
		if !r.private {
			return nil
		}
		return h.say(ctx, r, r.t("report_evidence_what", nil))
	}
	if live && st.Dialogue == dlgReply && m.MediaGroupID != "" && st.MediaGroupID == m.MediaGroupID {
		return h.replyAlbumPart(ctx, r, ev, m)
	}
	tasks, closed, err := h.replyTasks(ctx, r, ids)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	switch {
	case len(tasks) == 0 && !r.private:
		return nil
	case len(tasks) == 0 && closed:
		return h.say(ctx, r, r.t("report_task_closed", nil))
	case len(tasks) == 0:
		return h.say(ctx, r, r.t("reply_not_allowed", nil))
	}
	pending := session.State{Dialogue: dlgReply, Step: stepRepConfirm, TaskID: tasks[0].ID, MediaGroupID: m.MediaGroupID,
		Data: map[string]string{}}
	_ = ev.addTo(&pending) // the first file of a dialogue is always accepted
	if len(tasks) > 1 {
		pending.Step, pending.TaskID = stepReplyPick, 0
		pending.Data[rkTasks] = replyTaskIDs(tasks)
	}
	if err := h.startDialogue(ctx, r, pending); err != nil {
		return h.sessionDown(ctx, r, err)
	}
	msg := outbound.Message{ReplyTo: m.ID, Kind: outbound.KindReplyPrompt}
	if len(tasks) == 1 {
		msg.Text, msg.Keyboard = replyAsk(r, tasks[0], pending), h.replyButtons(r)
	} else {
		labels, err := h.planLabels(ctx, tasks)
		if err != nil {
			return h.fail(ctx, r, err)
		}
		msg.Text, msg.Keyboard = h.replyPicker(r, tasks, labels)
	}
	return h.sendPrompt(ctx, r, dlgReply, msg)
}

// replyIsDialogueInput: a reply to a message about no task is input for the
// open (or expired) dialogue, typically an answer to its own question; so
// is a reply to a card while a /report on that same task waits for words.
func (h *Handler) replyIsDialogueInput(ctx context.Context, r *request, st session.State, live bool, ids []uint) bool {
	if len(ids) == 0 {
		if live {
			return true
		}
		expired, err := h.d.Sessions.Expired(ctx, r.chatID, r.userID)
		return err == nil && expired
	}
	return live && st.Dialogue == dlgReport && slices.Contains(ids, st.TaskID) &&
		(st.Step == stepRepEvidence || st.Step == stepRepDeadline || st.Step == stepRepReason)
}

// replyTasks lists, in the message's order, the tasks the person may
// report on now; closed says some were theirs but are closed.
func (h *Handler) replyTasks(ctx context.Context, r *request, ids []uint) (tasks []dbmodels.TaskItem, closed bool, err error) {
	reach, err := h.d.Store.TasksFor(ctx, r.actor)
	if err != nil {
		return nil, false, fmt.Errorf("reply: tasks of %d: %w", r.userID, err)
	}
	byID := make(map[uint]dbmodels.TaskItem, len(reach))
	for _, it := range reach {
		byID[it.ID] = it
	}
	for _, id := range ids {
		it, ok := byID[id]
		switch {
		case !ok:
		case mayReport(r.actor, it):
			tasks = append(tasks, it)
		case it.Status == ledger.StatusClosed:
			closed = true
		}
	}
	return tasks, closed, nil
}

// replyAlbumPart adds another photo of an album already waiting for its
// confirm button; the album was acknowledged with its first photo.
func (h *Handler) replyAlbumPart(ctx context.Context, r *request, ev evidence, m *inbound.Message) error {
	_, err := h.d.Sessions.Update(ctx, r.chatID, r.userID, func(s *session.State, exists bool) error {
		if !exists || s.Dialogue != dlgReply || s.MediaGroupID != m.MediaGroupID || s.Step == stepRepSaving {
			return errDialogueMoved
		}
		return ev.addTo(s)
	})
	switch {
	case err == nil, errors.Is(err, errDialogueMoved):
		return nil
	case errors.Is(err, errTooManyFiles):
		return h.refuseExtraFile(ctx, r, m, dlgReply)
	}
	return h.sessionDown(ctx, r, err)
}

// replyAsk is the one question before recording.
func replyAsk(r *request, it dbmodels.TaskItem, st session.State) string {
	text := r.t("reply_confirm_ask", map[string]any{"Task": reportTaskLabel(it)})
	preview := evidenceSummary(r, st.Data[rkText], len(st.Attachments))
	if st.MediaGroupID != "" {
		// More photos of the album may still be arriving: no count yet.
		preview = evidenceSummary(r, st.Data[rkText], 0) + " " + r.t("reply_album", nil)
	}
	return text + "\n" + strings.TrimSpace(preview)
}

func (h *Handler) replyButtons(r *request) outbound.Keyboard {
	return outbound.Keyboard{{
		{Text: "✅ " + r.t("reply_button_save", nil), Data: cb(cbReplyOK, 0, replyArgYes)},
		{Text: "✖ " + r.t("reply_button_drop", nil), Data: cb(cbReplyOK, 0, replyArgNo)},
	}}
}

// replyPicker asks which of the message's tasks the reply is about; labels
// name their plans when they span several (planLabels).
func (h *Handler) replyPicker(r *request, tasks []dbmodels.TaskItem, labels map[uint]string) (string, outbound.Keyboard) {
	text := r.t("reply_pick_task", nil)
	if len(tasks) > reportPickMax {
		text += "\n" + r.t("report_pick_more", map[string]any{"Shown": reportPickMax, "Count": len(tasks)})
		tasks = tasks[:reportPickMax]
	}
	today := h.today(nil)
	var kb outbound.Keyboard
	for _, it := range tasks {
		kb = append(kb, []outbound.Button{{Text: light(it, today, h.d.Light) + " " + withPlan(it.Code, labels, it.PlanID) + " " + short(it.Title, 24),
			Data: cb(cbReplyTask, it.ID, "")}})
	}
	kb = append(kb, []outbound.Button{{Text: "✖ " + r.t("reply_button_drop", nil), Data: cb(cbReplyOK, 0, replyArgNo)}})
	return text, kb
}

// onReplyTask is "ry:<task>": which task a reply is about. Only a task the
// replied message listed is accepted, and only if the person may report
// on it now.
func (h *Handler) onReplyTask(ctx context.Context, r *request, c callbackData) error {
	st, ok, err := h.pressedDialogue(ctx, r, dlgReply)
	if !ok {
		return err
	}
	if st.Step != stepReplyPick || !slices.Contains(strings.Split(st.Data[rkTasks], ","), strconv.FormatUint(uint64(c.ID), 10)) {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	it, ok, _ := h.reportableTask(ctx, r, c.ID, ledger.ActReportProgress)
	if !ok {
		return nil // another task of the list may still be picked
	}
	next, err := h.stepDialogue(ctx, r, dlgReply, stepReplyPick, func(s *session.State) error {
		s.TaskID, s.Step = it.ID, stepRepConfirm
		return nil
	})
	if err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	h.answer(ctx, r, "")
	return h.edit(ctx, r, replyAsk(r, it, next), h.replyButtons(r))
}

// onReplyConfirm is "ro:0:yes|no".
func (h *Handler) onReplyConfirm(ctx context.Context, r *request, c callbackData) error {
	st, ok, err := h.pressedDialogue(ctx, r, dlgReply)
	if !ok {
		return err
	}
	switch {
	case c.Arg == replyArgNo && st.Step != stepRepSaving:
		h.endDialogue(ctx, r)
		h.answer(ctx, r, "")
		return h.edit(ctx, r, r.t("reply_dropped", nil), nil)
	case c.Arg != replyArgYes || st.Step != stepRepConfirm:
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	it, ok, transient := h.reportableTask(ctx, r, st.TaskID, ledger.ActReportProgress)
	if !ok {
		if !transient {
			h.endDialogue(ctx, r)
			h.closePrompt(ctx, r, "")
		}
		return nil
	}
	// Claim the step so a second press records nothing twice.
	if _, err := h.stepDialogue(ctx, r, dlgReply, stepRepConfirm, func(s *session.State) error {
		s.Step = stepRepSaving
		return nil
	}); err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	h.answer(ctx, r, "")
	p := dbmodels.NewProgress{TaskID: it.ID, Text: st.Data[rkText], Source: dbmodels.SourceReply, Attachments: storedAttachments(st.Attachments)}
	if _, err := h.d.Store.AddProgress(ctx, p, r.auditActor()); err != nil {
		_, _ = h.stepDialogue(ctx, r, dlgReply, stepRepSaving, func(s *session.State) error {
			s.Step = stepRepConfirm
			return nil
		})
		return h.fail(ctx, r, fmt.Errorf("reply on task %d: %w", it.ID, err))
	}
	h.endDialogue(ctx, r)
	summary := evidenceSummary(r, st.Data[rkText], len(st.Attachments))
	return h.edit(ctx, r, r.t("reply_saved", map[string]any{"Task": reportTaskLabel(it), "Summary": summary}), nil)
}

func replyTaskIDs(tasks []dbmodels.TaskItem) string {
	ids := make([]string, len(tasks))
	for i, it := range tasks {
		ids[i] = strconv.FormatUint(uint64(it.ID), 10)
	}
	return strings.Join(ids, ",")
}
