package bot

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	dbmodels "github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/outbound"
)

// Limiter throttles sends to Telegram's limits (see package ratelimit).
type Limiter interface {
	Wait(ctx context.Context, chatID int64) error
}

// deliveryStore is what the sender records in the ledger.
type deliveryStore interface {
	RecordDelivery(ctx context.Context, d dbmodels.Delivery, taskIDs []uint) error
	MarkUnreachable(ctx context.Context, telegramUserID int64) error
}

// Sender is the one way out to Telegram: every call waits for the rate
// limiter, honours 429 retry_after, retries passing failures, records 403 on
// the person, and records every message sent in the deliveries table.
type Sender struct {
	api     *tgbot.Bot
	limiter Limiter
	store   deliveryStore
	metrics *Metrics
	log     *slog.Logger
	// sleep waits between retries; tests replace it to keep time virtual.
	sleep func(ctx context.Context, d time.Duration) error
}

// Retry policy: a 429 is waited out as often as Telegram asks, up to
// max429; other failures (5xx, network) are retried twice with backoff,
// since the fake and Telegram perform nothing on a 5xx.
const (
	max429      = 8
	maxFailures = 3
)

// NewSender wires a sender.
func NewSender(api *tgbot.Bot, limiter Limiter, store deliveryStore, m *Metrics, log *slog.Logger) *Sender {
	return &Sender{api: api, limiter: limiter, store: store, metrics: m, log: log, sleep: sleepCtx}
}

var _ outbound.Sender = (*Sender)(nil)

// Send implements outbound.Sender.
func (s *Sender) Send(ctx context.Context, m outbound.Message) (int, error) {
	params := &tgbot.SendMessageParams{
		ChatID: m.ChatID, Text: m.Text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	if kb := keyboard(m.Keyboard); kb != nil {
		params.ReplyMarkup = kb
	}
	if m.ReplyTo != 0 {
		params.ReplyParameters = &models.ReplyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}
	}
	var msg *models.Message
	err := s.callDeferrable(ctx, "sendMessage", m.ChatID, true, m.Deferrable, func() (err error) {
		msg, err = s.api.SendMessage(ctx, params)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.record(ctx, m.ChatID, msg.ID, m.Kind, m.Key, m.PersonID, m.TaskIDs)
	return msg.ID, nil
}

// Edit implements outbound.Sender. Edits are not rate limited by Telegram's
// message counts, so they skip the limiter.
func (s *Sender) Edit(ctx context.Context, e outbound.Edit) error {
	params := &tgbot.EditMessageTextParams{
		ChatID: e.ChatID, MessageID: e.MessageID, Text: e.Text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	// Without reply_markup Telegram removes the keyboard, which is what an
	// edit with no buttons means.
	if kb := keyboard(e.Keyboard); kb != nil {
		params.ReplyMarkup = kb
	}
	err := s.call(ctx, "editMessageText", e.ChatID, false, func() error {
		_, err := s.api.EditMessageText(ctx, params)
		return err
	})
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return outbound.ErrNotModified
	}
	return err
}

// SendDocument implements outbound.Sender.
func (s *Sender) SendDocument(ctx context.Context, d outbound.Document) (int, error) {
	var msg *models.Message
	err := s.call(ctx, "sendDocument", d.ChatID, true, func() (err error) {
		// A fresh reader each attempt: a retried upload starts from byte 0.
		msg, err = s.api.SendDocument(ctx, &tgbot.SendDocumentParams{
			ChatID:   d.ChatID,
			Document: &models.InputFileUpload{Filename: d.FileName, Data: bytes.NewReader(d.Data)},
			Caption:  d.Caption, ParseMode: models.ParseModeHTML,
		})
		return err
	})
	if err != nil {
		return 0, err
	}
	s.record(ctx, d.ChatID, msg.ID, d.Kind, "", d.PersonID, nil)
	return msg.ID, nil
}

// Answer implements outbound.Sender (the reply to a button press).
func (s *Sender) Answer(ctx context.Context, callbackID, text string, alert bool) error {
	return s.call(ctx, "answerCallbackQuery", 0, false, func() error {
		_, err := s.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
			CallbackQueryID: callbackID, Text: text, ShowAlert: alert,
		})
		return err
	})
}

// ChatAction implements outbound.Sender ("upload_document" while a file is
// built).
func (s *Sender) ChatAction(ctx context.Context, chatID int64, action string) error {
	return s.call(ctx, "sendChatAction", chatID, false, func() error {
		_, err := s.api.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chatID, Action: models.ChatAction(action)})
		return err
	})
}

