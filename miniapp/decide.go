package miniapp

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
)

// Decider takes a leader's decision through the bot's own path (the
// conversations in handlers): the same permission check, the same
// compare-and-set on the status, the same audit event and the same
// messages to the officer as the buttons in the chat. The person is named
// by their Telegram id, so the bot loads them as it would for a press.
type Decider interface {
	DecideClosure(ctx context.Context, telegramUserID int64, taskID uint, approve bool, reason string) error
	DecideDeadline(ctx context.Context, telegramUserID int64, requestID uint, approve bool, reason string) error
}

// decisionBody is what the page posts, after its confirmation dialog.
type decisionBody struct {
	Decision string `json:"decision"` // approve | reject
	Reason   string `json:"reason"`
}

// maxDecisionBody bounds the body: a decision and a reason of at most
// ledger.MaxReasonRunes characters (4 bytes each at worst) and the JSON.
const maxDecisionBody = 4*ledger.MaxReasonRunes + 256

func (s *Server) decideClosure(w http.ResponseWriter, r *http.Request, c *caller) {
	id, body, ok := decisionRequest(w, r)
	if !ok {
		return
	}
	err := s.d.Decide.DecideClosure(r.Context(), c.telegramID, id, body.Decision == "approve", body.Reason)
	s.decided(w, r, c, id, err)
}

func (s *Server) decideDeadline(w http.ResponseWriter, r *http.Request, c *caller) {
	id, body, ok := decisionRequest(w, r)
	if !ok {
		return
	}
	req, _, err := s.d.Store.DeadlineRequestByID(r.Context(), id)
	if err == nil {
		err = s.d.Decide.DecideDeadline(r.Context(), c.telegramID, id, body.Decision == "approve", body.Reason)
	}
	s.decided(w, r, c, req.Task.ID, err)
}

// decisionRequest reads the id in the path and the body; it answers 400
// itself when either is bad.
func decisionRequest(w http.ResponseWriter, r *http.Request) (uint, decisionBody, bool) {
	var body decisionBody
	id, ok := pathID(w, r)
	if !ok {
		return 0, body, false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxDecisionBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || (body.Decision != "approve" && body.Decision != "reject") {
		writeError(w, http.StatusBadRequest, "bad_request")
		return 0, body, false
	}
	return id, body, true
}

// decided answers a decision: the task as it is now, or what went wrong in
// words the page translates. A refusal says nothing of a task out of reach.
func (s *Server) decided(w http.ResponseWriter, r *http.Request, c *caller, taskID uint, err error) {
	var te *ledger.TransitionError
	switch {
	case err == nil:
	case errors.Is(err, ledger.ErrDenied), errors.Is(err, models.ErrNotFound):
		writeError(w, http.StatusForbidden, "forbidden")
		return
	case errors.Is(err, ledger.ErrReasonRequired):
		writeError(w, http.StatusBadRequest, "reason_required")
		return
	case errors.Is(err, ledger.ErrReasonTooLong):
		writeError(w, http.StatusBadRequest, "reason_too_long")
		return
	case errors.Is(err, models.ErrOwnRequest):
		writeError(w, http.StatusConflict, "own_request")
		return
	case errors.Is(err, models.ErrConflict), errors.As(err, &te),
		errors.Is(err, models.ErrTaskClosed), errors.Is(err, models.ErrLongTerm):
		writeError(w, http.StatusConflict, "already_decided")
		return
	default:
		s.d.Log.ErrorContext(r.Context(), "miniapp: decision", slog.Uint64("task", uint64(taskID)), slog.Any("err", err))
		writeError(w, http.StatusServiceUnavailable, "try_later")
		return
	}
	task, err := s.taskView(r.Context(), c, taskID)
	if err != nil {
		// The decision stands; the page reloads the task.
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "task": task})
}
