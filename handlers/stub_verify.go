package handlers

// Placeholder until verify.go lands (being written now).

import (
	"context"

	"github.com/go-telegram/bot/models"

	"github.com/rectibot/rectibot/session"
)

func (h *Handler) verify(ctx context.Context, r *request, _ string) error          { return nil }
func (h *Handler) onApprove(ctx context.Context, r *request, c callbackData) error { return nil }
func (h *Handler) onReject(ctx context.Context, r *request, c callbackData) error  { return nil }
func (h *Handler) rejectInput(ctx context.Context, r *request, m *models.Message, st session.State) error {
	return nil
}
