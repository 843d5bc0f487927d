package handlers

import (
	"context"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/outbound"
)

// SendEvidence sends one evidence file to the person's private chat by its
// file_id (miniapp.EvidenceSender). A document the Mini App would hand to
// the phone's webview as a download often goes nowhere there; in the chat
// it opens in Telegram's own viewer and can be saved or forwarded. The
// person must be allowed to see the task, as for the 佐证材料 button; the
// message is a delivery about the task, as the button's are.
func (h *Handler) SendEvidence(ctx context.Context, telegramUserID int64, attachmentID uint) error {
	r, err := h.requestOf(ctx, telegramUserID)
	if err != nil {
		return err
	}
	att, taskID, err := h.d.Store.AttachmentByID(ctx, attachmentID)
	if err != nil {
		return err
	}
	scope, err := h.d.Store.TaskScope(ctx, taskID)
	if err != nil {
		return err
	}
	if err := ledger.Authorize(r.actor, ledger.ActViewTask, &scope); err != nil {
		return err
	}
	it, err := h.d.Store.TaskItem(ctx, taskID)
	if err != nil {
		return err
	}
	caption := r.t("evidence_one", map[string]any{"Code": esc(it.Code), "Title": esc(short(it.Title, verifyTitleRunes))})
	_, err = h.d.Out.SendFiles(ctx, outbound.Files{ChatID: r.chatID, Kind: outbound.KindEvidence, PersonID: r.personID(),
		TaskIDs: []uint{taskID}, Files: []outbound.StoredFile{{Kind: att.Kind, FileID: att.FileID, Caption: caption}}})
	return err
}
