package handlers

// /report (SPEC §3): pick a task → words and/or files → status → (new
// deadline and reason) → confirm. The state lives in the session
// (dialogue "report"); every step re-reads the task and re-checks the
// person's authority, since both may change while they type.
//
// Evidence step: text ends it at once (alone, or after files); files are
// collected until the person presses "完成" or sends text. The photos of an
// album (one media_group_id) are one report and get one acknowledgement;
// a caption counts as the report's words.

import (
	"context"
	"errors"
	"strings"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/session"
)

// Steps of the report dialogue.
const (
	stepRepEvidence = "evidence" // waiting for text, photos, documents
	stepRepStatus   = "status"   // waiting for a status button
	stepRepDeadline = "deadline" // waiting for the new deadline
	stepRepReason   = "reason"   // waiting for the reason of the change
	stepRepConfirm  = "confirm"  // waiting for confirm / cancel
	stepRepSaving   = "saving"   // confirmed: being written (a second press is refused)
)

// reportPickMax keeps the task picker on one screen; the rest are reachable
// with /report CODE.
const reportPickMax = 20

// report is /report [CODE].
func (h *Handler) report(ctx context.Context, r *request, args string) error {
	a := r.actor
	if !a.Has(ledger.RoleOfficer) && !a.Has(ledger.RoleAdmin) {
		return h.say(ctx, r, r.t("report_not_for_you", nil))
	}
	if code := normaliseCode(args); code != "" {
		return h.reportCode(ctx, r, code)
	}
	items, err := h.d.Store.TasksFor(ctx, a)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	return h.reportPicker(ctx, r, items, "")
}

// reportCode starts a report on the task a code names, or offers the
// choice when several plans use the code.
func (h *Handler) reportCode(ctx context.Context, r *request, code string) error {
	items, err := h.d.Store.TaskItemsByCode(ctx, code)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	var open []dbmodels.TaskItem
	for _, it := range items {
		if mayReport(r.actor, it) {
			open = append(open, it)
		}
	}
	if len(open) == 1 {
		return h.startReport(ctx, r, open[0])
	}
	return h.reportPicker(ctx, r, open, code)
}

// reportPicker offers the tasks the person may report on, red first.
func (h *Handler) reportPicker(ctx context.Context, r *request, items []dbmodels.TaskItem, code string) error {
	var open []dbmodels.TaskItem
	for _, it := range items {
		if mayReport(r.actor, it) {
			open = append(open, it)
		}
	}
	if len(open) == 0 {
		if code != "" {
			return h.say(ctx, r, r.t("report_code_unknown", map[string]any{"Code": esc(code)}))
		}
		return h.say(ctx, r, r.t("report_none", nil))
	}
	today := h.today(nil)
	sortRedFirst(open, today, h.d.Light)
	text := r.t("report_pick", nil)
	if len(open) > reportPickMax {
		text += "\n" + r.t("report_pick_more", map[string]any{"Shown": reportPickMax, "Count": len(open)})
		open = open[:reportPickMax]
	}
	labels, err := h.planLabels(ctx, open)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	var kb outbound.Keyboard
	for _, it := range open {
		kb = append(kb, []outbound.Button{{Text: light(it, today, h.d.Light) + " " + withPlan(it.Code, labels, it.PlanID) + " " + short(it.Title, 24),
			Data: cb(cbReport, it.ID, "")}})
	}
	_, err = h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb})
	return err
}

// onReportTask is "r:<task>": a task picked in /report, or the "报送进展"
// button of a task card. The picker keeps its buttons (picking another
// task starts over with that one); a card is never edited.
func (h *Handler) onReportTask(ctx context.Context, r *request, c callbackData) error {
	if !r.private {
		h.answer(ctx, r, r.t("private_only", nil))
		return nil
	}
	it, ok, _ := h.reportableTask(ctx, r, c.ID, ledger.ActReportProgress)
	if !ok {
		return nil
	}
	if it.Status == ledger.StatusPendingVerification {
		// Pressed on a picker or card from before the closure request: say
		// what changed; more evidence is still welcome.
		h.answer(ctx, r, r.t("report_already_pending", nil))
		if err := h.say(ctx, r, r.t("report_already_pending", nil)); err != nil {
			return err
		}
		return h.startReport(ctx, r, it)
	}
	h.answer(ctx, r, "")
	return h.startReport(ctx, r, it)
}

// startReport replaces whatever dialogue the person was in with a report on
// the task, and asks for the evidence.
func (h *Handler) startReport(ctx context.Context, r *request, it dbmodels.TaskItem) error {
	if err := h.startDialogue(ctx, r, session.State{Dialogue: dlgReport, Step: stepRepEvidence, TaskID: it.ID}); err != nil {
		return h.sessionDown(ctx, r, err)
	}
	return h.sendPrompt(ctx, r, dlgReport, outbound.Message{Text: r.t("report_evidence_ask", map[string]any{"Task": reportTaskLabel(it)}),
		Keyboard: outbound.Keyboard{{h.reportCancelButton(r)}}, Kind: outbound.KindReportPrompt})
}

