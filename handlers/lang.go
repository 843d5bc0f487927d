package handlers

import (
	"context"

	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// lang is /lang: choose 中文 or English.
func (h *Handler) lang(ctx context.Context, r *request, _ string) error {
	kb := outbound.Keyboard{{
		{Text: "中文", Data: cb(cbLang, 0, string(render.LangZh))},
		{Text: "English", Data: cb(cbLang, 0, string(render.LangEn))},
	}}
	_, err := h.send(ctx, r, outbound.Message{Text: r.t("lang_choose", nil), Keyboard: kb})
	return err
}

// onLang stores the choice; the answer already speaks the new language.
func (h *Handler) onLang(ctx context.Context, r *request, c callbackData) error {
	l, ok := render.ParseLang(c.Arg)
	if !ok {
		h.answer(ctx, r, r.t("button_unknown", nil))
		return nil
	}
	var err error
	if r.member != nil {
		err = h.d.Store.SetLanguage(ctx, r.member.Person.ID, string(l))
	} else {
		// Not linked (a configured admin, or someone yet to /start with an
		// invitation): kept by Telegram id, and theirs once linked too.
		err = h.d.Store.SetUserLanguage(ctx, r.userID, string(l))
	}
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	r.loc = render.NewLocalizer(l)
	h.answer(ctx, r, "")
	return h.edit(ctx, r, r.t("lang_set", nil), nil)
}
