// Package browsertest holds what the browser tests and benchmarks (the
// sandbox's, the Mini App's) share about headless Chromium.
package browsertest

import (
	"strings"

	"github.com/chromedp/cdproto/runtime"
)

// PageError is the error a page reports in a DevTools event — an
// exception thrown or console.error — as one line; "" for any other event.
func PageError(ev any) string {
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg := "an exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
		return msg
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.TrimSpace(string(a.Value)+" "+a.Description))
			}
			return "console.error: " + strings.Join(parts, " ")
		}
	}
	return ""
}
