package handlers

// The buttons of /report ("rs:0:<choice>"): finishing the evidence, the
// status choice, and the confirmation that writes the report.

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/session"
)

// Arguments of "rs:0:<choice>".
const (
	repChoiceFinish   = "finish"   // the evidence is complete
	repChoiceProgress = "progress" // still in progress (a late task then needs a new deadline)
	repChoiceDone     = "done"     // done: ask for closure (待销号)
	repChoiceDeadline = "deadline" // still in progress, and the deadline should move
	repChoiceCheckin  = "checkin"  // a long-term task's check-in: no status change
	repChoiceConfirm  = "confirm"  // record the report
)

// onReportStep is a button of the report dialogue.
func (h *Handler) onReportStep(ctx context.Context, r *request, c callbackData) error {
	st, ok, err := h.pressedDialogue(ctx, r, dlgReport)
	if !ok {
		return err
	}
	switch c.Arg {
	case repChoiceFinish:
		if st.Step != stepRepEvidence {
			break
		}
		if st.Data[rkText] == "" && len(st.Attachments) == 0 {
			h.answer(ctx, r, r.t("report_evidence_first", nil))
			return nil
		}
		h.answer(ctx, r, "")
		h.closePrompt(ctx, r, "")
		return h.finishEvidence(ctx, r, st)
	case repChoiceProgress, repChoiceDone, repChoiceDeadline:
		if st.Step == stepRepStatus {
			return h.onStatusChoice(ctx, r, st, c.Arg)
		}
	case repChoiceConfirm:
		if st.Step == stepRepConfirm {
			return h.saveReport(ctx, r, st)
		}
	}
	h.answer(ctx, r, r.t("button_unknown", nil))
	return nil
}

// reportTask re-checks, now, everything the report asks for on its task;
// a definite refusal ends the dialogue.
func (h *Handler) reportTask(ctx context.Context, r *request, st session.State) (dbmodels.TaskItem, bool) {
	it, ok, transient := h.reportableTask(ctx, r, st.TaskID, reportActions(st)...)
	if !ok && !transient {
		h.endDialogue(ctx, r)
	}
	return it, ok
}

// reportActions are the actions a report in state st would take.
func reportActions(st session.State) []ledger.Action {
	acts := []ledger.Action{ledger.ActReportProgress}
	if st.Data[rkChoice] == repChoiceDone {
		acts = append(acts, ledger.ActRequestClosure)
	}
	if st.Step == stepRepDeadline || st.Step == stepRepReason || st.Data[rkDeadline] != "" {
		acts = append(acts, ledger.ActChangeDeadline)
	}
	return acts
}

// reportLateness says whether the task is overdue today, in its plan's zone.
func (h *Handler) reportLateness(ctx context.Context, it dbmodels.TaskItem) (late bool, today ledger.Date, err error) {
	plan, err := h.taskPlan(ctx, it)
	if err != nil {
		return false, today, fmt.Errorf("plan of task %d: %w", it.ID, err)
	}
	today = h.today(plan.Location())
	return !it.LongTerm && ledger.IsOverdue(it.Status, it.Deadline, today), today, nil
}

// reportChoices lists what the person may say about the task now. A
// long-term task only checks in; closure needs the status machine and the
// right; a late task's "still in progress" asks for a new deadline anyway,
// so it gets no separate deadline button.
func reportChoices(a ledger.Actor, it dbmodels.TaskItem, late bool) []string {
	if it.LongTerm || it.Status == ledger.StatusOngoing {
		return []string{repChoiceCheckin}
	}
	scope := it.Scope()
	may := func(act ledger.Action) bool { return ledger.Authorize(a, act, &scope) == nil }
	out := []string{repChoiceProgress}
	if ledger.CheckTransition(it.Status, ledger.StatusPendingVerification) == nil && may(ledger.ActRequestClosure) {
		out = append(out, repChoiceDone)
	}
	if !late && it.Status != ledger.StatusPendingVerification && may(ledger.ActChangeDeadline) {
		out = append(out, repChoiceDeadline)
	}
	return out
}

// needsNewDeadline: asked to move it, or late and not done (a task waiting
// for verification is late on the verifier's side, not the officer's).
func needsNewDeadline(choice string, it dbmodels.TaskItem, late bool) bool {
	return choice == repChoiceDeadline ||
		(choice == repChoiceProgress && late && it.Status != ledger.StatusPendingVerification)
}

