package handlers

// Placeholder until invite.go and group.go land (being written now).

import "context"

func (h *Handler) invite(ctx context.Context, r *request, _ string) error               { return nil }
func (h *Handler) onInvitePerson(ctx context.Context, r *request, c callbackData) error { return nil }
func (h *Handler) onInviteRole(ctx context.Context, r *request, c callbackData) error   { return nil }
func (h *Handler) group(ctx context.Context, r *request, _ string) error                { return nil }
func (h *Handler) onGroupToggle(ctx context.Context, r *request, c callbackData) error  { return nil }
