package handlers

import (
	"context"
	"errors"
	"log/slog"
	"strconv"

	"github.com/rectibot/rectibot/inbound"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/session"
)

// Keys of session.State.Data for files refused past maxReportFiles.
const (
	rkOverGroup = "over_group" // the album (media group) the person was told about
	rkOverCount = "over_count" // how many of its files were not taken
	rkOverMsg   = "over_msg"   // the message that says so, edited as more arrive
)

// refuseExtraFile answers a file past maxReportFiles. A lone file gets its
// own refusal. The photos of an album arrive as separate messages with one
// media_group_id: the album gets one message, edited to say how many of
// its files were not taken, rather than one refusal per photo.
func (h *Handler) refuseExtraFile(ctx context.Context, r *request, m *inbound.Message, dialogue string) error {
	group := m.MediaGroupID
	if group == "" {
		return h.say(ctx, r, r.t("report_too_many", map[string]any{"Max": maxReportFiles}))
	}
	var (
		count int
		msgID int
		first bool
	)
	_, err := h.d.Sessions.Update(ctx, r.chatID, r.userID, func(s *session.State, exists bool) error {
		if !exists || s.Dialogue != dialogue {
			return errDialogueMoved
		}
		if s.Data[rkOverGroup] != group {
			s.Data[rkOverGroup], s.Data[rkOverCount], first = group, "0", true
			delete(s.Data, rkOverMsg)
		}
		n, _ := strconv.Atoi(s.Data[rkOverCount])
		count = n + 1
		s.Data[rkOverCount] = strconv.Itoa(count)
		msgID, _ = strconv.Atoi(s.Data[rkOverMsg])
		return nil
	})
	switch {
	case errors.Is(err, errDialogueMoved):
		return nil // the report was sent or cancelled meanwhile
	case err != nil:
		return h.sessionDown(ctx, r, err)
	}
	text := r.t("report_album_too_many", map[string]any{"Max": maxReportFiles, "Count": count})
	if !first {
		if msgID == 0 {
			return nil // the first refusal is not out yet: it will be the one message
		}
		err := h.d.Out.Edit(ctx, outbound.Edit{ChatID: r.chatID, MessageID: msgID, Text: text})
		if err != nil && !errors.Is(err, outbound.ErrNotModified) {
			h.d.Log.WarnContext(ctx, "album refusal: update the count", slog.Any("err", err))
		}
		return nil
	}
	id, err := h.send(ctx, r, outbound.Message{Text: text})
	if err != nil || id == 0 {
		return err
	}
	_, err = h.d.Sessions.Update(ctx, r.chatID, r.userID, func(s *session.State, exists bool) error {
		if !exists || s.Dialogue != dialogue || s.Data[rkOverGroup] != group {
			return errDialogueMoved
		}
		s.Data[rkOverMsg] = strconv.Itoa(id)
		return nil
	})
	if err != nil && !errors.Is(err, errDialogueMoved) {
		// Without the mark the count stays at the first refusal's.
		h.d.Log.WarnContext(ctx, "album refusal: remember the message", slog.Any("err", err))
	}
	return nil
}
