package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/go-telegram/bot/models"

	dbmodels "github.com/rectibot/rectibot/models"
)

// ErrNotStored is returned by Take when the updates could not be written to
// the inbox: they must not be confirmed to Telegram, which then delivers
// them again.
var ErrNotStored = errors.New("updates not stored; not to be confirmed")

// errNotUpdate is a body that is not a Telegram update.
var errNotUpdate = errors.New("not a Telegram update")

// incoming is one update as it arrived: its raw JSON (stored as it came,
// with fields the library does not know) and what it decodes to.
type incoming struct {
	raw []byte
	upd models.Update
}

// decodeUpdate reads one update; an update with no id is not one.
func decodeUpdate(raw []byte) (incoming, error) {
	var in incoming
	if err := json.Unmarshal(raw, &in.upd); err != nil {
		return in, fmt.Errorf("%w: %w", errNotUpdate, err)
	}
	if in.upd.ID == 0 {
		return in, errNotUpdate
	}
	in.raw = raw
	return in, nil
}

// Take stores updates in the inbox and starts handling their chats. Once it
// returns nil the updates are safe and may be confirmed to Telegram. If they
// cannot be stored (the database is away) it returns ErrNotStored, having
// told each person once that their message is delayed.
func (in *Inbox) Take(ctx context.Context, batch []incoming) error {
	if len(batch) == 0 {
		return nil
	}
	now := in.clock.Now().UTC()
	rows := make([]dbmodels.InboxUpdate, len(batch))
	for i, u := range batch {
		rows[i] = dbmodels.InboxUpdate{UpdateID: u.upd.ID, ChatID: chatOf(&u.upd), Kind: kindOf(&u.upd),
			Payload: string(u.raw), ReceivedAt: now, NextAttemptAt: now, Outcome: "", LastError: ""}
	}
	if err := in.stores.do(ctx, rows); err != nil {
		in.log.WarnContext(ctx, "inbox: updates not stored; Telegram will deliver them again",
			slog.Int("updates", len(batch)), slog.Any("err", err))
		in.metrics.inbox.WithLabelValues("any", "not_stored").Add(float64(len(batch)))
		for _, u := range batch {
			if in.notices != nil && !in.toldRecently(chatOf(&u.upd), in.clock.Now()) {
				in.notices.Delayed(ctx, toInbound(&u.upd))
			}
		}
		return fmt.Errorf("%w: %w", ErrNotStored, err)
	}
	in.mu.Lock()
	base := in.base
	in.mu.Unlock()
	if base == nil { // not running yet: Run's first Poll finds them
		return nil
	}
	seen := map[int64]bool{}
	for _, r := range rows {
		if !seen[r.ChatID] {
			seen[r.ChatID] = true
			in.start(base, r.ChatID)
		}
	}
	return nil
}

// kindOf classifies an update for the flood rule.
func kindOf(u *models.Update) dbmodels.UpdateKind {
	switch {
	case u.Message != nil:
		if u.Message.MediaGroupID == "" && strings.HasPrefix(u.Message.Text, "/") {
			return dbmodels.UpdateCommand
		}
		return dbmodels.UpdateMessage
	case u.CallbackQuery != nil:
		return dbmodels.UpdateCallback
	case u.MyChatMember != nil:
		return dbmodels.UpdateMember
	}
	return dbmodels.UpdateOther
}

// chatOf is the chat an update belongs to; updates with none share chat 0.
func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.ChannelPost != nil:
		return u.ChannelPost.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message.Message != nil:
		return u.CallbackQuery.Message.Message.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// TakeUpdates is Take for updates already decoded (the sandbox and tests
// build them): each is stored as its JSON.
func (in *Inbox) TakeUpdates(ctx context.Context, ups ...*models.Update) error {
	batch := make([]incoming, 0, len(ups))
	for _, u := range ups {
		raw, err := json.Marshal(u)
		if err != nil {
			return fmt.Errorf("update %d: %w", u.ID, err)
		}
		batch = append(batch, incoming{raw: raw, upd: *u})
	}
	return in.Take(ctx, batch)
}
