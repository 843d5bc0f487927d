package handlers

import (
	"context"
	"strconv"
)

// whoami is /whoami: the person's Telegram user id, to anyone — an office
// setting the bot up puts its admins' ids in RECTIBOT_ADMINS and has no
// other way to learn them. It says nothing of the ledger.
func (h *Handler) whoami(ctx context.Context, r *request, _ string) error {
	return h.say(ctx, r, r.t("whoami", map[string]any{"ID": strconv.FormatInt(r.userID, 10)}))
}
