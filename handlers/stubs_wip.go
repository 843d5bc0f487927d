package handlers

// Work in progress: these conversations are being written in their own
// files; this file goes away when they land.

import (
	"context"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/session"
)

func (h *Handler) report(ctx context.Context, r *request, _ string) error { return nil }
func (h *Handler) onReportTask(ctx context.Context, r *request, c callbackData) error { return nil }
func (h *Handler) onReportStep(ctx context.Context, r *request, c callbackData) error { return nil }
func (h *Handler) reportInput(ctx context.Context, r *request, m *models.Message, st session.State) error {
	return nil
}
func (h *Handler) onReply(ctx context.Context, r *request, m *models.Message) error     { return nil }
func (h *Handler) onReplyTask(ctx context.Context, r *request, c callbackData) error    { return nil }
func (h *Handler) onReplyConfirm(ctx context.Context, r *request, c callbackData) error { return nil }
func (h *Handler) verify(ctx context.Context, r *request, _ string) error              { return nil }
func (h *Handler) onApprove(ctx context.Context, r *request, c callbackData) error      { return nil }
func (h *Handler) onReject(ctx context.Context, r *request, c callbackData) error       { return nil }
func (h *Handler) rejectInput(ctx context.Context, r *request, m *models.Message, st session.State) error {
	return nil
}
func (h *Handler) invite(ctx context.Context, r *request, _ string) error               { return nil }
func (h *Handler) onInvitePerson(ctx context.Context, r *request, c callbackData) error { return nil }
func (h *Handler) onInviteRole(ctx context.Context, r *request, c callbackData) error   { return nil }
func (h *Handler) group(ctx context.Context, r *request, _ string) error                { return nil }
func (h *Handler) onGroupToggle(ctx context.Context, r *request, c callbackData) error  { return nil }
