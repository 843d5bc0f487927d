package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rectibot/rectibot/config"
)

// healthServer is a listener on loopback answering /healthz with code;
// it returns the port.
func healthServer(t *testing.T, code int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}

// TestHealthcheckExitCodes runs `rectibot healthcheck` as a container
// runtime does and reads only what it reads: the exit code and one line.
func TestHealthcheckExitCodes(t *testing.T) {
	up := healthServer(t, http.StatusOK)
	sick := healthServer(t, http.StatusServiceUnavailable)
	closed := strings.TrimPrefix(freeAddr(t), "127.0.0.1:")
	tests := []struct {
		name, addr string
		code       int
		reason     []string
	}{
		{"up", "127.0.0.1:" + up, 0, nil},
		{"listening on every IPv4 interface", "0.0.0.0:" + up, 0, nil},
		{"listening on every interface", "[::]:" + up, 0, nil},
		{"no host", ":" + up, 0, nil},
		{"not 200", "127.0.0.1:" + sick, exitFailure, []string{"answered 503 Service Unavailable"}},
		{"nothing listening", "0.0.0.0:" + closed, exitFailure, []string{"http://127.0.0.1:" + closed + "/healthz: ", "connection refused"}},
		{"not an address", "8080", exitFailure, []string{`RECTIBOT_HTTP_ADDR "8080": expected host:port`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := (&cli{t: t, env: map[string]string{"RECTIBOT_HTTP_ADDR": tt.addr}}).run("healthcheck")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d: %v", r.code, tt.code, r.err)
			}
			if tt.code == 0 {
				return
			}
			msg := r.err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("reason %q: want one line", msg)
			}
			for _, want := range tt.reason {
				if !strings.Contains(msg, want) {
					t.Errorf("reason %q: want %q in it", msg, want)
				}
			}
		})
	}
}

// TestHealthURL: a listener on every interface is called on loopback, and
// the address called is the one the reason names.
func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		"0.0.0.0:8080":   "http://127.0.0.1:8080/healthz",
		"[::]:8080":      "http://127.0.0.1:8080/healthz",
		":8080":          "http://127.0.0.1:8080/healthz",
		"10.0.0.5:8080":  "http://10.0.0.5:8080/healthz",
		"[::1]:8080":     "http://[::1]:8080/healthz",
		"localhost:8080": "http://localhost:8080/healthz",
	} {
		if got, err := healthURL(addr); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %s", addr, got, err, want)
		}
	}
	for _, addr := range []string{"8080", "127.0.0.1", "127.0.0.1:"} {
		if got, err := healthURL(addr); err == nil {
			t.Errorf("healthURL(%q) = %q, want an error", addr, got)
		}
	}
}

// TestHealthcheckOpensNoDatabase: the probe runs every few seconds beside
// serve; it must neither create nor migrate a database, nor be stopped by a
// setting only serve reads.
func TestHealthcheckOpensNoDatabase(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "rectibot.db")
	r := (&cli{t: t, env: map[string]string{
		"RECTIBOT_HTTP_ADDR": "127.0.0.1:" + healthServer(t, http.StatusOK),
		"DATABASE_URL":       "sqlite:" + dbPath,
		"RECTIBOT_TIME_ZONE": "Mars/Olympus", // serve would exit 78; the probe reads no such thing
	}}).run("healthcheck")
	if r.code != 0 {
		t.Fatalf("exit %d: %v", r.code, r.err)
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Errorf("healthcheck touched the database at %s (stat: %v)", dbPath, err)
	}
}

// TestHealthcheckGivesUpOnAHungListener: a listener that accepts and never
// answers is unhealthy within the timeout, not when the runtime kills the probe.
func TestHealthcheckGivesUpOnAHungListener(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	err := probeHealth(context.Background(), srv.Listener.Addr().String(), 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Errorf("hung listener: %v", err)
	}
}

// TestHealthcheckDefaultIsServes: with RECTIBOT_HTTP_ADDR unset the probe
// calls where serve listens by default.
func TestHealthcheckDefaultIsServes(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		if k == "DATABASE_URL" {
			return "sqlite:/unused.db"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTPAddr != defaultHTTPAddr {
		t.Errorf("serve listens on %s by default, healthcheck calls %s", cfg.HTTPAddr, defaultHTTPAddr)
	}
}

// TestHealthcheckAgainstServe: the probe says healthy while `serve` runs,
// with the address written as a container sets it (every interface).
func TestHealthcheckAgainstServe(t *testing.T) {
	fake, c, addr := serveSetup(t, "en")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- c.runContext(ctx, "serve") }()
	defer func() { cancel(); <-done }()

	fake.Text(9001, "/digest") // an answer means serve is up and listening
	wait, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	if err := fake.WaitSent(wait, 1); err != nil {
		t.Fatalf("serve did not answer: %v", err)
	}
	_, port, _ := net.SplitHostPort(addr)
	probe := &cli{t: t, env: map[string]string{"RECTIBOT_HTTP_ADDR": "0.0.0.0:" + port}}
	if r := probe.run("healthcheck"); r.code != 0 {
		t.Errorf("healthcheck beside a running serve: exit %d: %v", r.code, r.err)
	}
}
