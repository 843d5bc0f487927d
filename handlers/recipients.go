package handlers

// Who hears of a task: its officer, its leader, the office (the unit's
// admins and the configured ones). One list, deduplicated by chat, serves
// the requests sent to whoever decides them, the decisions told back, and
// the follow-up reviews' news.

import (
	"context"
	"log/slog"

	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// recipient is one person a message about a task goes to, in their
// language.
type recipient struct {
	personID   *uint // nil: an admin known only from RECTIBOT_ADMINS
	telegramID int64
	lang       string
}

// audience names who of a task hears of it.
type audience uint8

const (
	toOfficer audience = 1 << iota
	toLeader
	toOffice // the task's unit's admins and the configured admins
)

// recipients lists who of the task's people the audience names and have
// linked Telegram, once per chat, officer first, then the leader, then the
// office; skip leaves people out by id (the one who asked, the officer of
// a request they may not decide). Configured admins, who are no person of
// the ledger, are never skipped.
func (h *Handler) recipients(ctx context.Context, who dbmodels.TaskContacts, aud audience, skip func(personID uint) bool) ([]recipient, error) {
	var out []recipient
	seen := map[int64]bool{}
	add := func(personID *uint, chat *int64, lang string) {
		if chat == nil || seen[*chat] || (personID != nil && skip != nil && skip(*personID)) {
			return
		}
		seen[*chat] = true
		out = append(out, recipient{personID: personID, telegramID: *chat, lang: lang})
	}
	if aud&toOfficer != 0 {
		id := who.Officer.PersonID
		add(&id, who.Officer.TelegramID, who.Officer.Lang)
	}
	if aud&toLeader != 0 {
		id := who.Leader.PersonID
		add(&id, who.Leader.TelegramID, who.Leader.Lang)
	}
	if aud&toOffice != 0 {
		admins, err := h.d.Store.AdminsOf(ctx, who.UnitID)
		if err != nil {
			return out, err
		}
		for _, p := range admins {
			id := p.ID
			add(&id, p.TelegramUserID, p.Lang)
		}
		for _, tg := range h.d.Admins {
			add(nil, &tg, "")
		}
	}
	return out, nil
}

// tell sends each recipient the text in their language, about the tasks
// given, and reports how many it reached; a failure is logged and the
// others are still told.
func (h *Handler) tell(ctx context.Context, to []recipient, kind outbound.Kind, taskIDs []uint, text func(*render.Localizer) string) int {
	told := 0
	for _, rc := range to {
		loc := render.NewLocalizer(render.LangOf(rc.lang, ""))
		m := outbound.Message{ChatID: rc.telegramID, Text: oneMessage(text(loc)), Kind: kind, PersonID: rc.personID, TaskIDs: taskIDs}
		if _, err := h.d.Out.Send(ctx, m); err != nil {
			h.d.Log.WarnContext(ctx, "tell", slog.String("kind", string(kind)), slog.Int64("chat", rc.telegramID), slog.Any("err", err))
			continue
		}
		told++
	}
	return told
}
