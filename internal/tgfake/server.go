package tgfake

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultToken is the token a Server answers to when Options.Token is empty.
// Its numeric prefix is the bot's user id, as with real tokens.
const DefaultToken = "7000000001:AAFakeTokenForTgfakeTestsOnly_0123456"

// Clock tells the fake what time it is. Rate limits, callback query expiry,
// message dates and the 48-hour deletion window all read it, so a test can
// drive them without sleeping. Long-poll timeouts are real waits and do not
// use it.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options configure a Server. The zero value is a usable fake.
type Options struct {
	Token       string // default DefaultToken
	Clock       Clock  // default time.Now
	Limits      Limits // zero fields take Telegram's values
	BotUsername string // default "rectibot_test_bot"
	// PrivacyOff makes the bot see every group message, as when privacy
	// mode is disabled in BotFather or the bot is a group admin. By default
	// (privacy on, Telegram's default) only commands, replies to the bot's
	// messages and @mentions of the bot are queued for getUpdates.
	PrivacyOff bool
}

// Server is a fake Telegram Bot API reachable over real HTTP.
type Server struct {
	ts     *httptest.Server
	token  string
	clock  Clock
	limits Limits
	me     models.User
	opts   Options

	mu       sync.Mutex
	sentCond *sync.Cond // signalled on every successful send, for WaitSent

	users    map[int64]*user
	chats    map[int64]*chat
	files    map[string]*File
	filePath map[string]*File
	seq      int64 // ids for files, callback queries and synthetic users

	queue    []queued       // updates not yet confirmed by an offset
	nextUpd  int64          // update_id of the next queued update
	withheld map[int64]bool // updates privacy mode kept from the bot
	signal   chan struct{}  // closed and replaced whenever an update is queued
	poll     *poller        // the pending long poll, if any
	closed   bool           // Close was called: long polls no longer wait
	allowed  []string       // allowed_updates last given to getUpdates/setWebhook
	webhook  Webhook
	commands map[string][]models.BotCommand
	// menuButtons are setChatMenuButton's, by chat (0: the default).
	menuButtons map[int64]MenuButton

	callbacks map[string]*callbackState
	answers   []CallbackAnswer

	calls     map[string]int
	rejected  []RejectedCall
	sentTotal int

	rate   *limiter
	faults FaultConfig
	rng    *rand.Rand
}

// New starts a fake server on a loopback port. Close it when done.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "rectibot_test_bot"
	}
	botID, _ := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	s := &Server{
		token:  opts.Token,
		clock:  opts.Clock,
		limits: opts.Limits.withDefaults(),
		opts:   opts,
		me: models.User{ID: botID, IsBot: true, FirstName: "整改督办助手",
			Username: opts.BotUsername, CanJoinGroups: true,
			CanReadAllGroupMessages: opts.PrivacyOff},
		users:     map[int64]*user{},
		chats:     map[int64]*chat{},
		files:     map[string]*File{},
		filePath:  map[string]*File{},
		nextUpd:   1,
		withheld:  map[int64]bool{},
		signal:    make(chan struct{}),
		commands:  map[string][]models.BotCommand{},
		callbacks: map[string]*callbackState{},
		calls:     map[string]int{},
		rate:      newLimiter(),
		rng:       rand.New(rand.NewPCG(0, 0)),
	}
	s.sentCond = sync.NewCond(&s.mu)
	s.ts = httptest.NewServer(s)
	return s
}

// URL is the base to hand to bot.WithServerURL.
func (s *Server) URL() string { return s.ts.URL }

// Token is the bot token the fake accepts.
func (s *Server) Token() string { return s.token }

// Close stops the HTTP server; pending long polls are answered first.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	if s.poll != nil {
		s.poll.abort("")
		s.poll = nil
	}
	s.mu.Unlock()
	s.ts.Close()
}

// handler is one Bot API method. It runs without s.mu held.
type handler func(s *Server, r *http.Request, p *params) (any, *apiError)

