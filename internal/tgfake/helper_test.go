package tgfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

const (
	alice int64 = 1001
	bob   int64 = 1002
	carol int64 = 1003 // in the group, never started the bot
	group int64 = -4001
)

// newFake starts a fake with a manual clock, alice and bob started, and a
// group of all three; and a real client pointed at it.
func newFake(t *testing.T, opts Options) (*Server, *bot.Bot, *ManualClock) {
	t.Helper()
	clock := NewManualClock(t0)
	if opts.Clock == nil {
		opts.Clock = clock
	}
	s := New(opts)
	t.Cleanup(s.Close)
	s.AddUser(models.User{ID: alice, FirstName: "Alice", Username: "alice"})
	s.AddUser(models.User{ID: bob, FirstName: "Bob"})
	s.AddGroup(group, "整改群", alice, bob, carol)
	b, err := bot.New(s.Token(), bot.WithServerURL(s.URL()), bot.WithSkipGetMe(),
		bot.WithErrorsHandler(func(error) {}))
	if err != nil {
		t.Fatal(err)
	}
	return s, b, clock
}

func send(t *testing.T, b *bot.Bot, chatID int64, text string, opts ...func(*bot.SendMessageParams)) (*models.Message, error) {
	t.Helper()
	p := &bot.SendMessageParams{ChatID: chatID, Text: text}
	for _, o := range opts {
		o(p)
	}
	return b.SendMessage(t.Context(), p)
}

func html(p *bot.SendMessageParams) { p.ParseMode = models.ParseModeHTML }

func keyboard(rows ...[]models.InlineKeyboardButton) func(*bot.SendMessageParams) {
	return func(p *bot.SendMessageParams) {
		p.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
}

func cb(text, data string) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{Text: text, CallbackData: data}
}

// wantBadRequest checks a 400 whose description contains want.
func wantBadRequest(t *testing.T, err error, want string) {
	t.Helper()
	if !errors.Is(err, bot.ErrorBadRequest) {
		t.Fatalf("err = %v, want a Bad Request", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %q, want it to contain %q", err, want)
	}
}

func wantForbidden(t *testing.T, err error, want string) {
	t.Helper()
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want Forbidden: %s", err, want)
	}
}

// wantRetryAfter checks a 429 as the client surfaces it.
func wantRetryAfter(t *testing.T, err error, seconds int) {
	t.Helper()
	var tm *bot.TooManyRequestsError
	if !errors.As(err, &tm) {
		t.Fatalf("err = %v, want *bot.TooManyRequestsError", err)
	}
	if tm.RetryAfter != seconds {
		t.Fatalf("retry_after = %d, want %d", tm.RetryAfter, seconds)
	}
}

type rawResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts a JSON body straight to the fake, for what the client cannot
// express (raw markup, wrong paths, getUpdates parameters).
func call(t *testing.T, s *Server, method string, body any) (int, rawResponse) {
	t.Helper()
	return post(t, s.URL()+"/bot"+s.Token()+"/"+method, "application/json", bytes.NewReader(mustJSON(body)))
}

func post(t *testing.T, url, contentType string, body *bytes.Reader) (int, rawResponse) {
	t.Helper()
	code, r, err := tryPost(t.Context(), url, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	return code, r
}

// tryPost is post for goroutines other than the test's, which must not
// call t.Fatal.
func tryPost(ctx context.Context, url, contentType string, body *bytes.Reader) (int, rawResponse, error) {
	var r rawResponse
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return 0, r, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, r, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&r)
	return resp.StatusCode, r, err
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
