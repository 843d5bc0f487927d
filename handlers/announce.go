package handlers

import (
	"context"
	"log/slog"

	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// announceClosure tells the groups subscribed to closures that cover the
// department: a department is of one unit, so a group bound to another
// unit never hears of it (GroupsFor); the supervisors' group, above the
// units, hears of every unit. A group is a shared room, so it
// gets the default language (Chinese) whatever its members chose. The
// event announced has already happened: a group that cannot be reached is
// logged and the others still hear of it.
func (h *Handler) announceClosure(ctx context.Context, departmentID uint, text func(*render.Localizer) string) {
	groups, err := h.d.Store.GroupsFor(ctx, dbmodels.SubscribeClosures, departmentID)
	if err != nil {
		h.d.Log.ErrorContext(ctx, "announce: list groups", slog.Any("err", err))
		return
	}
	if len(groups) == 0 {
		return
	}
	pages := render.Paginate(text(render.NewLocalizer(render.DefaultLang)), render.FormatHTML, render.TelegramMaxText)
	for _, g := range groups {
		for _, page := range pages {
			m := outbound.Message{ChatID: g.ChatID, Text: page, Kind: outbound.KindAnnounceClosure}
			if _, err := h.d.Out.Send(ctx, m); err != nil {
				h.d.Log.WarnContext(ctx, "announce", slog.Int64("chat", g.ChatID), slog.Any("err", err))
				break
			}
		}
	}
}
