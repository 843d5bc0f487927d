package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
)

// Poller is long polling written here rather than the library's Start: the
// library confirms updates (moves the offset) as soon as they enter its
// buffer, so a crash loses them. This poller confirms an update only after
// the dispatcher handled it; a redelivered one is then skipped by the
// deduper.
type Poller struct {
	baseURL    string // e.g. https://api.telegram.org
	token      string
	client     *http.Client
	dispatcher *Dispatcher
	log        *slog.Logger
	timeout    time.Duration
	allowed    []string
}

// NewPoller returns a poller; timeout is the long-poll wait (Telegram allows
// up to 50 s).
func NewPoller(baseURL, token string, d *Dispatcher, log *slog.Logger, timeout time.Duration) *Poller {
	return &Poller{
		baseURL: strings.TrimRight(baseURL, "/"), token: token, dispatcher: d, log: log, timeout: timeout,
		client:  &http.Client{Timeout: timeout + 15*time.Second},
		allowed: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember},
	}
}

type updatesResponse struct {
	OK          bool             `json:"ok"`
	Result      []*models.Update `json:"result"`
	ErrorCode   int              `json:"error_code"`
	Description string           `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// Run polls until ctx ends, then returns after the updates in hand are
// handled (their offset is confirmed on the next start).
func (p *Poller) Run(ctx context.Context) error {
	var offset int64
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		if backoff > 0 {
			if err := sleepCtx(ctx, backoff); err != nil {
				break
			}
		}
		updates, retryAfter, err := p.fetch(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			backoff = min(max(2*backoff, time.Second, retryAfter), 30*time.Second)
			p.log.WarnContext(ctx, "getUpdates failed", slog.Any("err", redact(err, p.token)), slog.Duration("retry_in", backoff))
			continue
		}
		backoff = 0
		offset = p.handle(ctx, updates, offset)
	}
	p.dispatcher.Wait()
	return nil
}

// handle submits a batch in order and returns the next offset: past every
// handled update, but not past the first one that must be delivered again.
func (p *Poller) handle(ctx context.Context, updates []*models.Update, offset int64) int64 {
	results := make([]<-chan error, len(updates))
	for i, u := range updates {
		// Handling goes on through shutdown so what is in hand finishes.
		results[i] = p.dispatcher.Submit(context.WithoutCancel(ctx), u)
	}
	next, failed := offset, false
	for i, ch := range results {
		err := <-ch
		switch {
		case err != nil && !failed:
			failed = true
			next = updates[i].ID
			p.log.WarnContext(ctx, "update will be fetched again", slog.Int64("update_id", updates[i].ID), slog.Any("err", err))
		case !failed:
			next = updates[i].ID + 1
		}
	}
	return next
}

func (p *Poller) fetch(ctx context.Context, offset int64) ([]*models.Update, time.Duration, error) {
	body, _ := json.Marshal(map[string]any{
		"offset": offset, "timeout": int(p.timeout.Seconds()), "allowed_updates": p.allowed,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.baseURL+"/bot"+p.token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, 0, errors.New("getUpdates: bad TELEGRAM_API_URL")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("getUpdates: %w", err)
	}
	defer resp.Body.Close()
	var r updatesResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, 0, fmt.Errorf("getUpdates: HTTP %d, undecodable answer: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, time.Duration(r.Parameters.RetryAfter) * time.Second,
			fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	return r.Result, 0, nil
}

// redactedError hides the bot token in an error's text (the HTTP client
// puts the request URL, token included, into its errors) while keeping the
// error chain for errors.Is and errors.As.
type redactedError struct {
	err error
	msg string
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return redactedError{err: err, msg: strings.ReplaceAll(err.Error(), token, "<token>")}
}
