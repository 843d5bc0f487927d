package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Chromium is Debian's chromium, or one on PATH. Without one the test or
// benchmark is skipped, except on CI, where its absence is a failure: CI
// installs Debian's package, and a browser test skipped there would pass
// without having run.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatal("no Chromium found (/usr/bin/chromium, or chromium, chromium-browser, google-chrome on PATH): CI must install Debian's chromium")
	}
	tb.Skip("no Chromium found: install it (apt-get install chromium) to run the browser tests")
	return ""
}

// Tab is a first tab of a new headless Chromium with a fresh profile, a
// Chinese locale and a window of the given size; Chromium is ended (and
// waited for) when the test ends. The browser starts on the tab's first
// use, which must be on this context itself: a timeout context derived
// from it would end the browser with it.
func Tab(tb testing.TB, chrome string, width, height int) context.Context {
	tb.Helper()
	profile := tb.TempDir() // its cleanup runs after Chromium's below has waited for the process
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tb.Cleanup(cancelAlloc) // waits for Chromium to exit
	tab, cancelTab := chromedp.NewContext(actx)
	tb.Cleanup(cancelTab)
	return tab
}
