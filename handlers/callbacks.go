package handlers

import (
	"context"
	"errors"
	"log/slog"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/outbound"
)

// onCallback routes a button press. The data names ids only; each handler
// re-reads the task and re-checks the person's authority now.
func (h *Handler) onCallback(ctx context.Context, q *inbound.Callback) error {
	msg := q.Message
	if msg == nil || q.From.ID == GroupAnonymousBot {
		// A press on a message too old to see, or by an anonymous admin.
		return h.d.Out.Answer(ctx, q.ID, "", false)
	}
	r, err := h.newRequest(ctx, msg.Chat, &q.From)
	if err != nil {
		return err
	}
	r.cb = q
	r.msg = msg
	data, err := parseCallback(q.Data)
	handler, known := h.callbacks[data.Prefix]
	switch {
	case err != nil || !known:
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	case !r.known() && data.Prefix != cbLang: // /lang is for anyone, so is its answer
		h.answer(ctx, r, r.t("stranger_short", nil))
		if r.private {
			return h.refuse(ctx, r)
		}
		// In a group the notice on the button is enough: a message would
		// speak to everyone about one person's press.
		h.auditRefusal(ctx, r)
		return nil
	}
	return handler(ctx, r, data)
}

// answer acknowledges the press (the spinner on the button stops); text, if
// any, shows as a small notice.
func (h *Handler) answer(ctx context.Context, r *request, text string) {
	if r.cb == nil {
		return
	}
	if err := h.d.Out.Answer(ctx, r.cb.ID, text, false); err != nil {
		h.d.Log.WarnContext(ctx, "answer callback", slog.Any("err", err))
	}
	r.cb = nil // answered once
}

// edit replaces the pressed message (paging, a finished choice).
func (h *Handler) edit(ctx context.Context, r *request, text string, kb outbound.Keyboard) error {
	if r.msg == nil {
		_, err := h.send(ctx, r, outbound.Message{Text: text, Keyboard: kb})
		return err
	}
	err := h.d.Out.Edit(ctx, outbound.Edit{ChatID: r.chatID, MessageID: r.msg.ID, Text: text, Keyboard: kb})
	if errors.Is(err, outbound.ErrNotModified) {
		return nil
	}
	return err
}

// closeKeyboard ends a choice: the pressed message keeps its text plus a
// line saying what was chosen, and loses its buttons so it cannot be pressed
// twice.
func (h *Handler) closeKeyboard(ctx context.Context, r *request, outcome string) error {
	if r.msg == nil {
		return nil
	}
	text := escText(r.msg)
	if outcome != "" {
		text += "\n\n" + outcome
	}
	return h.edit(ctx, r, text, nil)
}
