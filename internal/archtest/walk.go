package archtest

import (
	"bufio"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree is the module's packages, read once with go/build (no go command
// needed): each package's directory relative to the root, and its code's
// imports (test files' imports apart).
type tree struct {
	root, module string
	imports      map[string][]string // "models" → its imports
}

// readTree walks the module from its root, skipping hidden folders,
// testdata and node_modules.
func readTree(t *testing.T) tree {
	t.Helper()
	root := filepath.Join("..", "..")
	tr := tree{root: root, module: modulePath(t, root), imports: map[string][]string{}}
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
		tr.imports[filepath.ToSlash(rel)] = pkg.Imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// own is the package directory of an import of this module ("" for another
// module's).
func (tr tree) own(imp string) (string, bool) {
	rel, ok := strings.CutPrefix(imp, tr.module+"/")
	return rel, ok
}

// deps walks from the package at rel through this module's packages and
// returns every import reached, each with the import path that reached it
// first ("" for rel's own).
func (tr tree) deps(rel string) map[string]string {
	self := tr.module + "/" + rel
	via := map[string]string{self: ""}
	queue := []string{self}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		dir, _ := tr.own(path)
		for _, imp := range tr.imports[dir] {
			if _, seen := via[imp]; seen {
				continue
			}
			via[imp] = path
			if _, ok := tr.own(imp); ok {
				queue = append(queue, imp)
			}
		}
	}
	return via
}

// modulePath reads the module's path from go.mod at root.
func modulePath(t *testing.T, root string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for s := bufio.NewScanner(f); s.Scan(); {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	t.Fatalf("%s/go.mod names no module", root)
	return ""
}
