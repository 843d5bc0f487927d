package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// request is one update as the conversations see it: who asks, where, in
// which language, with what authority — read from the ledger now.
type request struct {
	chatID    int64
	chatTitle string
	private   bool
	userID    int64
	firstName string
	member    *dbmodels.Member // nil: not linked
	actor     ledger.Actor     // the member's, plus admin for configured admins
	loc       *render.Localizer
	msg       *inbound.Message  // the message, for a message update
	cb        *inbound.Callback // the press, for a callback update
}

func (h *Handler) newRequest(ctx context.Context, chat inbound.Chat, from *inbound.User) (*request, error) {
	r := &request{chatID: chat.ID, chatTitle: chat.Title, private: chat.Private(),
		userID: from.ID, firstName: from.FirstName}
	lang, err := h.identify(ctx, r)
	if err != nil {
		// Not told here: the inbox retries the update and tells the person
		// once that it is delayed.
		return nil, err
	}
	if r.member != nil && r.member.Person.UnreachableAt != nil {
		// They wrote to us, so they unblocked the bot.
		if err := h.d.Store.MarkReachable(ctx, from.ID); err != nil {
			h.d.Log.WarnContext(ctx, "mark reachable", slog.Any("err", err))
		}
	}
	r.loc = render.NewLocalizer(render.LangOf(lang, from.LanguageCode))
	return r, nil
}

// identify fills in who r.userID is in the ledger now — the linked person
// and their authority, plus admin for a configured admin — and returns the
// language they chose ("" for none).
func (h *Handler) identify(ctx context.Context, r *request) (string, error) {
	id, err := h.d.Store.Identify(ctx, r.userID, h.isConfigAdmin(r.userID))
	if err != nil {
		return "", fmt.Errorf("identify telegram user %d: %w", r.userID, err)
	}
	r.member, r.actor = id.Member, id.Actor
	return id.Lang, nil
}

func (h *Handler) anonymous(m *inbound.Message) *request {
	return &request{chatID: m.Chat.ID, chatTitle: m.Chat.Title, loc: render.NewLocalizer(render.DefaultLang)}
}

// known reports whether the person may use the bot at all: linked, or an
// admin from the configuration.
func (r *request) known() bool { return r.member != nil || r.actor.Has(ledger.RoleAdmin) }

// personID is the linked person's id, or nil for a configured admin who has
// no person in the ledger.
func (r *request) personID() *uint {
	if r.member == nil {
		return nil
	}
	id := r.member.Person.ID
	return &id
}

// auditActor is how the ledger's audit trail names the person.
func (r *request) auditActor() dbmodels.Actor {
	return dbmodels.Actor{PersonID: r.personID(), Label: telegramLabel(r.userID)}
}

func (r *request) t(id string, data map[string]any) string { return r.loc.T(id, data) }

func (r *request) name() string {
	if r.member != nil {
		return r.member.Person.Name
	}
	return r.firstName
}

func telegramLabel(userID int64) string { return fmt.Sprintf("telegram:%d", userID) }

// say sends text (Telegram HTML) to the request's chat.
func (h *Handler) say(ctx context.Context, r *request, text string) error {
	_, err := h.send(ctx, r, outbound.Message{Text: text})
	return err
}

// send sends m to the request's chat, filling in the chat and the person.
func (h *Handler) send(ctx context.Context, r *request, m outbound.Message) (int, error) {
	m.ChatID = r.chatID
	if m.PersonID == nil && r.private {
		m.PersonID = r.personID()
	}
	id, err := h.d.Out.Send(ctx, m)
	if err != nil {
		h.d.Log.WarnContext(ctx, "send failed", slog.Int64("chat", r.chatID), slog.Any("err", err))
		if errors.Is(err, outbound.ErrUnreachable) {
			return 0, nil // nobody to tell; the person is marked unreachable
		}
	}
	return id, err
}

// fail returns err for the inbox, which keeps the update, retries it with
// growing waits and tells the person once that it is delayed. Telling them
// here as well would repeat the notice at every retry.
func (h *Handler) fail(_ context.Context, r *request, err error) error {
	return fmt.Errorf("chat %d: %w", r.chatID, err)
}
