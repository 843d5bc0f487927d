package handlers

import (
	"context"
	"errors"
	"fmt"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/outbound"
)

// notice is /notice [plan]: the stage progress report (整改阶段性进展情况
// 通报) of each plan, or of the one named, as a .docx the office can publish
// after a read-through, with buttons under it for the plan's other
// documents (notice_docs.go). Only admins: they are the office's documents.
func (h *Handler) notice(ctx context.Context, r *request, planRef string) error {
	if err := ledger.Authorize(r.actor, ledger.ActNotice, nil); err != nil {
		return h.say(ctx, r, r.t("notice_admin_only", nil))
	}
	plans, found, err := h.noticePlans(ctx, planRef)
	switch {
	case err != nil:
		return h.fail(ctx, r, err)
	case !found:
		return h.say(ctx, r, r.t("plan_unknown", map[string]any{"Plan": esc(planRef)}))
	case len(plans) == 0:
		return h.say(ctx, r, r.t("no_plans", nil))
	}
	// Building and uploading a long report takes a moment; the action shows
	// "sending a file…" meanwhile. It is cosmetic, so a failure only logs.
	if err := h.d.Out.ChatAction(ctx, r.chatID, "upload_document"); err != nil {
		h.d.Log.WarnContext(ctx, "chat action", "err", err)
	}
	for _, p := range plans {
		rows, facts, today, err := h.noticeLedger(ctx, p)
		if err != nil {
			return h.fail(ctx, r, err)
		}
		report := notice.Build(p, rows, notice.Extra{NoticeFacts: facts}, today)
		data, err := h.d.DOCXTemplate.DOCX(report)
		if err != nil {
			return h.fail(ctx, r, err)
		}
		args := map[string]any{"Plan": esc(p.Title), "Date": r.loc.Date(today), "Done": report.Done,
			"Open": report.Open, "Overdue": len(report.Overdue)}
		caption := r.t("notice_caption", args)
		if len(report.Overdue) > 0 {
			caption += r.t("notice_caption_overdue", args)
		}
		name := fmt.Sprintf("整改进展通报-%s-%s.docx", fileSafe(p.Title), today)
		if _, err := h.d.Out.SendDocument(ctx, outbound.Document{ChatID: r.chatID, FileName: name, Data: data,
			Caption: caption, Kind: outbound.KindNotice, PersonID: r.personID()}); err != nil {
			return h.fail(ctx, r, err)
		}
		if err := h.offerNoticeDocs(ctx, r, p); err != nil {
			return h.fail(ctx, r, err)
		}
	}
	return nil
}

// noticeLedger is what a plan's documents are built from: its ledger rows,
// the facts beyond them, and today in the plan's zone.
func (h *Handler) noticeLedger(ctx context.Context, p dbmodels.Plan) ([]dbmodels.LedgerRow, dbmodels.NoticeFacts, ledger.Date, error) {
	today := ledger.DateOf(h.d.Clock.Now().In(p.Location()))
	rows, err := h.d.Store.LedgerRows(ctx, p.ID)
	if err != nil {
		return nil, dbmodels.NoticeFacts{}, today, err
	}
	facts, err := h.d.Store.NoticeFacts(ctx, p)
	return rows, facts, today, err
}

// noticePlans is the plan named, or every plan; found is false when a
// name was given and no plan has it.
func (h *Handler) noticePlans(ctx context.Context, ref string) (plans []dbmodels.Plan, found bool, err error) {
	if ref == "" {
		plans, err = h.d.Store.Plans(ctx)
		return plans, true, err
	}
	p, err := h.d.Store.FindPlan(ctx, ref)
	if errors.Is(err, dbmodels.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	return []dbmodels.Plan{p}, true, nil
}