// finishEvidence moves a report from its evidence to the status question,
// or straight to the summary when there is nothing to choose.
func (h *Handler) finishEvidence(ctx context.Context, r *request, st session.State) error {
	it, ok := h.reportTask(ctx, r, st)
	if !ok {
		return nil
	}
	late, today, err := h.reportLateness(ctx, it)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	choices := reportChoices(r.actor, it, late)
	if len(choices) == 1 && !needsNewDeadline(choices[0], it, late) {
		next, err := h.stepDialogue(ctx, r, dlgReport, stepRepEvidence, func(s *session.State) error {
			s.Data[rkChoice], s.Step = choices[0], stepRepConfirm
			return nil
		})
		if err != nil {
			return h.reportStepFailed(ctx, r, err)
		}
		return h.sendSummary(ctx, r, it, next)
	}
	if _, err := h.stepDialogue(ctx, r, dlgReport, stepRepEvidence, func(s *session.State) error {
		s.Step = stepRepStatus
		return nil
	}); err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	status := render.StatusName(r.loc, it.Status)
	if w := render.When(r.loc, it.Status, ledger.Deadline{Date: it.Deadline}, today, h.d.Calendar); w != "" {
		status += " · " + w
	}
	kb := outbound.Keyboard{}
	for _, c := range choices {
		kb = append(kb, []outbound.Button{{Text: reportChoiceLabel(r, c, late), Data: cb(cbReportStep, 0, c)}})
	}
	kb = append(kb, []outbound.Button{h.reportCancelButton(r)})
	text := reportTaskLabel(it) + "\n" + status + "\n\n" + r.t("report_status_ask", nil)
	return h.sendPrompt(ctx, r, dlgReport, outbound.Message{Text: text, Keyboard: kb, Kind: outbound.KindReportPrompt})
}

func reportChoiceLabel(r *request, choice string, late bool) string {
	switch choice {
	case repChoiceProgress:
		if late {
			return "🔄 " + r.t("report_choice_progress_late", nil)
		}
		return "🔄 " + r.t("report_choice_progress", nil)
	case repChoiceDone:
		return "✅ " + r.t("report_choice_done", nil)
	case repChoiceDeadline:
		return "📅 " + r.t("report_choice_deadline", nil)
	}
	return "🔄 " + r.t("report_choice_checkin", nil)
}

// onStatusChoice takes the status button, re-deciding the choices from the
// task as stored now (it may have changed; the press may be forged).
func (h *Handler) onStatusChoice(ctx context.Context, r *request, st session.State, choice string) error {
	it, ok := h.reportTask(ctx, r, st)
	if !ok {
		return nil
	}
	late, _, err := h.reportLateness(ctx, it)
	if err != nil {
		h.answer(ctx, r, "")
		return h.fail(ctx, r, err)
	}
	if !slices.Contains(reportChoices(r.actor, it, late), choice) {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	deadline := needsNewDeadline(choice, it, late)
	if scope := it.Scope(); deadline && ledger.Authorize(r.actor, ledger.ActChangeDeadline, &scope) != nil {
		h.answer(ctx, r, r.t("not_allowed", nil))
		return nil
	}
	askWhyNoEvidence := false
	if choice == repChoiceDone {
		if askWhyNoEvidence, err = h.needsEvidenceReason(ctx, it, st); err != nil {
			h.answer(ctx, r, "")
			return h.fail(ctx, r, err)
		}
	}
	next, err := h.stepDialogue(ctx, r, dlgReport, stepRepStatus, func(s *session.State) error {
		s.Data[rkChoice], s.Step = choice, stepRepConfirm
		switch {
		case deadline:
			s.Step = stepRepDeadline
		case askWhyNoEvidence:
			s.Step = stepRepNoEvidence
		}
		return nil
	})
	if err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	h.answer(ctx, r, "")
	h.closePrompt(ctx, r, r.t("report_chosen", map[string]any{"Choice": reportChoiceLabel(r, choice, late)}))
	if deadline {
		plan, err := h.taskPlan(ctx, it)
		if err != nil {
			return h.fail(ctx, r, err)
		}
		example := deadlineExample(h.today(plan.Location()))
		text := r.t("report_deadline_ask", map[string]any{"Deadline": r.loc.Date(it.Deadline), "Example": example.String(),
			"ExampleWords": fmt.Sprintf("%d年%d月底前", example.Year, example.Month)})
		return h.sendPrompt(ctx, r, dlgReport, outbound.Message{Text: text, Keyboard: outbound.Keyboard{{h.reportCancelButton(r)}}, Kind: outbound.KindReportPrompt})
	}
	if askWhyNoEvidence {
		return h.askEvidenceReason(ctx, r)
	}
	return h.sendSummary(ctx, r, it, next)
}

// closePrompt takes the buttons off a pressed prompt, noting the outcome;
// a failure only leaves stale buttons, which are refused when pressed.
func (h *Handler) closePrompt(ctx context.Context, r *request, outcome string) {
	if err := h.closeKeyboard(ctx, r, outcome); err != nil {
		h.d.Log.WarnContext(ctx, "close keyboard", slog.Any("err", err))
	}
}

// deadlineExample is the date a deadline prompt offers as its example: the
// end of next month, a date the officer could really ask for (a fixed
// example went years into the past).
func deadlineExample(today ledger.Date) ledger.Date {
	year, month := today.Year, today.Month+1
	if month > time.December {
		year, month = year+1, time.January
	}
	return ledger.LastDayOfMonth(year, month)
}
