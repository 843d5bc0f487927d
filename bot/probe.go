package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// Probe asks Telegram about the bot once per call, without retrying, for
// `rectibot doctor`: unlike Me, which waits out an unreachable Telegram at
// start, a check must answer at once and tell a refused token from a
// network that does not reach Telegram.
type Probe struct {
	api   *tgbot.Bot
	token string
}

// ErrUnreachable wraps a Probe's error when no answer came from the Bot
// API (DNS, connection, TLS, proxy, timeout), as opposed to an answer that
// refused the call.
var ErrUnreachable = errors.New("no answer from the Bot API")

// NewProbe builds the client as the bot does (go-telegram/bot, the
// environment's HTTPS_PROXY honoured) without calling Telegram.
func NewProbe(token, apiURL string) (*Probe, error) {
	api, err := tgbot.New(token, tgbot.WithServerURL(apiURL), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(0, &http.Client{Timeout: 30 * time.Second}))
	if err != nil {
		return nil, redact(fmt.Errorf("telegram client: %w", err), token)
	}
	return &Probe{api: api, token: token}, nil
}

// Identity is what getMe says about the bot.
type Identity struct {
	ID       int64
	Username string
	// CanReadAllGroupMessages is true when group privacy mode is off
	// (BotFather's /setprivacy → Disable).
	CanReadAllGroupMessages bool
	CanJoinGroups           bool
}

// Me calls getMe once: ErrUnauthorized when Telegram refuses the token,
// an error wrapping ErrUnreachable when no answer came.
func (p *Probe) Me(ctx context.Context) (Identity, error) {
	me, err := p.api.GetMe(ctx)
	if err != nil {
		return Identity{}, p.classify("getMe", err)
	}
	return Identity{ID: me.ID, Username: me.Username, CanReadAllGroupMessages: me.CanReadAllGroupMessages,
		CanJoinGroups: me.CanJoinGroups}, nil
}

// WebhookStatus is getWebhookInfo's answer.
type WebhookStatus struct {
	URL            string // "" = no webhook: long polling
	PendingUpdates int    // updates Telegram holds that nobody confirmed yet
	// LastErrorAt and LastError are Telegram's latest failure to deliver
	// to the webhook (zero and "" when none is known).
	LastErrorAt time.Time
	LastError   string
}

// Webhook calls getWebhookInfo once; errors as Me's.
func (p *Probe) Webhook(ctx context.Context) (WebhookStatus, error) {
	info, err := p.api.GetWebhookInfo(ctx)
	if err != nil {
		return WebhookStatus{}, p.classify("getWebhookInfo", err)
	}
	w := WebhookStatus{URL: info.URL, PendingUpdates: info.PendingUpdateCount, LastError: info.LastErrorMessage}
	if info.LastErrorDate > 0 {
		w.LastErrorAt = time.Unix(int64(info.LastErrorDate), 0)
	}
	return w, nil
}

// classify names the cause without the token: a refused token, no answer
// (the transport's own error, not the URL that carries the token), or
// Telegram's refusal.
func (p *Probe) classify(method string, err error) error {
	if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
		return ErrUnauthorized
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		cause := ue.Err
		if errors.Is(cause, context.DeadlineExceeded) {
			cause = errors.New("no answer in time")
		}
		return redact(fmt.Errorf("%w: %w", ErrUnreachable, cause), p.token)
	}
	return redact(fmt.Errorf("%s: %w", method, err), p.token)
}
