package handlers

// The 佐证材料 button (ev:<task>): what the officer sent as evidence, sent
// back to whoever may see the task — the latest report whole, then the
// photos as albums and the documents by file_id — so a leader or the
// office sees the evidence before signing a closure off.

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rectibot/rectibot/ledger"
	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
	"github.com/rectibot/rectibot/render"
)

// evidenceFiles bounds what one press sends: three albums' worth. The
// exported ledger lists every file.
const evidenceFiles = 30

// evidenceCaptionRunes keeps a caption inside Telegram's 1024 characters.
const evidenceCaptionRunes = 200

// onEvidence sends a task's evidence to the person who pressed.
func (h *Handler) onEvidence(ctx context.Context, r *request, c callbackData) error {
	if _, ok := h.authorizeTask(ctx, r, c.ID, ledger.ActViewTask); !ok {
		return nil
	}
	it, err := h.d.Store.TaskItem(ctx, c.ID)
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	latest, err := h.d.Store.LatestProgressOf(ctx, []uint{c.ID})
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	files, total, err := h.d.Store.EvidenceOf(ctx, c.ID, evidenceFiles)
	if err != nil {
		h.answer(ctx, r, r.t("try_later", nil))
		return nil
	}
	h.answer(ctx, r, "")
	tz := defaultZone()
	if p, ok := latest[c.ID]; ok {
		head := r.t("evidence_latest", map[string]any{"Date": r.loc.Time(p.CreatedAt.In(tz)), "Who": esc(authorName(r.loc, p.Author))})
		// The report whole, over as many messages as it takes.
		for _, page := range render.Paginate("<b>"+esc(it.Code)+"</b> "+head+"\n"+esc(p.Text), render.FormatHTML, render.TelegramMaxText) {
			if _, err := h.send(ctx, r, outbound.Message{Text: page, Kind: outbound.KindEvidence, TaskIDs: []uint{c.ID}}); err != nil {
				return err
			}
		}
	}
	if total == 0 {
		return h.say(ctx, r, r.t("evidence_none", map[string]any{"Code": esc(it.Code)}))
	}
	if err := h.say(ctx, r, r.t("evidence_title", map[string]any{"Code": esc(it.Code), "Title": esc(short(it.Title, verifyTitleRunes)), "Files": total})); err != nil {
		return err
	}
	out := outbound.Files{ChatID: r.chatID, Kind: outbound.KindEvidence, PersonID: r.personID(), TaskIDs: []uint{c.ID}}
	for i, f := range files {
		caption := ""
		// One caption per entry: the first of its files says whose and when.
		if i == 0 || files[i-1].ProgressEntryID != f.ProgressEntryID {
			caption = r.t("evidence_caption", map[string]any{"Date": r.loc.Date(ledger.DateOf(f.CreatedAt.In(tz))),
				"Who": esc(authorName(r.loc, f.Author)), "Text": esc(short(strings.TrimSpace(f.EntryText), evidenceCaptionRunes))})
		}
		out.Files = append(out.Files, outbound.StoredFile{Kind: f.Kind, FileID: f.FileID, Caption: caption})
	}
	if _, err := h.d.Out.SendFiles(ctx, out); err != nil {
		var refused *outbound.FilesRefusedError
		if !errors.As(err, &refused) {
			return err
		}
		h.d.Log.WarnContext(ctx, "evidence: files refused", slog.Uint64("task", uint64(c.ID)), slog.Int("count", len(refused.Files)), slog.Any("err", err))
		_ = h.say(ctx, r, r.t("evidence_failed", map[string]any{"Count": len(refused.Files)}))
	}
	if more := int(total) - len(files); more > 0 {
		return h.say(ctx, r, r.t("evidence_more", map[string]any{"Count": more}))
	}
	return nil
}

func authorName(loc *render.Localizer, name string) string {
	if name == "" {
		return loc.T("evidence_imported", nil)
	}
	return name
}

// evidenceRow is the card's 佐证材料 button, when there is evidence to send
// or a latest report longer than the card shows.
func evidenceRow(r *request, c dbmodels.TaskCard) outbound.Keyboard {
	long := len(c.Progress) > 0 && utf8.RuneCountInString(c.Progress[0].Text) > render.CardLatestRunes
	if c.Files == 0 && !long {
		return nil
	}
	label := "📎 " + r.t("button_evidence", nil)
	if c.Files > 0 {
		label += " (" + strconv.FormatInt(c.Files, 10) + ")"
	}
	return outbound.Keyboard{{{Text: label, Data: cb(cbEvidence, c.ID, "")}}}
}
