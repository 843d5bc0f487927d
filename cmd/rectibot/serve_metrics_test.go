package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// With RECTIBOT_METRICS_ADDR, `serve` answers the monitoring there and
// keeps it off the listener the TLS proxy exposes.
func TestServeMetricsOnTheirOwnListener(t *testing.T) {
	fake, c, addr := serveSetup(t, "zh-hans")
	// Another free port, never the main one: the kernel may hand the port
	// freeAddr just let go of out again, and config refuses the same
	// address for both (serve would exit at once, saying nothing here).
	metrics := freeAddr(t)
	for metrics == addr {
		metrics = freeAddr(t)
	}
	c.env["RECTIBOT_METRICS_ADDR"] = metrics

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- c.runContext(ctx, "serve") }()
	fake.Text(9001, "/digest")
	wait, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	if err := fake.WaitSent(wait, 1); err != nil { // serving: both listeners are up
		cancel()
		r := <-done
		t.Fatalf("no answer: %v (serve: %v)\n%s", err, r.err, r.errOut)
	}
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, body := get("http://" + metrics + "/metrics")
	for _, want := range []string{"rectibot_state_query_success 1\n", "rectibot_inbox_failed_updates 0\n",
		`rectibot_ready{check="database"} 1` + "\n", "go_goroutines "} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics listener /metrics: %d, lacks %q", code, want)
		}
	}
	if code, _ := get("http://" + addr + "/metrics"); code != 404 {
		t.Errorf("main listener /metrics: %d, want 404", code)
	}
	if code, _ := get("http://" + addr + "/healthz"); code != 200 {
		t.Errorf("main listener /healthz: %d", code)
	}
	cancel()
	select {
	case r := <-done:
		if r.err != nil {
			t.Errorf("serve ended with %v\n%s", r.err, r.errOut)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of being told to")
	}
}
