package handlers

import (
	"context"
	"errors"
	"regexp"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
)

// inviteCode is the shape of a code the bot makes (Telegram allows
// [A-Za-z0-9_-]{1,64} in a /start parameter).
var inviteCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// start is /start [code]: a welcome, or linking the account with an invite.
func (h *Handler) start(ctx context.Context, r *request, code string) error {
	if code == "" {
		if !r.known() {
			return h.refuse(ctx, r)
		}
		return h.say(ctx, r, r.t("welcome_back", map[string]any{"Name": esc(r.name())})+"\n\n"+h.helpText(r))
	}
	if h.d.Guesses != nil && !h.d.Guesses.Allow(telegramLabel(r.userID)) {
		return h.say(ctx, r, r.t("invite_too_many", nil))
	}
	if !inviteCode.MatchString(code) {
		return h.say(ctx, r, r.t("invite_unknown", nil))
	}
	p, err := h.d.Store.RedeemInvite(ctx, code, r.userID)
	switch {
	case errors.Is(err, dbmodels.ErrInviteUnknown):
		return h.say(ctx, r, r.t("invite_unknown", nil))
	case errors.Is(err, dbmodels.ErrInviteUsed):
		return h.say(ctx, r, r.t("invite_used", nil))
	case errors.Is(err, dbmodels.ErrInviteExpired):
		return h.say(ctx, r, r.t("invite_expired", nil))
	case errors.Is(err, dbmodels.ErrAccountLinked):
		return h.say(ctx, r, r.t("invite_other_account", nil))
	case err != nil:
		return h.fail(ctx, r, err)
	}
	// Remember the language Telegram reports, so that messages the bot
	// starts (notifications, reminders) speak it too; /lang changes it.
	if p.Lang == "" {
		if err := h.d.Store.SetLanguage(ctx, p.ID, string(r.loc.Lang())); err != nil {
			h.d.Log.WarnContext(ctx, "store language", "err", err)
		}
	}
	// Read the person again: the request was built before the link existed.
	fresh, err := h.newRequest(ctx, r.chat(), r.user())
	if err != nil {
		return err
	}
	// Their roles are known now: their menu lists what they may use.
	h.setMenu(ctx, fresh)
	var roles []string
	for _, role := range fresh.actor.Roles {
		roles = append(roles, fresh.t("role_"+string(role), nil))
	}
	text := fresh.t("welcome_linked", map[string]any{"Name": esc(p.Name), "Roles": joinList(fresh, roles)})
	return h.say(ctx, fresh, text+"\n\n"+h.helpText(fresh))
}

// help is /help: what the bot does for this person, by role.
func (h *Handler) help(ctx context.Context, r *request, _ string) error {
	if !r.known() {
		return h.say(ctx, r, r.t("stranger", nil))
	}
	return h.say(ctx, r, h.helpText(r))
}

// helpText lists the commands the person's roles allow.
func (h *Handler) helpText(r *request) string {
	a := r.actor
	lines := []string{r.t("help_intro", nil)}
	add := func(ok bool, id string) {
		if ok {
			lines = append(lines, r.t(id, nil))
		}
	}
	// The same commands as the person's menu (offers), in the same order,
	// with replying after /report and /group among the admin's.
	for _, name := range privateOrder {
		if name == "help" {
			continue
		}
		add(offers(a, name), "help_"+name)
		switch name {
		case "report":
			add(offers(a, name), "help_reply")
		case "invite":
			add(a.Has(ledger.RoleAdmin), "help_group")
		}
	}
	return joinLines(lines)
}

// cancel is /cancel: leave the current dialogue.
func (h *Handler) cancel(ctx context.Context, r *request, _ string) error {
	_, ok, err := h.d.Sessions.Get(ctx, r.chatID, r.userID)
	if err != nil {
		return h.sessionDown(ctx, r, err)
	}
	if !ok {
		return h.say(ctx, r, r.t("cancel_nothing", nil))
	}
	h.endDialogue(ctx, r)
	return h.say(ctx, r, r.t("cancel_done", nil))
}

// onCancel is the "cancel" button of a dialogue.
func (h *Handler) onCancel(ctx context.Context, r *request, _ callbackData) error {
	h.endDialogue(ctx, r)
	h.answer(ctx, r, r.t("cancel_done", nil))
	return h.closeKeyboard(ctx, r, r.t("cancel_done", nil))
}
