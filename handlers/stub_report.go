package handlers

// Placeholder until report.go and reply.go land (being written now).

import (
	"context"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/session"
)

func (h *Handler) report(ctx context.Context, r *request, _ string) error               { return nil }
func (h *Handler) onReportTask(ctx context.Context, r *request, c callbackData) error   { return nil }
func (h *Handler) onReportStep(ctx context.Context, r *request, c callbackData) error   { return nil }
func (h *Handler) onReply(ctx context.Context, r *request, m *models.Message) error     { return nil }
func (h *Handler) onReplyTask(ctx context.Context, r *request, c callbackData) error    { return nil }
func (h *Handler) onReplyConfirm(ctx context.Context, r *request, c callbackData) error { return nil }
func (h *Handler) reportInput(ctx context.Context, r *request, m *models.Message, st session.State) error {
	return nil
}
