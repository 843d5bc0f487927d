package miniapp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rectibot/rectibot/clock"
	"github.com/rectibot/rectibot/ledger"
	"github.com/rectibot/rectibot/models"
	"github.com/rectibot/rectibot/render"
)

// Path is where the Mini App is served on the bot's HTTP listener; the
// page and its API both live under it, so one proxy rule exposes them.
const Path = "/app/"

// DefaultMaxAge is how old initData may be: Telegram signs it when the
// person opens the Mini App, and a day covers a page left open.
const DefaultMaxAge = 24 * time.Hour

// Deps are what the Mini App works with.
type Deps struct {
	Store    *models.Store
	Token    string        // the bot token: initData's signing key
	MaxAge   time.Duration // 0: DefaultMaxAge
	Admins   []int64       // Telegram ids that are admins from the start, as in the bot
	Light    ledger.LightThresholds
	Calendar ledger.Calendar
	Zone     *time.Location // the installation's, for "today"
	Clock    clock.Clock
	Files    FileFetcher    // evidence photos, fetched from Telegram
	Decide   Decider        // approvals, through the bot's own path
	Send     EvidenceSender // a file to the person's chat, through the bot's own path
	Log      *slog.Logger
}

// FileFetcher streams a file the bot received (getFile, then the download)
// without handing out its URL, which carries the bot token. ErrFileGone
// when Telegram no longer has it.
type FileFetcher interface {
	FetchFile(ctx context.Context, fileID string) (body io.ReadCloser, contentType string, err error)
}

// ErrFileGone is a FileFetcher's error for a file Telegram no longer has.
var ErrFileGone = errors.New("file no longer available")

// Server is the Mini App's page and API.
type Server struct {
	d   Deps
	mux *http.ServeMux
}

// New builds the Mini App.
func New(d Deps) *Server {
	if d.MaxAge <= 0 {
		d.MaxAge = DefaultMaxAge
	}
	if d.Clock == nil {
		d.Clock = clock.System{}
	}
	if d.Zone == nil {
		d.Zone = time.Local
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{d: d, mux: http.NewServeMux()}
	s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) routes() {
	s.mux.Handle("GET "+Path, s.page())
	api := func(pattern string, h func(http.ResponseWriter, *http.Request, *caller)) {
		method, path, _ := strings.Cut(pattern, " ")
		s.mux.Handle(method+" "+Path+"api/"+path, s.authenticated(h))
	}
	api("GET summary", s.summary)
	api("GET departments", s.departments)
	api("GET trends", s.trends)
	api("GET overdue", s.overdue)
	api("GET awaiting", s.awaiting)
	api("GET tasks/{id}", s.task)
	api("GET evidence/{id}", s.evidence)
	api("POST evidence/{id}/send", s.sendEvidence)
	api("POST tasks/{id}/closure", s.decideClosure)
	api("POST deadline-requests/{id}", s.decideDeadline)
	s.mux.HandleFunc("GET "+Path+"api/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "not_found")
	})
}

// caller is who an API call comes from, as the ledger knows them now.
type caller struct {
	telegramID int64
	member     *models.Member // nil: a configured admin with no person
	actor      ledger.Actor
	loc        *render.Localizer
	today      ledger.Date
}

// authenticated checks the initData on every call (Authorization: tma
// <initData>) and loads the person: 401 for anything Telegram did not sign
// recently, 403 for a Telegram user the ledger does not know. Neither says
// anything of the ledger.
func (s *Server) authenticated(h func(http.ResponseWriter, *http.Request, *caller)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "tma") {
			raw = ""
		}
		id, err := Validate(raw, s.d.Token, s.d.Clock.Now(), s.d.MaxAge)
		if err != nil {
			s.d.Log.InfoContext(r.Context(), "miniapp: refused", slog.String("path", r.URL.Path), slog.Any("err", err))
			writeError(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		who, err := s.d.Store.Identify(r.Context(), id.UserID, slices.Contains(s.d.Admins, id.UserID))
		if err != nil {
			s.d.Log.WarnContext(r.Context(), "miniapp: identify", slog.Any("err", err))
			writeError(w, http.StatusServiceUnavailable, "try_later")
			return
		}
		if !who.Known() {
			writeError(w, http.StatusForbidden, "not_linked")
			return
		}
		c := &caller{telegramID: id.UserID, member: who.Member, actor: who.Actor}
		c.loc = render.NewLocalizer(render.LangOf(who.Lang, id.LanguageCode))
		c.today = ledger.DateOf(s.d.Clock.Now().In(s.d.Zone))
		h(w, r, c)
	})
}

// pathID is the {id} of the request's path; a malformed or zero one is
// answered 404 here, as an id that names nothing would be.
func pathID(w http.ResponseWriter, r *http.Request) (uint, bool) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 32)
	if err != nil || id == 0 {
		writeError(w, http.StatusNotFound, "not_found")
		return 0, false
	}
	return uint(id), true
}

// apiError is every error's body: a code the page translates.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, apiError{Error: code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
