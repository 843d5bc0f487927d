package handlers

import (
	"context"
	"errors"
	"strings"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// task is /task CODE: one task card. A task that does not exist and one the
// person may not see get the same answer, so codes cannot be probed.
func (h *Handler) task(ctx context.Context, r *request, code string) error {
	code = normaliseCode(code)
	if code == "" {
		return h.say(ctx, r, r.t("task_usage", nil))
	}
	items, err := h.d.Store.TaskItemsByCode(ctx, code)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	var visible []dbmodels.TaskItem
	for _, it := range items {
		scope := it.Scope()
		if ledger.Authorize(r.actor, ledger.ActViewTask, &scope) == nil {
			visible = append(visible, it)
		}
	}
	switch len(visible) {
	case 0:
		return h.say(ctx, r, r.t("task_not_found", map[string]any{"Code": esc(code)}))
	case 1:
		return h.sendCard(ctx, r, visible[0].ID)
	}
	// The same code in several plans: let the person pick, by plan.
	labels, err := h.planLabels(ctx, visible)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	var kb outbound.Keyboard
	for _, it := range visible {
		kb = append(kb, []outbound.Button{{Text: withPlan(it.Code, labels, it.PlanID) + " " + short(it.Title, 28), Data: cb(cbOpenTask, it.ID, "")}})
	}
	_, err = h.send(ctx, r, outbound.Message{Text: r.t("task_pick_plan", map[string]any{"Code": esc(code)}), Keyboard: kb})
	return err
}

// onOpenTask is a task's button in a list.
func (h *Handler) onOpenTask(ctx context.Context, r *request, c callbackData) error {
	if _, ok := h.authorizeTask(ctx, r, c.ID, ledger.ActViewTask); !ok {
		return nil
	}
	h.answer(ctx, r, "")
	return h.sendCard(ctx, r, c.ID)
}

// authorizeTask re-checks, now, that the person may act on the task; when
// not, it says so (to the press, or in the chat) and returns false.
func (h *Handler) authorizeTask(ctx context.Context, r *request, taskID uint, act ledger.Action) (ledger.TaskScope, bool) {
	scope, err := h.d.Store.TaskScope(ctx, taskID)
	if err == nil {
		err = ledger.Authorize(r.actor, act, &scope)
	}
	if err == nil {
		return scope, true
	}
	text := r.t("not_allowed", nil)
	if !errors.Is(err, ledger.ErrDenied) && !errors.Is(err, dbmodels.ErrNotFound) {
		text = r.t("try_later", nil)
	}
	if r.cb != nil {
		h.answer(ctx, r, text)
	} else {
		_ = h.say(ctx, r, text)
	}
	return scope, false
}

// sendCard sends a task card. The delivery names the task, so a reply to
// the card is progress on it.
func (h *Handler) sendCard(ctx context.Context, r *request, taskID uint) error {
	c, err := h.d.Store.Card(ctx, taskID)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	_, err = h.send(ctx, r, outbound.Message{Text: h.cardText(r, c), Keyboard: h.cardButtons(r, c), Kind: outbound.KindTaskCard, TaskIDs: []uint{c.ID}})
	return err
}

// cardText draws the card as the person reads it today in the plan's zone,
// ending with the hint for their part in the task: the one drawing every
// send and redraw of a card uses.
func (h *Handler) cardText(r *request, c dbmodels.TaskCard) string {
	view := cardView(c)
	view.Hint = cardHint(r, c)
	return render.TaskCard(r.loc, view, h.today(zone(c.TimeZone)), h.d.Calendar, h.d.Light)
}

// cardButtons offers what the person may do with the task now.
func (h *Handler) cardButtons(r *request, c dbmodels.TaskCard) outbound.Keyboard {
	scope := c.Scope()
	may := func(act ledger.Action) bool { return ledger.Authorize(r.actor, act, &scope) == nil }
	var row []outbound.Button
	if c.Status != ledger.StatusClosed && may(ledger.ActReportProgress) {
		row = append(row, outbound.Button{Text: "📝 " + r.t("button_report", nil), Data: cb(cbReport, c.ID, "")})
	}
	if c.Status == ledger.StatusPendingVerification && may(ledger.ActVerify) {
		row = append(row,
			outbound.Button{Text: "✅ " + r.t("button_approve", nil), Data: cb(cbApprove, c.ID, "")},
			outbound.Button{Text: "↩️ " + r.t("button_reject", nil), Data: cb(cbReject, c.ID, "")})
	}
	row = append(row, stageButtons(r, c, may)...)
	var kb outbound.Keyboard
	if len(row) > 0 {
		kb = append(kb, row)
	}
	kb = append(kb, deadlineRequestRows(r, c, may)...)
	kb = append(kb, evidenceRow(r, c)...)
	return append(kb, h.measureCardRows(r, c)...)
}

func cardView(c dbmodels.TaskCard) render.Card {
	v := render.Card{
		Code: c.Code, Title: c.Title, ProblemTitle: c.ProblemTitle, Detail: c.Detail, Category: c.Category,
		PlanTitle: c.PlanTitle, Department: c.Department, Officer: c.Officer, Leader: c.Leader, Status: c.Status,
		Deadline:         ledger.Deadline{Date: c.Deadline, LongTerm: c.LongTerm, Recurrence: recurrenceOf(c.Recurrence)},
		OriginalDeadline: c.OriginalDeadline, ProgressCount: int(c.ProgressCount), Files: int(c.Files), StageDone: stageDay(c),
	}
	for _, m := range c.Measures {
		v.Measures = append(v.Measures, render.CardMeasure{Text: m.Text, Done: m.Done})
	}
	tz := zone(c.TimeZone)
	for _, p := range c.Progress {
		v.Progress = append(v.Progress, render.CardProgress{At: p.CreatedAt.In(tz), Text: p.Text, Author: p.Author, Attachments: p.Attachments})
	}
	if rq := c.DeadlineRequest; rq != nil {
		v.DeadlineRequest = &render.CardDeadlineRequest{New: rq.NewDeadline, Reason: rq.Reason, By: rq.RequestedBy, At: rq.CreatedAt.In(tz)}
	}
	for _, ch := range c.DeadlineChanges {
		v.DeadlineChanges = append(v.DeadlineChanges, render.CardDeadlineChange{Old: ch.OldDeadline, New: ch.NewDeadline, Reason: ch.Reason, ApprovedBy: ch.ApprovedBy})
	}
	return v
}

func recurrenceOf(s string) ledger.Recurrence {
	if r, err := ledger.ParseRecurrence(s); err == nil {
		return r
	}
	return ledger.DefaultRecurrence
}

// normaliseCode accepts what people type: full-width parentheses and digits,
// spaces.
func normaliseCode(s string) string {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("（", "(", "）", ")", " ", "", "　", "").Replace(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '０' && r <= '９' {
			r = r - '０' + '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}
