package handlers

// A closure request is sent at once to whoever decides it — the task's
// leader, or the office when the leader is the officer — with the latest
// report, its files and the buttons, so nobody has to remember to open
// /verify. The deadline requests do the same (deadline.go).

import (
	"context"
	"log/slog"
	"strings"

	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// tellClosureApprovers sends the closure request of task it to its
// approvers; the request stands whatever happens to the messages.
func (h *Handler) tellClosureApprovers(ctx context.Context, r *request, it dbmodels.TaskItem) {
	who, err := h.d.Store.TaskContacts(ctx, it.ID)
	if err != nil {
		h.d.Log.WarnContext(ctx, "closure request: contacts", slog.Uint64("task", uint64(it.ID)), slog.Any("err", err))
		return
	}
	to, _, err := h.approversOf(ctx, r.loc, who, r.personID())
	if err != nil {
		h.d.Log.WarnContext(ctx, "closure request: approvers", slog.Uint64("task", uint64(it.ID)), slog.Any("err", err))
		return
	}
	latest, err := h.d.Store.LatestProgressOf(ctx, []uint{it.ID})
	if err != nil {
		h.d.Log.WarnContext(ctx, "closure request: latest report", slog.Uint64("task", uint64(it.ID)), slog.Any("err", err))
		return
	}
	p := latest[it.ID]
	for _, a := range to {
		loc := render.NewLocalizer(render.LangOf(a.lang, ""))
		kb := outbound.Keyboard{{
			{Text: "✅ " + loc.T("button_approve", nil), Data: cb(cbApprove, it.ID, "")},
			{Text: "↩️ " + loc.T("button_reject", nil), Data: cb(cbReject, it.ID, "")},
		}}
		if p.AllFiles > 0 || len([]rune(p.Text)) > verifyProgressRunes {
			kb = append(kb, []outbound.Button{{Text: "📎 " + loc.T("button_evidence", nil), Data: cb(cbEvidence, it.ID, "")}})
		}
		m := outbound.Message{ChatID: a.telegramID, Text: oneMessage(closureRequestText(loc, it, p)), Keyboard: kb,
			Kind: outbound.KindClosureRequest, PersonID: a.personID, TaskIDs: []uint{it.ID}}
		if _, err := h.d.Out.Send(ctx, m); err != nil {
			h.d.Log.WarnContext(ctx, "closure request: tell approver", slog.Int64("chat", a.telegramID), slog.Any("err", err))
		}
	}
}

// closureRequestText is the request as its approver reads it.
func closureRequestText(loc *render.Localizer, it dbmodels.TaskItem, p dbmodels.LatestProgress) string {
	lines := []string{
		loc.T("closure_request_title", map[string]any{"Code": "<b>" + esc(it.Code) + "</b>", "Title": esc(short(it.Title, verifyTitleRunes))}),
		loc.T("verify_people", map[string]any{"Department": esc(it.Department), "Officer": esc(it.Officer)}),
	}
	if p.TaskID != 0 {
		head := loc.T("verify_latest_by", map[string]any{"Date": loc.Time(p.CreatedAt.In(defaultZone())), "Who": esc(authorName(loc, p.Author))})
		if p.AllFiles > 0 {
			head += " " + loc.T("card_attachments", map[string]any{"Count": p.AllFiles})
		}
		lines = append(lines, head, "<blockquote>"+esc(short(strings.TrimSpace(p.Text), verifyProgressRunes))+"</blockquote>")
	}
	return joinLines(lines)
}
