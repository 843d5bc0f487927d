package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// healthTimeout bounds the probe: a container runtime kills a HEALTHCHECK
// that outlives its own timeout (30 s by default) and counts it as a
// failure anyway, so a hung listener is better told in a few seconds.
const healthTimeout = 3 * time.Second

// defaultHTTPAddr is config's default for RECTIBOT_HTTP_ADDR (a test keeps
// the two equal): the probe does not load the configuration to learn it.
const defaultHTTPAddr = "127.0.0.1:8080"

// newHealthcheckCommand is the container's HEALTHCHECK: an image built FROM
// scratch has no curl or wget, so the binary probes its own /healthz.
func newHealthcheckCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "healthcheck",
		Short: "Exit 0 when this machine's `serve` answers GET /healthz on RECTIBOT_HTTP_ADDR (for a container HEALTHCHECK)",
		Args:  usageArgs(0),
		// Replaces the root's pre-run: the probe reads RECTIBOT_HTTP_ADDR
		// and nothing else, and never opens the database, so it runs every
		// few seconds at no cost and answers "is serve up", whatever else
		// the environment says (serve itself refuses a bad configuration).
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.out = cmd.OutOrStdout()
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			addr := strings.TrimSpace(a.getenv("RECTIBOT_HTTP_ADDR"))
			if addr == "" {
				addr = defaultHTTPAddr
			}
			return probeHealth(cmd.Context(), addr, healthTimeout)
		},
	}
}

// probeHealth GETs /healthz on the listener at addr; any answer but 200 is
// an error of one line, which main prints before exiting 1 (the runtime's
// "unhealthy": Docker reserves 2, so no other code is used).
func probeHealth(ctx context.Context, addr string, timeout time.Duration) error {
	target, err := healthURL(addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	// No proxy: HTTPS_PROXY is set for Telegram where it is blocked, and
	// the probe must reach this machine's own listener, not go out.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("healthcheck: %s: no answer within %s", target, timeout)
		}
		return fmt.Errorf("healthcheck: %s: %w", target, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", target, resp.Status)
	}
	return nil
}

// healthURL turns the listen address into the address to call: a listener
// on every interface (0.0.0.0, ::, or no host) is reached on loopback.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", fmt.Errorf("healthcheck: RECTIBOT_HTTP_ADDR %q: expected host:port", addr)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// unwrapURLError drops url.Error's `Get "…":` prefix, which repeats the
// address the message already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
