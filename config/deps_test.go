package config

import (
	"bufio"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// forbidden are what config must never pull in: it is read first, by every
// command, and by tests of packages that only need a setting; the database
// layer, the job queue and the bot belong to the commands that use them.
var forbidden = []string{
	"gorm.io/", "github.com/riverqueue/",
	// the SQLite and PostgreSQL drivers
	"github.com/glebarez/", "github.com/jackc/",
	// this module's packages (a leading slash)
	"/models", "/scheduler", "/handlers", "/bot",
}

// TestConfigStaysLight walks config's imports, recursing through this
// module's own packages (parsed with go/build, no go command needed) and
// checking other modules by import path only.
func TestConfigStaysLight(t *testing.T) {
	root, module := moduleRoot(t)
	self := module + "/config"
	via := map[string]string{self: ""} // each import and who imported it first
	queue := []string{self}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		pkg, err := build.Default.ImportDir(filepath.Join(root, strings.TrimPrefix(path, module)), 0)
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if _, seen := via[imp]; seen {
				continue
			}
			via[imp] = path
			own := strings.HasPrefix(imp, module+"/")
			if bad := slices.ContainsFunc(forbidden, func(f string) bool {
				if strings.HasPrefix(f, "/") {
					return own && (imp == module+f || strings.HasPrefix(imp, module+f+"/"))
				}
				return strings.HasPrefix(imp, f)
			}); bad {
				t.Errorf("config depends on %s: %s", imp, chain(via, imp))
			}
			if own {
				queue = append(queue, imp)
			}
		}
	}
}

// chain is how config reaches imp: "config → ledger → imp".
func chain(via map[string]string, imp string) string {
	var steps []string
	for p := imp; p != ""; p = via[p] {
		steps = append(steps, p)
	}
	slices.Reverse(steps)
	return strings.Join(steps, " → ")
}

// moduleRoot finds go.mod above the test's directory and its module path.
func moduleRoot(t *testing.T) (dir, module string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			for s := bufio.NewScanner(f); s.Scan(); {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(rest), `"`)
				}
			}
			t.Fatalf("%s/go.mod names no module", dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
