package handlers

// A closure asked without any evidence — no photo or file in the report
// and none on the task before — needs the reason none is needed (「无需
// 佐证材料的理由」): an approver should not sign off on words alone
// without being told why.

import (
	"context"
	"strings"

	"github.com/rectibot/rectibot/inbound"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
	"github.com/rectibot/rectibot/session"
)

// stepRepNoEvidence waits for the reason a closure has no evidence.
const stepRepNoEvidence = "no_evidence"

// rkNoEvidence is that reason, in the report's state.
const rkNoEvidence = "no_evidence"

// needsEvidenceReason says whether a closure request must say why it has
// no evidence: none in this report, none stored on the task.
func (h *Handler) needsEvidenceReason(ctx context.Context, it dbmodels.TaskItem, st session.State) (bool, error) {
	if len(st.Attachments) > 0 {
		return false, nil
	}
	latest, err := h.d.Store.LatestProgressOf(ctx, []uint{it.ID})
	if err != nil {
		return false, err
	}
	return latest[it.ID].AllFiles == 0, nil
}

// askEvidenceReason asks for the reason, with cancel.
func (h *Handler) askEvidenceReason(ctx context.Context, r *request) error {
	return h.sendPrompt(ctx, r, dlgReport, outbound.Message{Text: r.t("report_noevidence_ask", nil),
		Keyboard: outbound.Keyboard{{h.reportCancelButton(r)}}, Kind: outbound.KindReportPrompt})
}

// noEvidenceInput takes the reason and shows the summary to confirm.
func (h *Handler) noEvidenceInput(ctx context.Context, r *request, m *inbound.Message, st session.State) error {
	ev := evidenceOf(m)
	if ev.att != nil {
		// A file after all: the closure now has its evidence.
		next, err := h.stepDialogue(ctx, r, dlgReport, stepRepNoEvidence, func(s *session.State) error {
			if err := ev.addTo(s); err != nil {
				return err
			}
			s.Step = stepRepConfirm
			return nil
		})
		if err != nil {
			return h.reportStepFailed(ctx, r, err)
		}
		it, ok := h.reportTask(ctx, r, next)
		if !ok {
			return nil
		}
		return h.sendSummary(ctx, r, it, next)
	}
	reason := strings.TrimSpace(m.Text)
	if reason == "" {
		return h.say(ctx, r, r.t("report_noevidence_ask", nil))
	}
	it, ok := h.reportTask(ctx, r, st)
	if !ok {
		return nil
	}
	next, err := h.stepDialogue(ctx, r, dlgReport, stepRepNoEvidence, func(s *session.State) error {
		s.Data[rkNoEvidence] = reason
		s.Step = stepRepConfirm
		return nil
	})
	if err != nil {
		return h.reportStepFailed(ctx, r, err)
	}
	return h.sendSummary(ctx, r, it, next)
}

// reportText is the progress entry's text: the words, and the reason a
// closure has no evidence, written in the ledger's language (Chinese)
// whatever the officer's, since the 台账 and the 通报 quote it.
func reportText(st session.State) string {
	text := st.Data[rkText]
	if reason := st.Data[rkNoEvidence]; reason != "" {
		line := render.NewLocalizer(render.DefaultLang).T("report_noevidence_stored", map[string]any{"Reason": reason})
		text = strings.TrimSpace(text + "\n" + line)
	}
	return text
}
