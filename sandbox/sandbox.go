// Package sandbox is `rectibot sandbox`: the whole bot in one process, for
// someone who has no Telegram bot yet. It runs the strict Bot API emulator
// (internal/tgfake) on a loopback listener, the real bot pointed at it as
// serve runs it (app.New: long polling into the inbox, the handlers, River),
// an SQLite ledger seeded with two units — the Dongguan case re-dated
// around today and a small county bureau's ledger (units.go) — seven linked
// personas (the 巡察办 above the units among them) and Dongguan's
// registered group, and a manual clock that the
// ledger, the bot, River and the emulator share. A web page
// (web/, served here) lets a visitor act as each persona through the JSON
// API of api.go, which is all the page knows of the sandbox; it opens the
// bot's Mini App (the 整改看板 dashboard, which the sandbox passes through
// at /app/ from the bot's own listener) as Telegram would (miniapp.go).
//
// Nothing here reaches the internet: the bot's API URL is the emulator's.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	_ "time/tzdata" // Asia/Shanghai on machines without a zone database (Windows)
)

// DefaultAddr is where the page is served: loopback only, as the sandbox
// has no authentication and anyone reaching it acts as every persona; and
// not serve's 8080, so a sandbox can run beside a bot on one machine.
const DefaultAddr = "127.0.0.1:8090"

// Options configure a sandbox. The zero value is usable.
type Options struct {
	Addr string // where to serve; "" is DefaultAddr, "127.0.0.1:0" any free port
	// DataDir keeps the ledger (an SQLite file) in that folder, and reuses
	// the ledger found there instead of seeding; "" is a temporary folder
	// removed at Close.
	DataDir string
	Log     *slog.Logger     // the bot's and the database's log; nil discards
	Now     func() time.Time // the visitor's real time, for re-dating; nil is time.Now
	Out     io.Writer        // Run prints the page's address here; nil prints nothing
}

// Sandbox is a running sandbox, serving the page and its API. It is also
// an http.Handler, safe for concurrent use; requests are handled one at a
// time.
type Sandbox struct {
	opts    Options
	handler http.Handler
	ln      net.Listener
	srv     *http.Server
	served  chan error // the server's end

	// mu serialises everything that touches the world: a request waits
	// for the bot's answer (and River's jobs) before the next one acts,
	// and a reset swaps the world under it.
	mu sync.Mutex
	w  *world
}

// New builds a sandbox and serves it on Options.Addr: when it returns, the
// ledger is seeded, the personas linked, the first morning's reminders
// sent, and the page answers. ctx bounds the building only.
func New(ctx context.Context, opts Options) (*Sandbox, error) {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	// Listen first: a busy port is the likeliest failure, and costs nothing
	// to find out.
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	w, err := build(ctx, opts.DataDir, opts.Now(), opts.Log)
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sandbox{opts: opts, w: w, ln: ln, served: make(chan error, 1)}
	s.handler = s.routes()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s, nil
}

// URL is the page's address, such as http://127.0.0.1:8080.
func (s *Sandbox) URL() string { return "http://" + s.ln.Addr().String() }

// ServeHTTP serves the page and the API.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Run prints the page's address and serves until ctx ends (Ctrl+C), then
// lets requests in hand finish and closes the sandbox.
func (s *Sandbox) Run(ctx context.Context) error {
	if s.opts.Out != nil {
		fmt.Fprintf(s.opts.Out, "整改督办助手 sandbox: open %s in a browser (Ctrl+C stops it)\n", s.URL())
	}
	var err error
	select {
	case err = <-s.served:
		if errors.Is(err, http.ErrServerClosed) { // Close was called
			err = nil
		} else {
			err = fmt.Errorf("sandbox: %w", err)
		}
	case <-ctx.Done():
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = s.srv.Shutdown(stop)
	}
	s.Close()
	return err
}

// Close stops serving, then the emulator and the ledger; a temporary folder
// is removed. Closing twice is harmless.
func (s *Sandbox) Close() {
	_ = s.srv.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w != nil {
		s.w.close()
		s.w = nil
	}
}

// reset starts over: a new world in a new temporary folder, then the old
// one goes. A --data folder is left as it was (reset never deletes the
// visitor's files); the run goes on in the temporary folder.
// The caller holds s.mu.
func (s *Sandbox) reset(ctx context.Context) error {
	if s.w == nil {
		return errClosed
	}
	w, err := build(ctx, "", s.opts.Now(), s.opts.Log)
	if err != nil {
		return err
	}
	s.w.close()
	s.w = w
	return nil
}

// with runs fn on the world, one request at a time.
func (s *Sandbox) with(fn func(w *world) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return errClosed
	}
	return fn(s.w)
}

var errClosed = errors.New("the sandbox is closed")
