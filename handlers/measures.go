package handlers

import (
	"context"
	"errors"
	"strconv"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// Ticking measures happens on the task card itself: 「☑ 勾选措施」 swaps
// the card's buttons for one per measure (☐ 1, ☑ 2…), each press ticks or
// unticks one and redraws the card (its text shows the boxes and the count
// done), and 「完成」 brings the card's own buttons back. Whoever may report
// progress on the task may tick its measures; every press re-checks that,
// and the task's status, as stored now.

// measuresPerRow keeps the number buttons wide enough to hit on a phone.
const measuresPerRow = 5

// maxMeasureButtons keeps the keyboard under Telegram's 100 buttons
// whatever a ledger holds: only a task's first 90 measures can be ticked
// from the card (no real 台账 comes near).
const maxMeasureButtons = 90

// Arguments of cbMeasureTick: the state asked for, not a toggle, so a
// press repeated before the keyboard was redrawn does not undo itself.
const (
	measureTick   = "1"
	measureUntick = "0"
)

// measureCardRows is the card's 勾选措施 button, for a person who may
// report progress on an open task that has measures.
func (h *Handler) measureCardRows(r *request, c dbmodels.TaskCard) outbound.Keyboard {
	scope := c.Scope()
	if c.Status == ledger.StatusClosed || len(c.Measures) == 0 || ledger.Authorize(r.actor, ledger.ActReportProgress, &scope) != nil {
		return nil
	}
	return outbound.Keyboard{{{Text: "☑ " + r.t("measures_button", nil), Data: cb(cbMeasures, c.ID, "")}}}
}

// measureKeyboard lists the measures as buttons that tick or untick them,
// then the way back to the card's own buttons.
func measureKeyboard(r *request, c dbmodels.TaskCard) outbound.Keyboard {
	var kb outbound.Keyboard
	var row []outbound.Button
	for i, m := range c.Measures {
		if i == maxMeasureButtons {
			break
		}
		arg := measureTick
		if m.Done {
			arg = measureUntick
		}
		row = append(row, outbound.Button{Text: render.MeasureBox(m.Done) + " " + strconv.Itoa(i+1), Data: cb(cbMeasureTick, m.ID, arg)})
		if len(row) == measuresPerRow {
			kb, row = append(kb, row), nil
		}
	}
	if len(row) > 0 {
		kb = append(kb, row)
	}
	return append(kb, []outbound.Button{{Text: "✅ " + r.t("measures_button_back", nil), Data: cb(cbMeasuresBack, c.ID, "")}})
}

// onMeasures is the card's 勾选措施 button: the card, with its measures as
// buttons.
func (h *Handler) onMeasures(ctx context.Context, r *request, d callbackData) error {
	if _, ok := h.authorizeTask(ctx, r, d.ID, ledger.ActReportProgress); !ok {
		return nil
	}
	c, err := h.d.Store.Card(ctx, d.ID)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	switch {
	case c.Status == ledger.StatusClosed:
		h.answer(ctx, r, r.t("measures_closed", nil))
		return h.redrawCard(ctx, r, c, h.cardButtons(r, c))
	case len(c.Measures) == 0:
		h.answer(ctx, r, r.t("measures_none", nil))
		return nil
	}
	h.answer(ctx, r, r.t("measures_pick", nil))
	return h.redrawCard(ctx, r, c, measureKeyboard(r, c))
}

// onMeasureTick ticks or unticks one measure and redraws the card. The
// data names the measure; its task decides who may and whether it still
// can. A measure that does not exist is answered as one the person may not
// touch, so ids cannot be probed.
func (h *Handler) onMeasureTick(ctx context.Context, r *request, d callbackData) error {
	if d.Arg != measureTick && d.Arg != measureUntick {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	m, err := h.d.Store.Measure(ctx, d.ID)
	switch {
	case errors.Is(err, dbmodels.ErrNotFound):
		h.answer(ctx, r, r.t("not_allowed", nil))
		return nil
	case err != nil:
		return h.fail(ctx, r, err)
	}
	if _, ok := h.authorizeTask(ctx, r, m.TaskID, ledger.ActReportProgress); !ok {
		return nil
	}
	m, err = h.d.Store.SetMeasureDone(ctx, m.ID, d.Arg == measureTick, r.auditActor())
	closed := errors.Is(err, dbmodels.ErrMeasuresClosed)
	if err != nil && !closed {
		return h.fail(ctx, r, err)
	}
	c, err := h.d.Store.Card(ctx, m.TaskID)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	if closed {
		// Say why nothing changed, and take the stale buttons away.
		h.answer(ctx, r, r.t("measures_closed", nil))
		return h.redrawCard(ctx, r, c, h.cardButtons(r, c))
	}
	n := 0
	for i, cm := range c.Measures {
		if cm.ID == m.ID {
			n = i + 1
		}
	}
	note := "measures_unticked"
	if m.Done {
		note = "measures_ticked"
	}
	h.answer(ctx, r, r.t(note, map[string]any{"N": n}))
	return h.redrawCard(ctx, r, c, measureKeyboard(r, c))
}

// onMeasuresBack is 完成: the card with its own buttons again.
func (h *Handler) onMeasuresBack(ctx context.Context, r *request, d callbackData) error {
	if _, ok := h.authorizeTask(ctx, r, d.ID, ledger.ActViewTask); !ok {
		return nil
	}
	c, err := h.d.Store.Card(ctx, d.ID)
	if err != nil {
		return h.fail(ctx, r, err)
	}
	h.answer(ctx, r, "")
	return h.redrawCard(ctx, r, c, h.cardButtons(r, c))
}

// redrawCard replaces the pressed card with the task as it is now, drawn
// as sendCard draws it.
func (h *Handler) redrawCard(ctx context.Context, r *request, c dbmodels.TaskCard, kb outbound.Keyboard) error {
	return h.edit(ctx, r, h.cardText(r, c), kb)
}
