package handlers

import (
	"context"
	"log/slog"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// The entrance's notices (bot.Notices): what a person is told about their
// own message when the bot cannot answer it at once. Each is sent to the
// update's chat in the person's Telegram language, read from the update
// alone — the ledger may be the very thing that is down.

// Delayed implements bot.Notices: the message is kept and will be handled.
func (h *Handler) Delayed(ctx context.Context, upd *inbound.Update) {
	h.tellAbout(ctx, upd, "inbox_delayed", outbound.KindInboxDelayed)
}

// Failed implements bot.Notices: the message could not be handled.
func (h *Handler) Failed(ctx context.Context, upd *inbound.Update) {
	h.tellAbout(ctx, upd, "inbox_failed", outbound.KindInboxFailed)
}

// Flooded implements bot.Notices: the chat sends faster than it is answered.
func (h *Handler) Flooded(ctx context.Context, upd *inbound.Update) {
	h.tellAbout(ctx, upd, "inbox_flood", outbound.KindInboxFlood)
}

// Apologize implements bot.PanicReporter: after a handler panicked, the
// person gets a short apology in their language (and nothing else).
func (h *Handler) Apologize(ctx context.Context, upd *inbound.Update) {
	if upd.Callback != nil {
		_ = h.d.Out.Answer(ctx, upd.Callback.ID, "", false)
	}
	h.tellAbout(ctx, upd, "panic_apology", outbound.KindApology)
}

// tellAbout sends the catalog text id to the person behind upd. Group chatter
// that was never for the bot gets nothing; a command or a press in a group
// is answered there.
func (h *Handler) tellAbout(ctx context.Context, upd *inbound.Update, id string, kind outbound.Kind) {
	var chat int64
	var code string
	switch {
	case upd.Message != nil && upd.Message.From != nil:
		m := upd.Message
		if !m.Chat.Private() && !isCommand(m.Text) {
			return
		}
		chat, code = m.Chat.ID, m.From.LanguageCode
	case upd.Callback != nil:
		code = upd.Callback.From.LanguageCode
		chat = upd.Callback.From.ID
		if m := upd.Callback.Message; m != nil {
			chat = m.Chat.ID
		}
	default:
		return
	}
	loc := render.NewLocalizer(render.LangOf("", code))
	if _, err := h.d.Out.Send(ctx, outbound.Message{ChatID: chat, Text: loc.T(id, nil), Kind: kind}); err != nil {
		h.d.Log.WarnContext(ctx, "notice not sent", slog.String("notice", id), slog.Int64("chat", chat), slog.Any("err", err))
	}
}
