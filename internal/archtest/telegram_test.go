// Package archtest holds tests of the code's shape: which packages may
// import what.
package archtest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mayImportTelegram are the packages whose code (not tests) may import the
// Telegram library: the edge (bot) and the fake Bot API. Everything else
// works on the project's own types (inbound, outbound), as tg-spam's core
// does, so another chat platform could be added at the edge alone.
var mayImportTelegram = []string{"bot", "internal/tgfake"}

func TestOnlyTheEdgeImportsTheTelegramLibrary(t *testing.T) {
	tr := readTree(t)
	for rel, imports := range tr.imports {
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/go-telegram/bot") && !slices.Contains(mayImportTelegram, rel) {
				t.Errorf("%s imports %s: only %v may; convert at the edge (bot/inbound.go)", rel, imp, mayImportTelegram)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(tr.root, "bot", "inbound.go")); err != nil {
		t.Errorf("the edge's conversion is gone: %v", err)
	}
}
