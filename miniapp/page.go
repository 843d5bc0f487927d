package miniapp

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

//go:embed web
var webFiles embed.FS

// pageCSP keeps the page to its own origin: its scripts, its API, the
// evidence it streams (blob: URLs made from the API's answers) and
// ECharts' canvases. Telegram's web clients show it in a frame.
const pageCSP = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; " +
	"script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"

// page serves the embedded page (plain HTML, CSS and JS: no build step),
// gzip'd for phones on slow links.
func (s *Server) page() http.Handler {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // the embed above guarantees the directory
	}
	tags := etags(sub)
	files := http.StripPrefix(Path, http.FileServerFS(sub))
	return gzhttp.GzipHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		name := strings.TrimPrefix(r.URL.Path, Path)
		if name == "" {
			name = "index.html"
		}
		if tag, ok := tags[name]; ok {
			// Embedded files have no time: the ETag lets a phone that
			// opens the dashboard again get 304s instead of the files.
			h.Set("ETag", tag)
		}
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The page is small and changes with each release; the initData
		// never reaches the server in its URL (it is in the fragment).
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
}

// etags are the page's files' content hashes, by path.
func etags(files fs.FS) map[string]string {
	tags := map[string]string{}
	_ = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		tags[path] = `"` + hex.EncodeToString(sum[:12]) + `"`
		return nil
	})
	return tags
}
