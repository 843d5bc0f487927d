package handlers

// The end of /report: the summary to confirm, and the writes.

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/session"
)

// sendSummary shows the report as it will be recorded, with confirm and
// cancel.
func (h *Handler) sendSummary(ctx context.Context, r *request, it dbmodels.TaskItem, st session.State) error {
	lines := []string{"<b>" + r.t("report_confirm_title", nil) + "</b>", r.t("report_line_task", map[string]any{"Task": reportTaskLabel(it)})}
	if text := st.Data[rkText]; text != "" {
		lines = append(lines, r.t("report_line_text", map[string]any{"Text": esc(short(text, 600))}))
	}
	if n := len(st.Attachments); n > 0 {
		lines = append(lines, r.t("report_line_attachments", map[string]any{"Count": n}))
	}
	if reason := st.Data[rkNoEvidence]; reason != "" {
		lines = append(lines, r.t("report_line_noevidence", map[string]any{"Reason": esc(short(reason, 300))}))
	}
	outcome := r.t("report_choice_progress", nil)
	switch st.Data[rkChoice] {
	case repChoiceProgress:
		if it.Status == ledger.StatusPendingVerification {
			// More evidence on a closure waiting for review: the status stays.
			outcome = r.t("report_outcome_supplement", nil)
		}
	case repChoiceDone:
		outcome = r.t("report_outcome_done", nil)
	case repChoiceCheckin:
		outcome = r.t("report_choice_checkin", nil)
	}
	lines = append(lines, r.t("report_line_status", map[string]any{"Status": outcome}))
	if d := st.Data[rkDeadline]; d != "" {
		shown := d // the stored ISO day, shown as it is read
		if day, err := ledger.ParseISODate(d); err == nil {
			shown = r.loc.Date(day)
		}
		lines = append(lines, r.t("report_line_deadline", map[string]any{"Date": shown, "Old": r.loc.Date(it.Deadline)}),
			r.t("report_line_reason", map[string]any{"Reason": esc(short(st.Data[rkReason], 300))}))
	}
	kb := outbound.Keyboard{{{Text: "✅ " + r.t("report_button_confirm", nil), Data: cb(cbReportStep, 0, repChoiceConfirm)}, h.reportCancelButton(r)}}
	return h.sendPrompt(ctx, r, dlgReport, outbound.Message{Text: joinLines(lines), Keyboard: kb, Kind: outbound.KindReportPrompt})
}

// saveReport records a confirmed report: the progress entry first (the
// evidence must never be lost to a failed status change), then the new
// deadline, then the closure request.
func (h *Handler) saveReport(ctx context.Context, r *request, st session.State) error {
	it, ok := h.reportTask(ctx, r, st)
	if !ok {
		return nil
	}
	choice := st.Data[rkChoice]
	if choice == repChoiceDone && ledger.CheckTransition(it.Status, ledger.StatusPendingVerification) != nil {
		h.endDialogue(ctx, r)
		h.answer(ctx, r, "")
		return h.say(ctx, r, r.t("report_status_changed", map[string]any{"Status": render.StatusName(r.loc, it.Status)}))
	}
	var newDeadline ledger.Date
	if d := st.Data[rkDeadline]; d != "" {
		var err error
		if newDeadline, err = ledger.ParseISODate(d); err != nil {
			h.endDialogue(ctx, r)
			return h.fail(ctx, r, fmt.Errorf("report state: %w", err))
		}
	}
	// Claim the step: a second press, here or on another replica, now finds
	// it taken and records nothing twice.
	if _, err := h.stepDialogue(ctx, r, dlgReport, stepRepConfirm, func(s *session.State) error {
		s.Step = stepRepSaving
		return nil
	}); err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	h.answer(ctx, r, "")
	actor := r.auditActor()
	p := dbmodels.NewProgress{TaskID: it.ID, Text: reportText(st), Source: dbmodels.SourceCommand, Attachments: storedAttachments(st.Attachments)}
	if _, err := h.d.Store.AddProgress(ctx, p, actor); err != nil {
		// Nothing was written: give the confirm button back.
		_, _ = h.stepDialogue(ctx, r, dlgReport, stepRepSaving, func(s *session.State) error {
			s.Step = stepRepConfirm
			return nil
		})
		return h.fail(ctx, r, fmt.Errorf("report on task %d: %w", it.ID, err))
	}
	h.endDialogue(ctx, r)
	h.closePrompt(ctx, r, r.t("report_confirmed", nil))
	lines := []string{r.t("report_saved", map[string]any{"Task": reportTaskLabel(it)})}
	if !newDeadline.IsZero() {
		lines = append(lines, h.requestDeadline(ctx, r, it, newDeadline, st.Data[rkReason]))
	}
	if choice == repChoiceDone {
		ch := dbmodels.StatusChange{TaskID: it.ID, To: ledger.StatusPendingVerification}
		if _, err := h.d.Store.ChangeStatus(ctx, ch, actor); err != nil {
			h.d.Log.ErrorContext(ctx, "report: request closure", slog.Uint64("task", uint64(it.ID)), slog.Any("err", err))
			lines = append(lines, r.t("report_partial_closure", map[string]any{"Code": esc(it.Code)}))
		} else {
			key := "report_saved_closure"
			if it.LeaderID == it.OfficerID { // nobody verifies their own closure: the office does
				key = "report_saved_closure_office"
			}
			lines = append(lines, r.t(key, map[string]any{"Leader": esc(it.Leader)}))
			h.tellClosureApprovers(ctx, r, it)
		}
	}
	return h.say(ctx, r, joinLines(lines))
}
