package handlers

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// /verify lists the closures waiting for the person's sign-off, a page at a
// time, each task with approve (va:<task>:p<page>) and reject
// (vr:<task>:p<page>) buttons; the page travels along so the list can be
// redrawn in place after the decision. The router has no paging prefix for
// /verify, so paging rides on the approve prefix with no task:
// va:0:p<page>, as ip:0:p<page> does for /invite. A task card's buttons
// carry no page (va:<task>), and the card is redrawn instead.

// verifyPerPage keeps a page short enough to read on a phone; with the
// entries shortened below, a page stays far inside 4096 characters.
const verifyPerPage = 3

// How much of each entry a page shows; the task card has the rest.
const (
	verifyTitleRunes    = 40
	verifyNameRunes     = 20
	verifyProgressRunes = 700
)

// verify is /verify.
func (h *Handler) verify(ctx context.Context, r *request, _ string) error {
	if !mayVerify(r) {
		return h.say(ctx, r, r.t("verify_not_for_you", nil))
	}
	text, kb, err := h.verifyPage(ctx, r, 0, "")
	if err != nil {
		return h.fail(ctx, r, err)
	}
	_, err = h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb, Kind: outbound.KindVerifyList})
	return err
}

// mayVerify says whether the person's roles can sign off any closure at
// all; each task is still checked on its own.
func mayVerify(r *request) bool {
	return r.actor.Has(ledger.RoleLeader) || r.actor.Has(ledger.RoleAdmin)
}

// onVerifyPage turns the page of a /verify message in place.
func (h *Handler) onVerifyPage(ctx context.Context, r *request, page int) error {
	if !mayVerify(r) {
		h.answer(ctx, r, r.t("not_allowed", nil))
		return nil
	}
	text, kb, err := h.verifyPage(ctx, r, page, "")
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	h.answer(ctx, r, "")
	return h.edit(ctx, r, text, kb)
}

// verifiable lists the pending tasks the person may sign off now. The
// store's list is by reach, which for someone who is both officer and
// leader includes their own department's tasks; Authorize decides.
func (h *Handler) verifiable(ctx context.Context, r *request) ([]dbmodels.TaskItem, error) {
	return h.d.Store.DecidableClosures(ctx, r.actor)
}

// verifyPage renders one page of the list as it stands now — closures
// first, then new deadlines — headed by outcome (what the press that led
// here did), if any.
func (h *Handler) verifyPage(ctx context.Context, r *request, page int, outcome string) (string, outbound.Keyboard, error) {
	closures, err := h.verifiable(ctx, r)
	if err != nil {
		return "", nil, err
	}
	deadlines, err := h.decidableDeadlines(ctx, r)
	if err != nil {
		return "", nil, err
	}
	var lines []string
	if outcome != "" {
		lines = append(lines, outcome, "")
	}
	total := len(closures) + len(deadlines)
	if total == 0 {
		return joinLines(append(lines, r.t("verify_none", nil))), nil, nil
	}
	pages := (total + verifyPerPage - 1) / verifyPerPage
	page = min(max(page, 0), pages-1)
	from, to := page*verifyPerPage, min(total, (page+1)*verifyPerPage)
	var ids []uint
	for i := from; i < min(to, len(closures)); i++ {
		ids = append(ids, closures[i].ID)
	}
	latest, err := h.d.Store.LatestProgressOf(ctx, ids)
	if err != nil {
		return "", nil, err
	}
	if len(deadlines) == 0 {
		lines = append(lines, "<b>"+r.t("verify_title", map[string]any{"Count": total})+"</b>")
	} else {
		lines = append(lines, "<b>"+r.t("verify_title_both", map[string]any{"Count": total, "Closures": len(closures), "Deadlines": len(deadlines)})+"</b>")
	}
	var kb outbound.Keyboard
	arg := verifyPageArg(page)
	for i := from; i < to; i++ {
		if i < len(closures) {
			it := closures[i]
			lines = append(lines, "", r.t("verify_kind_closure", nil)+verifyEntry(r, it, latest[it.ID]))
			code := short(it.Code, 12)
			kb = append(kb, []outbound.Button{
				{Text: "✅ " + code + " " + r.t("button_approve", nil), Data: cb(cbApprove, it.ID, arg)},
				{Text: "↩️ " + r.t("button_reject", nil), Data: cb(cbReject, it.ID, arg)},
			})
			if p := latest[it.ID]; p.AllFiles > 0 || utf8.RuneCountInString(p.Text) > verifyProgressRunes {
				kb = append(kb, []outbound.Button{{Text: "📎 " + code + " " + r.t("button_evidence", nil), Data: cb(cbEvidence, it.ID, "")}})
			}
			continue
		}
		rq := deadlines[i-len(closures)]
		lines = append(lines, "", r.t("verify_kind_deadline", nil)+deadlineRequestText(r.loc, rq, false))
		code := short(rq.Task.Code, 12)
		kb = append(kb, []outbound.Button{
			{Text: "📅 " + code + " " + r.t("button_deadline_approve", nil), Data: cb(cbDeadlineApprove, rq.ID, arg)},
			{Text: "↩️ " + r.t("button_deadline_reject", nil), Data: cb(cbDeadlineReject, rq.ID, arg)},
		})
	}
	if pages > 1 {
		lines = append(lines, "", r.t("page_of", map[string]any{"Page": page + 1, "Pages": pages}))
		kb = append(kb, pageButtons(r, page, pages, func(p int) string { return cb(cbApprove, 0, verifyPageArg(p)) }))
	}
	return oneMessage(joinLines(lines)), kb, nil
}

