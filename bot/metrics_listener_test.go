package bot

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveInBackground runs Serve until the test ends; the returned stop
// cancels it and reports what Serve returned.
func serveInBackground(t *testing.T, e *inboxEnv) (stop func() error) {
	t.Helper()
	if err := e.bot.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.bot.Serve(ctx) }()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return receive(t, served, "Serve stops")
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestMetricsAddrServesMonitoringApartFromTheWebhook(t *testing.T) {
	e := newInboxEnv(t, envOpts{set: func(o *Options) {
		o.HTTPAddr, o.MetricsAddr = "127.0.0.1:0", "127.0.0.1:0"
		o.Ready = map[string]func(context.Context) error{"database": func(context.Context) error { return nil }}
	}})
	stop := serveInBackground(t, e)
	main, metrics := "http://"+e.bot.Addr(), "http://"+e.bot.MetricsAddr()
	if metrics == "http://" || metrics == main {
		t.Fatalf("metrics listener %q, main %q: want one of its own", metrics, main)
	}
	if code, body := httpGet(t, metrics+"/metrics"); code != 200 || !strings.Contains(body, "rectibot_ready{check=\"database\"} 1") {
		t.Errorf("/metrics on the metrics listener: %d\n%s", code, body)
	}
	for _, path := range []string{"/readyz", "/healthz"} {
		if code, _ := httpGet(t, metrics+path); code != 200 {
			t.Errorf("%s on the metrics listener: %d, want 200", path, code)
		}
	}
	// The main listener faces the internet through the TLS proxy: health
	// and the webhook only.
	for _, path := range []string{"/metrics", "/readyz"} {
		if code, _ := httpGet(t, main+path); code != 404 {
			t.Errorf("%s on the main listener: %d, want 404", path, code)
		}
	}
	if code, _ := httpGet(t, main+"/healthz"); code != 200 {
		t.Errorf("/healthz on the main listener: %d", code)
	}
	addrs := []string{e.bot.Addr(), e.bot.MetricsAddr()}
	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	for _, addr := range addrs {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after Serve returned", addr)
		}
	}
}

func TestABusyMetricsAddrIsFoundAtListenAndFreesTheMainOne(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mainAddr := free.Addr().String()
	free.Close()
	e := newInboxEnv(t, envOpts{set: func(o *Options) { o.HTTPAddr, o.MetricsAddr = mainAddr, busy.Addr().String() }})
	err = e.bot.Listen()
	if err == nil || !strings.Contains(err.Error(), busy.Addr().String()) || !strings.Contains(err.Error(), "RECTIBOT_METRICS_ADDR") {
		t.Fatalf("Listen: %v; want an error naming %s and RECTIBOT_METRICS_ADDR", err, busy.Addr())
	}
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("Listen's error %v does not carry the listener's cause", err)
	}
	if e.bot.Addr() != "" {
		t.Errorf("main listener %s kept after the metrics one failed", e.bot.Addr())
	}
	again, err := net.Listen("tcp", mainAddr)
	if err != nil {
		t.Fatalf("the main address %s is still held: %v", mainAddr, err)
	}
	again.Close()
}

// A client that sends its headers a byte at a time (or never ends them)
// is cut off after ReadHeader on both listeners. The test's timeout is
// short, the client's deadline long but shorter than the default header
// timeout: a server without the option's timeout keeps the connection and
// the read below runs into the deadline.
func TestBothListenersCutOffAClientThatNeverFinishesItsHeaders(t *testing.T) {
	const readHeader, deadline = 150 * time.Millisecond, 5 * time.Second
	e := newInboxEnv(t, envOpts{set: func(o *Options) {
		o.HTTPAddr, o.MetricsAddr = "127.0.0.1:0", "127.0.0.1:0"
		o.HTTPTimeouts = HTTPTimeouts{ReadHeader: readHeader}
	}})
	serveInBackground(t, e)
	for name, addr := range map[string]string{"main": e.bot.Addr(), "metrics": e.bot.MetricsAddr()} {
		start := time.Now() // before the server's clock starts, at accept
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Slow: a"); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(start.Add(deadline))
		_, err = io.ReadAll(c)
		c.Close()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s listener: a client without the end of its headers held the connection for %s", name, deadline)
		}
		if took := time.Since(start); took < readHeader {
			t.Errorf("%s listener: cut off after %s, before the header timeout %s", name, took, readHeader)
		}
	}
}

func TestServersTakeTheDefaultTimeoutsUnlessSet(t *testing.T) {
	e := newEdgeWith(t, tgfakeNoLimits, generous, func(o *Options) { o.HTTPTimeouts = HTTPTimeouts{Write: time.Minute * 3} })
	srv := e.bot.newServer(http.NotFoundHandler())
	d := DefaultHTTPTimeouts
	if srv.ReadHeaderTimeout != d.ReadHeader || srv.ReadTimeout != d.Read || srv.IdleTimeout != d.Idle || srv.WriteTimeout != 3*time.Minute {
		t.Errorf("server timeouts %v %v %v %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	if d.ReadHeader <= 0 || d.Read <= 0 || d.Write <= 0 || d.Idle <= 0 {
		t.Errorf("a default timeout is unset: %+v", d)
	}
}
