package archtest

import (
	"slices"
	"strings"
	"testing"
)

// configForbidden are what config must never pull in: it is read first, by
// every command, and by tests of packages that only need a setting; the
// database layer, the job queue and the bot belong to the commands that
// use them.
var configForbidden = []string{
	"gorm.io/", "github.com/riverqueue/",
	// the SQLite and PostgreSQL drivers
	"github.com/glebarez/", "github.com/jackc/",
	// this module's packages (a leading slash)
	"/models", "/scheduler", "/handlers", "/bot",
}

// TestConfigStaysLight walks config's imports through this module's
// packages and checks other modules' by import path.
func TestConfigStaysLight(t *testing.T) {
	tr := readTree(t)
	if _, ok := tr.imports["config"]; !ok {
		t.Fatal("no config package")
	}
	via := tr.deps("config")
	for imp := range via {
		dir, own := tr.own(imp)
		if slices.ContainsFunc(configForbidden, func(f string) bool {
			if name, ok := strings.CutPrefix(f, "/"); ok {
				return own && (dir == name || strings.HasPrefix(dir, name+"/"))
			}
			return strings.HasPrefix(imp, f)
		}) {
			t.Errorf("config depends on %s: %s", imp, chain(via, imp))
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