// decidableDeadlines lists the open deadline requests the person may decide
// now: in reach, allowed by Authorize, not their own.
func (h *Handler) decidableDeadlines(ctx context.Context, r *request) ([]dbmodels.DeadlineRequest, error) {
	return h.d.Store.DecidableDeadlines(ctx, r.actor)
}

// verifyEntry is one task of the list: code and title, who, and what the
// officer last reported — whole up to verifyProgressRunes, with who wrote
// it, when, and its files: the evidence the leader signs off on. A longer
// report and the files come with the 佐证材料 button.
func verifyEntry(r *request, it dbmodels.TaskItem, p dbmodels.LatestProgress) string {
	lines := []string{
		"<b>" + esc(it.Code) + "</b> " + esc(short(it.Title, verifyTitleRunes)),
		"    " + r.t("verify_people", map[string]any{
			"Department": esc(short(it.Department, verifyNameRunes)), "Officer": esc(short(it.Officer, verifyNameRunes))}),
	}
	if p.TaskID == 0 {
		return joinLines(append(lines, "    "+r.t("verify_no_progress", nil)))
	}
	who := p.Author
	if who == "" {
		who = r.t("evidence_imported", nil)
	}
	head := r.t("verify_latest_by", map[string]any{"Date": r.loc.Time(p.CreatedAt.In(defaultZone())), "Who": esc(who)})
	if p.AllFiles > 0 {
		head += " " + r.t("card_attachments", map[string]any{"Count": p.AllFiles})
	}
	lines = append(lines, "    "+head, "<blockquote>"+esc(short(strings.TrimSpace(p.Text), verifyProgressRunes))+"</blockquote>")
	return joinLines(lines)
}

func verifyPageArg(page int) string { return "p" + strconv.Itoa(page) }

// verifyListPage reads the page a press came from; ok is false for a press on a
// task card.
func verifyListPage(arg string) (page int, ok bool) {
	rest, found := strings.CutPrefix(arg, "p")
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// oneMessage keeps a message inside Telegram's limit, cutting at a line. The
// texts built here are short by construction; this is the guarantee.
func oneMessage(text string) string {
	if pages := render.Paginate(text, render.FormatHTML, render.TelegramMaxText); len(pages) > 0 {
		return pages[0]
	}
	return text
}
