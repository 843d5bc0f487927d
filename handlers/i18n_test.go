package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/render"
)

// TestEveryMessageIDExistsInBothLanguages scans the handlers' sources for
// the message ids they use — literal first arguments of t(…)/T(…) — and
// checks each is in the Chinese and the English catalog.
func TestEveryMessageIDExistsInBothLanguages(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "t" && sel.Sel.Name != "T") {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				id, _ := strconv.Unquote(lit.Value)
				used[id] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	if len(used) < 20 {
		t.Fatalf("found only %d message ids: the scan is broken", len(used))
	}
	for _, lang := range []render.Lang{render.LangZh, render.LangEn} {
		ids := render.MessageIDs(lang)
		for id, where := range used {
			if !ids[id] {
				t.Errorf("%s: message %q is missing from the %s catalog", where, id, lang)
			}
		}
	}
	// Dynamic ids: roles and command descriptions.
	for _, lang := range []render.Lang{render.LangZh, render.LangEn} {
		ids := render.MessageIDs(lang)
		for _, role := range []string{"admin", "leader", "officer", "viewer"} {
			if !ids["role_"+role] {
				t.Errorf("%s catalog lacks role_%s", lang, role)
			}
		}
		for _, c := range append(append([]string{}, privateOrder...), groupAdminCmds...) {
			if !ids["cmd_"+c] {
				t.Errorf("%s catalog lacks cmd_%s", lang, c)
			}
		}
	}
}