// call runs one Bot API call with the limiter and the retry policy.
func (s *Sender) call(ctx context.Context, method string, chatID int64, limited bool, do func() error) error {
	return s.callDeferrable(ctx, method, chatID, limited, false, do)
}

// callDeferrable is call; with deferrable, a 429 is returned at once as an
// *outbound.RetryAfterError for the caller to reschedule.
func (s *Sender) callDeferrable(ctx context.Context, method string, chatID int64, limited, deferrable bool, do func() error) error {
	failures, throttled := 0, 0
	for {
		if limited {
			if err := s.limiter.Wait(ctx, chatID); err != nil {
				return fmt.Errorf("%s: rate limiter: %w", method, err)
			}
		}
		err := do()
		var tooMany *tgbot.TooManyRequestsError
		switch {
		case err == nil:
			s.metrics.sends.WithLabelValues(method, "ok").Inc()
			return nil
		case errors.As(err, &tooMany): // bot.IsTooManyRequestsError misses wrapped errors
			s.metrics.sends.WithLabelValues(method, "rate_limited").Inc()
			s.metrics.limited.Inc()
			throttled++
			if deferrable {
				return &outbound.RetryAfterError{After: time.Duration(max(tooMany.RetryAfter, 1)) * time.Second}
			}
			if throttled > max429 {
				return fmt.Errorf("%s: still rate limited after %d waits: %w", method, max429, err)
			}
			wait := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
			s.log.WarnContext(ctx, "telegram asked to slow down", slog.String("method", method),
				slog.Int64("chat", chatID), slog.Duration("retry_after", wait))
			if err := s.sleep(ctx, wait); err != nil {
				return err
			}
		case errors.Is(err, tgbot.ErrorForbidden):
			s.metrics.sends.WithLabelValues(method, "forbidden").Inc()
			if chatID > 0 {
				if merr := s.store.MarkUnreachable(context.WithoutCancel(ctx), chatID); merr != nil {
					s.log.ErrorContext(ctx, "mark unreachable", slog.Int64("chat", chatID), slog.Any("err", merr))
				}
			}
			return fmt.Errorf("%s to %d: %w: %w", method, chatID, outbound.ErrUnreachable, err)
		case errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorUnauthorized),
			errors.Is(err, tgbot.ErrorNotFound), errors.Is(err, tgbot.ErrorConflict), ctx.Err() != nil:
			s.metrics.sends.WithLabelValues(method, "bad_request").Inc()
			if ctx.Err() != nil {
				return fmt.Errorf("%s: %w", method, err)
			}
			return fmt.Errorf("%s: %w: %w", method, outbound.ErrRejected, err)
		default:
			s.metrics.sends.WithLabelValues(method, "error").Inc()
			failures++
			if failures >= maxFailures {
				return fmt.Errorf("%s: %d attempts failed: %w", method, failures, err)
			}
			if err := s.sleep(ctx, time.Duration(failures)*500*time.Millisecond); err != nil {
				return err
			}
		}
	}
}

// record writes the delivery. A failure here is logged, not returned: the
// message is out, and saying otherwise would make the caller send it again.
func (s *Sender) record(ctx context.Context, chatID int64, messageID int, kind outbound.Kind, key string, personID *uint, taskIDs []uint) {
	if key == "" {
		key = randomKey()
	}
	if kind == "" {
		kind = outbound.KindAnswer
	}
	d := dbmodels.Delivery{IdempotencyKey: key, ChatID: chatID, MessageID: int64(messageID), PersonID: personID, Kind: string(kind)}
	if err := s.store.RecordDelivery(context.WithoutCancel(ctx), d, taskIDs); err != nil {
		s.log.ErrorContext(ctx, "record delivery", slog.Int64("chat", chatID), slog.Int("message", messageID), slog.Any("err", err))
	}
}

func keyboard(kb outbound.Keyboard) *models.InlineKeyboardMarkup {
	if len(kb) == 0 {
		return nil
	}
	rows := make([][]models.InlineKeyboardButton, 0, len(kb))
	for _, row := range kb {
		r := make([]models.InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			btn := models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data, URL: b.URL}
			if b.WebApp != "" {
				btn.WebApp = &models.WebAppInfo{URL: b.WebApp}
			}
			r = append(r, btn)
		}
		rows = append(rows, r)
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func randomKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "msg:" + hex.EncodeToString(b)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
