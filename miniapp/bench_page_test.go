package miniapp_test

// BenchmarkMiniAppPageWeight is issue 14's page weight: the page's HTML, JS
// and CSS, gzip'd, target ≤ 600 kB (kB here are 1000 bytes). It needs no
// database: the page is served without touching the Store.
//
//	go test -run '^$' -bench MiniAppPageWeight -benchtime 1x ./miniapp/

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/rectibot/rectibot/miniapp"
)

const (
	targetPageWeight = 600_000 // bytes, gzip'd, with ECharts
	// chartLib is the one file only the trends view loads (trends.js adds
	// its <script> when the view opens); the rest is what the overview needs.
	chartLib = "vendor/echarts.min.js"
	// browserEncodings is what Chromium asks for: gzhttp then answers with
	// zstd (it prefers it), not gzip.
	browserEncodings = "gzip, deflate, br, zstd"
)

// pageWeight is one file's size four ways.
type pageWeight struct {
	name                        string
	raw, gzip, gzip9            int
	wireGzip, wireBrowser       int    // bodies as the server sends them
	encGzip, encBrowser         string // their Content-Encoding
	headersGzip, headersBrowser int    // what the connection carried besides the body
}

func BenchmarkMiniAppPageWeight(b *testing.B) {
	names := pageFiles(b)
	// Only the page is fetched: New needs no Store for it (page() never
	// reads the ledger), so neither engine is involved.
	srv := httptest.NewServer(miniapp.New(miniapp.Deps{Token: token}))
	defer srv.Close()
	var wire atomic.Int64 // bytes read from the server's connections
	client := &http.Client{Transport: &http.Transport{
		DisableCompression: true, // keep the body as sent
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			return countingConn{c, &wire}, err
		},
	}}
	web := os.DirFS("web") // the directory the binary embeds

	var ws []pageWeight
	for b.Loop() {
		ws = ws[:0]
		for _, name := range names {
			body, err := fs.ReadFile(web, name)
			if err != nil {
				b.Fatal(err)
			}
			w := pageWeight{name: name, raw: len(body), gzip: gzipSize(b, body, gzip.DefaultCompression), gzip9: gzipSize(b, body, gzip.BestCompression)}
			w.wireGzip, w.encGzip, w.headersGzip = fetchPageFile(b, client, &wire, srv.URL, name, "gzip", body)
			w.wireBrowser, w.encBrowser, w.headersBrowser = fetchPageFile(b, client, &wire, srv.URL, name, browserEncodings, body)
			ws = append(ws, w)
		}
	}

	// Without -v a benchmark's log is cut at ten lines: the verdict first,
	// the files last and on one line.
	var own, all pageWeight
	for _, w := range ws {
		all.add(w)
		if w.name != chartLib {
			own.add(w)
		}
	}
	sent := max(all.wireGzip, all.gzip)
	b.ReportMetric(float64(sent)/targetPageWeight, "ratio_to_600kB")
	verdict := "met"
	if sent > targetPageWeight {
		verdict = "MISSED"
	}
	b.Logf("page weight, gzip, with ECharts: %.1f kB of the %.0f kB target (ratio %.2f): %s",
		kB(sent), kB(targetPageWeight), float64(sent)/targetPageWeight, verdict)
	for _, g := range []struct {
		key, what string
		w         pageWeight
	}{{"own", "the page's own, what the overview loads", own}, {"all", "with ECharts, which trends loads", all}} {
		b.ReportMetric(kB(g.w.raw), "kB_raw_"+g.key)
		b.ReportMetric(kB(g.w.gzip), "kB_gzip_"+g.key)
		b.ReportMetric(kB(g.w.gzip9), "kB_gzip9_"+g.key)
		b.ReportMetric(kB(g.w.wireGzip), "kB_sent_gzip_"+g.key)
		b.ReportMetric(kB(g.w.wireBrowser), "kB_sent_chromium_"+g.key)
		b.Logf("%s: raw %.1f kB; compress/gzip %.1f kB (level %d, DefaultCompression: the constant gzhttp passes), %.1f kB at -9; "+
			"sent for Accept-Encoding: gzip %.1f kB (+%.1f kB of headers), for Chromium's %q %.1f kB",
			g.what, kB(g.w.raw), kB(g.w.gzip), gzip.DefaultCompression, kB(g.w.gzip9),
			kB(g.w.wireGzip), kB(g.w.headersGzip), browserEncodings, kB(g.w.wireBrowser))
	}
	slices.SortFunc(ws, func(x, y pageWeight) int { return y.wireGzip - x.wireGzip })
	var files []string
	for _, w := range ws {
		files = append(files, fmt.Sprintf("%s %.1f (%s)", w.name, kB(w.wireGzip), cmp.Or(w.encGzip, "identity")))
	}
	b.Logf("sent for gzip, kB by file: %s", strings.Join(files, " · "))
}

func (w *pageWeight) add(o pageWeight) {
	w.raw += o.raw
	w.gzip += o.gzip
	w.gzip9 += o.gzip9
	w.wireGzip += o.wireGzip
	w.wireBrowser += o.wireBrowser
	w.headersGzip += o.headersGzip
	w.headersBrowser += o.headersBrowser
}

// pageFiles are the files under web/ the page can load: all but the
// licences and notes beside the vendored library.
func pageFiles(b *testing.B) []string {
	var names []string
	err := fs.WalkDir(os.DirFS("web"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := path.Base(p)
		for _, skip := range []string{"LICENSE", "NOTICE", "README"} {
			if strings.HasPrefix(base, skip) {
				return nil
			}
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(names) < 3 || !strings.Contains(strings.Join(names, " "), chartLib) {
		b.Fatalf("the page's files: %v", names)
	}
	return names
}

// gzipSize is body's size gzip'd by the standard library at level. gzhttp
// passes DefaultCompression (-1) too, to klauspost's gzip, which takes it
// as its level 5 (a faster encoder): the bytes it sends are measured apart.
func gzipSize(b *testing.B, body []byte, level int) int {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := zw.Write(body); err != nil {
		b.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Len()
}

// fetchPageFile GETs a file of the page as a client accepting encodings
// would, and returns the body's size as sent, its Content-Encoding and the
// bytes the connection carried besides the body. The body must decode to
// the file.
func fetchPageFile(b *testing.B, client *http.Client, wire *atomic.Int64, base, name, accept string, want []byte) (int, string, int) {
	u := base + miniapp.Path + name
	if name == "index.html" {
		u = base + miniapp.Path // the file server redirects index.html to its folder
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept-Encoding", accept)
	before := wire.Load()
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	enc := resp.Header.Get("Content-Encoding")
	if got := decode(b, enc, body); !bytes.Equal(got, want) {
		b.Fatalf("GET %s (%s): %d bytes decoded, the file has %d", u, enc, len(got), len(want))
	}
	return len(body), enc, int(wire.Load()-before) - len(body)
}

func decode(b *testing.B, enc string, body []byte) []byte {
	switch enc {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			b.Fatal(err)
		}
		return out
	case "zstd":
		zr, err := zstd.NewReader(nil)
		if err != nil {
			b.Fatal(err)
		}
		defer zr.Close()
		out, err := zr.DecodeAll(body, nil)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	b.Fatalf("Content-Encoding %q", enc)
	return nil
}

// countingConn adds what is read from the connection to n.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	k, err := c.Conn.Read(p)
	c.n.Add(int64(k))
	return k, err
}

func kB(n int) float64 { return float64(n) / 1000 }
