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
// buffer, so a crash loses them. This poller confirms a batch only once the
// inbox has stored it; handling happens after, from the inbox, so no
// person's wait (a slow answer, a flooding chat, a failing update) holds up
// the next getUpdates.
type Poller struct {
	baseURL string // e.g. https://api.telegram.org
	token   string
	client  *http.Client
	inbox   *Inbox
	log     *slog.Logger
	timeout time.Duration
	allowed []string
	// sleep waits between failed fetches; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewPoller returns a poller; timeout is the long-poll wait (Telegram allows
// up to 50 s).
func NewPoller(baseURL, token string, in *Inbox, log *slog.Logger, timeout time.Duration) *Poller {
	return &Poller{
		baseURL: strings.TrimRight(baseURL, "/"), token: token, inbox: in, log: log, timeout: timeout,
		client:  &http.Client{Timeout: timeout + 15*time.Second},
		allowed: allowedUpdates, sleep: sleepCtx,
	}
}

// allowedUpdates are the update types the bot asks Telegram for.
var allowedUpdates = []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember}

type updatesResponse struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// Run polls until ctx ends. A batch that cannot be stored is fetched again
// (its offset is not confirmed) after a growing wait.
func (p *Poller) Run(ctx context.Context) error {
	var offset int64
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		if backoff > 0 {
			if err := p.sleep(ctx, backoff); err != nil {
				break
			}
		}
		next, retryAfter, err := p.once(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			backoff = min(max(2*backoff, time.Second, retryAfter), 30*time.Second)
			p.log.WarnContext(ctx, "getUpdates round failed", slog.Any("err", redact(err, p.token)), slog.Duration("retry_in", backoff))
			continue
		}
		backoff = 0
		offset = next
	}
	return nil
}

// once fetches a batch and stores it; it returns the offset that confirms
// the batch. An update that is not one (undecodable) is confirmed and
// dropped with a log line: fetching it again would not make it readable.
func (p *Poller) once(ctx context.Context, offset int64) (int64, time.Duration, error) {
	raws, retryAfter, err := p.fetch(ctx, offset)
	if err != nil {
		return offset, retryAfter, err
	}
	batch := make([]incoming, 0, len(raws))
	next := offset
	for _, raw := range raws {
		u, err := decodeUpdate(raw)
		if err != nil {
			// Only its id is read, to confirm it past.
			var head struct {
				ID int64 `json:"update_id"`
			}
			_ = json.Unmarshal(raw, &head)
			next = max(next, head.ID+1)
			p.log.ErrorContext(ctx, "getUpdates returned something that is not an update; skipped",
				slog.Int64("update_id", head.ID), slog.Any("err", err))
			continue
		}
		next = max(next, u.upd.ID+1)
		batch = append(batch, u)
	}
	if err := p.inbox.Take(ctx, batch); err != nil {
		return offset, 0, err
	}
	return next, 0, nil
}

func (p *Poller) fetch(ctx context.Context, offset int64) ([]json.RawMessage, time.Duration, error) {
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
