package handlers

// The buttons under /notice's 通报 (nd:<plan>:report|plan): the plan's
// 整改报告 to the 巡察组 and its 整改方案 with the 三个清单, each sent as a
// .docx. The press names a plan only; who pressed is checked again now,
// as /notice checks it.

import (
	"context"
	"fmt"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/notice"
	"github.com/rectibot/rectibot/outbound"
)

// The documents the buttons send (the arg of nd:<plan>:<doc>).
const (
	noticeDocReport = "report" // 整改报告
	noticeDocPlan   = "plan"   // 整改方案
)

// offerNoticeDocs sends, under a plan's 通报, the buttons for its other
// documents.
func (h *Handler) offerNoticeDocs(ctx context.Context, r *request, p dbmodels.Plan) error {
	kb := outbound.Keyboard{{
		{Text: r.t("notice_button_report", nil), Data: cb(cbNoticeDoc, p.ID, noticeDocReport)},
		{Text: r.t("notice_button_plan", nil), Data: cb(cbNoticeDoc, p.ID, noticeDocPlan)},
	}}
	_, err := h.send(ctx, r, outbound.Message{Text: r.t("notice_more", map[string]any{"Plan": esc(p.Title)}),
		Keyboard: kb, Kind: outbound.KindNotice, PersonID: r.personID()})
	return err
}

// onNoticeDoc sends the 整改报告 or the 整改方案 of the plan pressed for, to
// an admin in a private chat, as /notice does the 通报.
func (h *Handler) onNoticeDoc(ctx context.Context, r *request, c callbackData) error {
	if err := ledger.Authorize(r.actor, ledger.ActNotice, nil); err != nil || !r.private {
		h.answer(ctx, r, r.t("notice_docs_admin_only", nil))
		return nil
	}
	if c.Arg != noticeDocReport && c.Arg != noticeDocPlan {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	plans, err := h.d.Store.Plans(ctx)
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	var plan *dbmodels.Plan
	for i := range plans {
		if plans[i].ID == c.ID {
			plan = &plans[i]
		}
	}
	if plan == nil {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	h.answer(ctx, r, "")
	// Cosmetic, as in /notice: a failure only logs.
	if err := h.d.Out.ChatAction(ctx, r.chatID, "upload_document"); err != nil {
		h.d.Log.WarnContext(ctx, "chat action", "err", err)
	}
	rows, facts, today, err := h.noticeLedger(ctx, *plan)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	extra := notice.Extra{NoticeFacts: facts}
	args := map[string]any{"Plan": esc(plan.Title), "Date": r.loc.Date(today), "ID": plan.ID}
	var doc notice.Document
	var name, caption string
	switch c.Arg {
	case noticeDocReport:
		rr := notice.BuildRectReport(*plan, rows, extra, today)
		doc, name, caption = rr, "整改报告", r.t("notice_report_caption", args)
		if rr.Principal == "" {
			caption += r.t("notice_report_no_principal", args)
		}
	default:
		pd := notice.BuildPlanDoc(*plan, rows, extra, today)
		args["Tasks"] = len(pd.Rows)
		doc, name, caption = pd, "整改方案", r.t("notice_plan_caption", args)
	}
	data, err := h.d.DOCXTemplate.DOCX(doc)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	_, err = h.d.Out.SendDocument(ctx, outbound.Document{ChatID: r.chatID, Data: data, Caption: caption,
		FileName: fmt.Sprintf("%s-%s-%s.docx", name, fileSafe(plan.Title), today), Kind: outbound.KindNotice, PersonID: r.personID()})
	if err != nil {
		return h.fail(ctx, r, err)
	}
	return nil
}
