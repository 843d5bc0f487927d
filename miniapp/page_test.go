package miniapp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestThePageIsCachedByContent: the page and its scripts come with an
// ETag, a second visit gets 304 for an unchanged file, and the page's
// Content-Security-Policy keeps it to its own origin.
func TestThePageIsCachedByContent(t *testing.T) {
	srv := httptest.NewServer(New(Deps{}))
	defer srv.Close()
	for _, path := range []string{Path, Path + "app.js", Path + "vendor/echarts.min.js"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		tag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || tag == "" {
			t.Fatalf("%s: %d, ETag %q", path, resp.StatusCode, tag)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("If-None-Match", tag)
		again, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		again.Body.Close()
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%s again with its ETag: %d, want 304", path, again.StatusCode)
		}
	}
}
