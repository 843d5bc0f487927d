package miniapp_test

// The headless Chromium BenchmarkMiniAppFirstRender loads the page in: the
// same browser and flags as sandbox/browser_test.go's, one fresh browser
// context (no cache, no storage) per cold load.

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/rectibot/rectibot/internal/browsertest"
)

type benchBrowser struct {
	ctx context.Context // the browser's first tab; new tabs are made from it
}

// startBrowser starts headless Chromium and waits for it, so that starting
// it is not part of any load.
func startBrowser(b *testing.B, chrome string) *benchBrowser {
	bctx := browsertest.Tab(b, chrome, 390, 844)
	// The first use starts Chromium, on the tab's own context: a timeout
	// context here would end the browser with it.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		b.Fatalf("starting %s: %v", chrome, err)
	}
	return &benchBrowser{ctx: bctx}
}

// renderProbe runs in every document before the page's scripts (DevTools
// adds it; the page's CSP does not apply): it notes when the overview's
// three light tiles first hold their numbers, then when the frame that
// shows them has been produced (the task after its animation frame).
const renderProbe = `(() => {
  const r = window.__firstRender = { dom: null, painted: null };
  const drawn = () => {
    const tiles = document.querySelectorAll('.light-tile .big');
    return tiles.length === 3 && [...tiles].every((e) => /^\d+$/.test(e.textContent));
  };
  const seen = new MutationObserver(() => {
    if (r.dom !== null || !drawn()) return;
    r.dom = performance.now();
    seen.disconnect();
    requestAnimationFrame(() => setTimeout(() => { r.painted = performance.now(); }, 0));
  });
  seen.observe(document, { childList: true, subtree: true, characterData: true });
})()`

// renderResult is the load's timings once the frame is produced, and
// nothing (null) until then.
const renderResult = `(() => {
  const r = window.__firstRender;
  if (!r || r.painted === null) return null;
  const nav = performance.getEntriesByType('navigation')[0];
  const sum = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/summary'));
  return { html: nav.responseEnd, dcl: nav.domContentLoadedEventEnd, sumFrom: sum ? sum.startTime : -1, sumTo: sum ? sum.responseEnd : -1,
    dom: r.dom, painted: r.painted, tiles: [...document.querySelectorAll('.light-tile .big')].map((e) => +e.textContent) };
})()`

type benchTab struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	errs   []string
}

// newTab opens a tab in a new browser context, at a phone's size, with
// the probe installed and the page's errors recorded.
func (br *benchBrowser) newTab(b *testing.B) *benchTab {
	t := &benchTab{}
	t.ctx, t.cancel = chromedp.NewContext(br.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(t.record))
	err := chromedp.Do(t.ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: renderProbe})
			return err
		}))
	if err != nil {
		t.cancel()
		b.Fatalf("a new tab: %v", err)
	}
	return t
}

// record keeps what the page reports as errors: exceptions thrown and
// console.error.
func (t *benchTab) record(ev any) {
	msg := browsertest.PageError(ev)
	if msg != "" {
		t.mu.Lock()
		t.errs = append(t.errs, msg)
		t.mu.Unlock()
	}
}

// load navigates to u and waits for the overview, whose tiles must show
// want (red, yellow, green); no JS error is allowed.
func (t *benchTab) load(b *testing.B, u string, want [3]int) renderTiming {
	ctx, cancel := context.WithTimeout(t.ctx, renderTimeout)
	defer cancel()
	start := time.Now()
	err := chromedp.Do(ctx, chromedp.Navigate(u))
	var r renderTiming
	if err == nil {
		r, err = chromedp.Run(ctx, chromedp.Poll[renderTiming](renderResult, chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(0)))
	}
	r.Wall = float64(time.Since(start).Microseconds()) / 1000
	t.mu.Lock()
	errs := slices.Clone(t.errs)
	t.mu.Unlock()
	if len(errs) > 0 {
		b.Fatalf("JS errors loading the overview: %s", strings.Join(errs, "; "))
	}
	if err != nil {
		text, _ := chromedp.Run(t.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
		b.Fatalf("the overview within %v: %v; the page shows %q", renderTimeout, err, text)
	}
	if !slices.Equal(r.Tiles, want[:]) {
		b.Fatalf("the light tiles show %v, the summary says %v", r.Tiles, want)
	}
	return r
}

// blank leaves the page for about:blank: the next navigation to the page
// is a whole load, not a change of its #fragment.
func (t *benchTab) blank(b *testing.B) {
	ctx, cancel := context.WithTimeout(t.ctx, renderTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		b.Fatalf("about:blank: %v", err)
	}
}

// close closes the tab and disposes of its browser context.
func (t *benchTab) close() { t.cancel() }
