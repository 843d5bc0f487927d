// Package archtest holds tests of the code's shape: which packages may
// import what.
package archtest

import (
	"go/build"
	"io/fs"
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
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		for _, imp := range pkg.Imports { // code only: TestImports are apart
			if strings.HasPrefix(imp, "github.com/go-telegram/bot") && !slices.Contains(mayImportTelegram, rel) {
				t.Errorf("%s imports %s: only %v may; convert at the edge (bot/inbound.go)", rel, imp, mayImportTelegram)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "bot", "inbound.go")); err != nil {
		t.Errorf("the edge's conversion is gone: %v", err)
	}
}