func (h *Handler) reportCancelButton(r *request) outbound.Button {
	return outbound.Button{Text: "✖ " + r.t("report_button_cancel", nil), Data: cb(cbCancel, 0, "")}
}

// reportInput is a private message while a report is open.
func (h *Handler) reportInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
	switch st.Step {
	case stepRepEvidence:
		return h.evidenceInput(ctx, r, m, st)
	case stepRepDeadline:
		return h.deadlineInput(ctx, r, m, st)
	case stepRepReason:
		return h.reasonInput(ctx, r, m, st)
	case stepRepNoEvidence:
		return h.noEvidenceInput(ctx, r, m, st)
	}
	return h.say(ctx, r, r.t("report_use_buttons", nil))
}

// evidenceInput collects words and files. Text ends the step; a file is
// acknowledged once per album, with the "完成" button.
func (h *Handler) evidenceInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
	ev := evidenceOf(m)
	if ev.empty() {
		return h.say(ctx, r, r.t("report_evidence_what", nil))
	}
	if _, ok, _ := h.reportableTask(ctx, r, st.TaskID, ledger.ActReportProgress); !ok {
		h.endDialogue(ctx, r)
		return nil
	}
	var first bool
	next, err := h.stepDialogue(ctx, r, dlgReport, stepRepEvidence, func(s *session.State) error {
		first = m.MediaGroupID == "" || s.MediaGroupID != m.MediaGroupID
		if m.MediaGroupID != "" {
			s.MediaGroupID = m.MediaGroupID
		}
		return ev.addTo(s)
	})
	switch {
	case errors.Is(err, errTooManyFiles):
		return h.refuseExtraFile(ctx, r, m, dlgReport)
	case errors.Is(err, errDialogueMoved):
		return h.say(ctx, r, r.t("report_use_buttons", nil))
	case err != nil:
		return h.sessionDown(ctx, r, err)
	case ev.att == nil:
		return h.finishEvidence(ctx, r, next)
	case !first:
		return nil // the rest of an album: acknowledged with its first photo
	}
	kb := outbound.Keyboard{{{Text: "✔ " + r.t("report_button_finish", nil), Data: cb(cbReportStep, 0, repChoiceFinish)}, h.reportCancelButton(r)}}
	return h.sendPrompt(ctx, r, dlgReport, outbound.Message{Text: r.t("report_got_attachment", nil), Keyboard: kb, Kind: outbound.KindReportPrompt})
}

// deadlineInput reads the new deadline: a date (in the forms of the 台账,
// a year-less one taking the plan's year) after today.
func (h *Handler) deadlineInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
	if m.Text == "" {
		return h.say(ctx, r, r.t("report_text_expected", nil))
	}
	it, ok, _ := h.reportableTask(ctx, r, st.TaskID, reportActions(st)...)
	if !ok {
		h.endDialogue(ctx, r)
		return nil
	}
	plan, err := h.taskPlan(ctx, it)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	today := h.today(plan.Location())
	dl, err := ledger.ParseDeadline(m.Text, plan.Year)
	switch {
	case err != nil:
		return h.say(ctx, r, r.t("report_deadline_bad", map[string]any{"Input": esc(short(m.Text, 40))}))
	case dl.LongTerm:
		return h.say(ctx, r, r.t("report_deadline_not_date", nil))
	case !dl.Date.After(today):
		return h.say(ctx, r, r.t("report_deadline_not_future", map[string]any{"Today": r.loc.Date(today)}))
	}
	_, err = h.stepDialogue(ctx, r, dlgReport, stepRepDeadline, func(s *session.State) error {
		s.Data[rkDeadline] = dl.Date.String()
		s.Step = stepRepReason
		return nil
	})
	if err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	return h.sendPrompt(ctx, r, dlgReport, outbound.Message{Text: r.t("report_reason_ask", map[string]any{"Date": r.loc.Date(dl.Date)}),
		Keyboard: outbound.Keyboard{{h.reportCancelButton(r)}}, Kind: outbound.KindReportPrompt})
}

// reasonInput reads why the deadline moves (required), then shows the
// summary to confirm.
func (h *Handler) reasonInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
	reason := strings.TrimSpace(m.Text)
	if reason == "" {
		return h.say(ctx, r, r.t("report_text_expected", nil))
	}
	it, ok, _ := h.reportableTask(ctx, r, st.TaskID, reportActions(st)...)
	if !ok {
		h.endDialogue(ctx, r)
		return nil
	}
	next, err := h.stepDialogue(ctx, r, dlgReport, stepRepReason, func(s *session.State) error {
		s.Data[rkReason] = reason
		s.Step = stepRepConfirm
		return nil
	})
	if err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	return h.sendSummary(ctx, r, it, next)
}

// reportStepFailed answers a step that could not be written.
func (h *Handler) reportStepFailed(ctx context.Context, r *request, err error) error {
	if errors.Is(err, errDialogueMoved) {
		if r.cb != nil {
			h.answer(ctx, r, r.t("button_unknown", nil))
			return nil
		}
		return h.say(ctx, r, r.t("report_use_buttons", nil))
	}
	if r.cb != nil {
		h.answer(ctx, r, "")
	}
	return h.sessionDown(ctx, r, err)
}