// methods maps lower-case method names (Telegram matches them without
// regard to case) to their canonical spelling and implementation.
var methods = map[string]struct {
	name string
	fn   handler
}{}

func register(name string, fn handler) {
	methods[strings.ToLower(name)] = struct {
		name string
		fn   handler
	}{name, fn}
}

func init() {
	register("getMe", (*Server).getMe)
	register("getUpdates", (*Server).getUpdates)
	register("setWebhook", (*Server).setWebhook)
	register("deleteWebhook", (*Server).deleteWebhook)
	register("getWebhookInfo", (*Server).getWebhookInfo)
	register("sendMessage", (*Server).sendMessage)
	register("sendDocument", (*Server).sendDocument)
	register("sendPhoto", (*Server).sendPhoto)
	register("sendMediaGroup", (*Server).sendMediaGroup)
	register("sendChatAction", (*Server).sendChatAction)
	register("editMessageText", (*Server).editMessageText)
	register("editMessageReplyMarkup", (*Server).editMessageReplyMarkup)
	register("deleteMessage", (*Server).deleteMessage)
	register("answerCallbackQuery", (*Server).answerCallbackQuery)
	register("setMyCommands", (*Server).setMyCommands)
	register("getMyCommands", (*Server).getMyCommands)
	register("deleteMyCommands", (*Server).deleteMyCommands)
	register("getChat", (*Server).getChat)
	register("getFile", (*Server).getFile)
	register("setChatMenuButton", (*Server).setChatMenuButton)
}

// ServeHTTP routes /bot{token}/{method} and /file/bot{token}/{path}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, _ := strings.Cut(rest, "/")
	if !ok || token != s.token {
		s.reply(w, method, nil, &apiError{Code: 401, Desc: "Unauthorized"}, nil)
		return
	}
	m, ok := methods[strings.ToLower(method)]
	if !ok {
		s.reply(w, method, nil, &apiError{Code: 404, Desc: "Not Found"}, nil)
		return
	}
	s.mu.Lock()
	s.calls[m.name]++
	s.mu.Unlock()
	p, aerr := readParams(w, r)
	if aerr != nil {
		s.reply(w, m.name, p, aerr, nil)
		return
	}
	result, aerr := m.fn(s, r, p)
	s.reply(w, m.name, p, aerr, result)
}

// apiError is a refusal in Telegram's shape; Desc is the full description.
type apiError struct {
	Code       int
	Desc       string
	RetryAfter int
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{Code: 400, Desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func forbidden(desc string) *apiError {
	return &apiError{Code: 403, Desc: "Forbidden: " + desc}
}

func tooMany(seconds int) *apiError {
	return &apiError{Code: 429, RetryAfter: seconds,
		Desc: fmt.Sprintf("Too Many Requests: retry after %d", seconds)}
}

var errInternal = &apiError{Code: 500, Desc: "Internal Server Error"}

// okDesc lets a handler attach Telegram's description to a success, as
// setWebhook does ("Webhook was set").
type okDesc struct {
	result any
	desc   string
}

type response struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters,omitempty"`
}

func (s *Server) reply(w http.ResponseWriter, method string, p *params, aerr *apiError, result any) {
	resp := response{OK: aerr == nil}
	status := http.StatusOK
	if aerr != nil {
		status = aerr.Code
		resp.ErrorCode, resp.Description = aerr.Code, aerr.Desc
		if aerr.Code == 429 {
			resp.Parameters = &struct {
				RetryAfter int `json:"retry_after"`
			}{aerr.RetryAfter}
		}
		s.mu.Lock()
		s.rejected = append(s.rejected, RejectedCall{Method: method,
			ChatID: p.chatIDHint(), Code: aerr.Code, Description: aerr.Desc})
		s.mu.Unlock()
	} else {
		if d, ok := result.(okDesc); ok {
			result, resp.Description = d.result, d.desc
		}
		resp.Result = mustJSON(result)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(resp)
}
