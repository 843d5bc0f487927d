package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/rectibot/rectibot/ledger"
)

// catalogIDs reads a catalog the way go-i18n does: a plain key is a
// message, and a table of plural forms is one message.
func catalogIDs(t *testing.T, lang Lang) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	files := catalogFiles(lang)
	if len(files) == 0 {
		t.Fatalf("no catalog for %s", lang)
	}
	raw := map[string]any{}
	for _, name := range files {
		buf, err := locales.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var one map[string]any
		if err := toml.Unmarshal(buf, &one); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range one {
			if _, dup := raw[id]; dup {
				t.Errorf("%s: %q is defined in another %s catalog too", name, id, lang)
			}
			raw[id] = v
		}
	}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
		case map[string]any:
			if _, ok := v["other"]; !ok {
				t.Errorf("%s.toml: plural message %q has no \"other\" form", lang, id)
			}
		default:
			t.Errorf("%s.toml: %q is a %T, want a string or a plural table", lang, id, v)
		}
		ids[id] = true
	}
	return ids
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCatalogsHaveSameIDs(t *testing.T) {
	zh, en := catalogIDs(t, LangZh), catalogIDs(t, LangEn)
	for _, id := range sortedKeys(zh) {
		if !en[id] {
			t.Errorf("en.toml lacks %q", id)
		}
	}
	for _, id := range sortedKeys(en) {
		if !zh[id] {
			t.Errorf("zh.toml lacks %q", id)
		}
	}
}

// usedIDs collects the message ids the package's Go sources name: string
// literal arguments of t(…)/T(…) calls, and any literal shaped like an id
// (section headings are passed around as ids before reaching t).
func usedIDs(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "t" || sel.Sel.Name == "T") && len(n.Args) > 0 {
					if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						id, _ := strconv.Unquote(lit.Value)
						ids[id] = true
					}
				}
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					s, _ := strconv.Unquote(n.Value)
					if strings.HasPrefix(s, "digest_") && !strings.HasSuffix(s, "_") {
						ids[s] = true
					}
				}
			}
			return true
		})
	}
	return ids
}

func TestEveryUsedIDInEveryLanguage(t *testing.T) {
	used := usedIDs(t)
	if len(used) < 10 {
		t.Fatalf("found only %d ids in the sources; is the scanner broken? %v", len(used), sortedKeys(used))
	}
	for _, lang := range []Lang{LangZh, LangEn} {
		have := catalogIDs(t, lang)
		for _, id := range sortedKeys(used) {
			if !have[id] {
				t.Errorf("%s.toml lacks %q, used in the sources", lang, id)
			}
		}
	}
}

// Status names are looked up as "status_"+status, which the source scan
// cannot see.
func TestStatusNames(t *testing.T) {
	zh, en := NewLocalizer(LangZh), NewLocalizer(LangEn)
	for _, s := range ledger.Statuses {
		id := "status_" + string(s)
		if got := zh.T(id, nil); got != s.Chinese() {
			t.Errorf("zh %s = %q, want %q (Status.Chinese)", id, got, s.Chinese())
		}
		if got := en.T(id, nil); got == id || got == "" {
			t.Errorf("en %s missing", id)
		}
	}
}

func TestPlural(t *testing.T) {
	en := NewLocalizer(LangEn)
	if got := en.T("overdue_by_days", map[string]any{"Count": 1}); got != "1 day overdue" {
		t.Errorf("one: %q", got)
	}
	if got := en.T("overdue_by_days", map[string]any{"Count": 3}); got != "3 days overdue" {
		t.Errorf("other: %q", got)
	}
	if got := NewLocalizer(LangZh).T("overdue_by_days", map[string]any{"Count": 1}); got != "已逾期 1 天" {
		t.Errorf("zh: %q", got)
	}
	if got := en.T("no_such_id", nil); got != "no_such_id" {
		t.Errorf("missing id: %q", got)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{
		"zh": LangZh, "zh-hans": LangZh, "zh-CN": LangZh, "zh_cn": LangZh, "cn": LangZh,
		"zh-hant": LangZh, " 中文 ": LangZh,
		"en": LangEn, "en-US": LangEn, "en-gb": LangEn, "EN": LangEn, "English": LangEn,
	} {
		if got, ok := ParseLang(in); !ok || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "fr", "ru-RU", "xx-yy-zz!"} {
		if got, ok := ParseLang(in); ok || got != DefaultLang {
			t.Errorf("ParseLang(%q) = %q, %v; want default, false", in, got, ok)
		}
	}
}
