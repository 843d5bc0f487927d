package sandbox

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/rectibot/rectibot/miniapp"
)

// The Mini App (the 整改看板 dashboard) as the sandbox opens it. The bot
// serves it on its own listener at /app/ (app.New mounts it, as serve
// does); the sandbox's server passes /app/ through to that listener, so
// the page, its API and its photos come from the production path on the
// page's own origin. The page opens it in a panel the size of a phone,
// launched the way Telegram launches a Mini App: initData signed with the
// bot's token (the emulator's) in the URL's fragment.

// miniAppURL is the Mini App's public address the bot is given: Telegram
// (and the emulator) take only https for web_app buttons and the menu
// button. Nothing ever goes there: the page opens /api/miniapp's URL.
const miniAppURL = "https://sandbox.rectibot.invalid" + miniapp.Path

// personaLang is the language Telegram reports for every persona (their
// clients are set to Chinese), in updates and in initData alike.
const personaLang = "zh-hans"

// miniAppVersion is the Bot API version of Mini Apps the launch claims.
const miniAppVersion = "8.0"

// Theme names of GET /api/miniapp.
const (
	themeLight = "light"
	themeDark  = "dark"
)

// themeParams are Telegram Desktop's day and night palettes, as Telegram
// passes them to a Mini App (tgWebAppThemeParams).
var themeParams = map[string]map[string]string{
	themeLight: {
		"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#999999",
		"link_color": "#168dcd", "button_color": "#40a7e3", "button_text_color": "#ffffff",
		"secondary_bg_color": "#f1f1f1", "section_bg_color": "#ffffff", "header_bg_color": "#ffffff",
		"accent_text_color": "#168dcd", "destructive_text_color": "#d14e4e", "subtitle_text_color": "#999999",
		"section_header_text_color": "#168dcd", "section_separator_color": "#e7e7e7",
	},
	themeDark: {
		"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499",
		"link_color": "#6ab3f3", "button_color": "#5288c1", "button_text_color": "#ffffff",
		"secondary_bg_color": "#232e3c", "section_bg_color": "#17212b", "header_bg_color": "#17212b",
		"accent_text_color": "#6ab2f2", "destructive_text_color": "#ec3942", "subtitle_text_color": "#708499",
		"section_header_text_color": "#6ab3f3", "section_separator_color": "#111921",
	},
}

// menuButtonView is the menu button beside a private chat's input
// (setChatMenuButton): web_app opens the Mini App, as 整改看板.
type menuButtonView struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
}

func (w *world) menuButton() menuButtonView {
	b := w.fake.ChatMenuButton(0)
	return menuButtonView{Type: b.Type, Text: b.Text}
}

// miniAppLaunch is GET /api/miniapp: the address that opens the Mini App
// as the persona, in the theme, now. initData is signed at the sandbox's
// time, which the bot checks auth_date against; a page left open across
// a move of more than a day is refused (401), as Telegram's would be, and
// the page asks for a new one when the clock moves.
func (w *world) miniAppLaunch(key, theme string) (map[string]string, error) {
	p, ok := personaByKey(key)
	if !ok {
		return nil, bad("persona: unknown %q", key)
	}
	if theme == "" {
		theme = themeLight
	}
	params, ok := themeParams[theme]
	if !ok {
		return nil, bad("theme: %q, want %q or %q", theme, themeLight, themeDark)
	}
	colours, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	initData := miniapp.SignUser(p.UserID, p.Name, personaLang, w.clock.Now(), w.fake.Token())
	fragment := "tgWebAppData=" + url.QueryEscape(initData) +
		"&tgWebAppThemeParams=" + url.QueryEscape(string(colours)) +
		"&tgWebAppVersion=" + miniAppVersion + "&tgWebAppPlatform=web"
	return map[string]string{"url": miniapp.Path + "#" + fragment}, nil
}

// miniAppProxy passes /app/ to the bot's listener, looked up at each
// request: a reset starts a new bot on a new port. Reads go through as
// they come. A decision (POST) waits its turn with the page's actions and
// is answered once River has worked what it made due, as a press is.
func (s *Sandbox) miniAppProxy() http.Handler {
	// Loopback only, never through an HTTP(S)_PROXY of the environment.
	transport := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		ResponseHeaderTimeout: waitLimit + 5*time.Second,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       30 * time.Second,
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			var addr string
			if err := s.with(func(w *world) error { addr = w.bot.Bot.Addr(); return nil }); err != nil {
				reply(rw, nil, err)
				return
			}
			s.proxyTo(addr, transport).ServeHTTP(rw, r)
			return
		}
		r = detach(r)
		held := &heldResponse{header: http.Header{}}
		err := s.with(func(w *world) error {
			s.proxyTo(w.bot.Bot.Addr(), transport).ServeHTTP(held, r)
			return w.settle(r.Context())
		})
		if held.code == 0 { // the world was closed: nothing was passed on
			reply(rw, nil, err)
			return
		}
		if err != nil {
			// The decision is taken; only what follows it is late.
			s.opts.Log.WarnContext(r.Context(), "sandbox: after a Mini App call", slog.String("path", r.URL.Path), slog.Any("err", err))
		}
		held.send(rw)
	})
}

// proxyTo is a reverse proxy to the bot's listener at addr. A bot that
// does not answer (a reset under way) is the Mini App's try_later.
func (s *Sandbox) proxyTo(addr string, transport http.RoundTripper) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(&url.URL{Scheme: "http", Host: addr})
		},
		Transport: transport,
		ErrorHandler: func(rw http.ResponseWriter, r *http.Request, err error) {
			s.opts.Log.WarnContext(r.Context(), "sandbox: the bot's listener", slog.String("path", r.URL.Path), slog.Any("err", err))
			rw.Header().Set("Content-Type", "application/json; charset=utf-8")
			rw.WriteHeader(http.StatusBadGateway)
			_, _ = rw.Write([]byte(`{"error":"try_later"}` + "\n"))
		},
	}
}

// heldResponse keeps an answer until River has settled, so the page reads
// its outcome only when the messages it caused have been sent.
type heldResponse struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(code int) {
	if h.code == 0 && code >= 200 { // 1xx are informational: not the answer
		h.code = code
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return h.body.Write(b)
}

func (h *heldResponse) send(rw http.ResponseWriter) {
	maps.Copy(rw.Header(), h.header)
	rw.WriteHeader(h.code)
	_, _ = h.body.WriteTo(rw)
}
