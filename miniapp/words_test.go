package miniapp

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/zhtypo"
)

// wordRE is one entry of the page's word lists: `  key: 'text',`.
var wordRE = regexp.MustCompile(`(?m)^\s+([a-z0-9_]+):\s*'((?:[^'\\]|\\.)*)',?\s*$`)

func pageWords(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := webFiles.ReadFile("web/words." + lang + ".js")
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]string{}
	for _, m := range wordRE.FindAllStringSubmatch(string(b), -1) {
		words[m[1]] = m[2]
	}
	if len(words) < 50 {
		t.Fatalf("words.%s.js: only %d entries read: has its format changed?", lang, len(words))
	}
	return words
}

// TestThePageSpeaksBothLanguages: every word of the Mini App exists in
// Chinese and in English, and the Chinese is in standard punctuation, as
// the bot's catalogs are.
func TestThePageSpeaksBothLanguages(t *testing.T) {
	zh, en := pageWords(t, "zh"), pageWords(t, "en")
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("%s is in words.zh.js, not in words.en.js", k)
		}
	}
	for k := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("%s is in words.en.js, not in words.zh.js", k)
		}
	}
	keys := make([]string, 0, len(zh))
	for k := range zh {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if off := zhtypo.Offences(zh[k]); len(off) > 0 {
			t.Errorf("words.zh.js %s = %q: %s", k, zh[k], strings.Join(off, "; "))
		}
	}
}

// errorCodeRE is an error code the API answers with: writeError(w, status, "code").
var errorCodeRE = regexp.MustCompile(`writeError\(w, http\.Status\w+, "([a-z_]+)"\)`)

// knownRE is api.js's list of codes the page has words for.
var knownRE = regexp.MustCompile(`(?s)const known = new Set\(\[(.*?)\]\)`)

// TestThePageHasWordsForEveryErrorTheAPIGives: each code the API answers
// with is one the page knows and words in both languages — the page showed
// "出错了（own_request）" for a leader deciding her own deadline request.
func TestThePageHasWordsForEveryErrorTheAPIGives(t *testing.T) {
	codes := map[string]bool{}
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sources {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range errorCodeRE.FindAllStringSubmatch(string(b), -1) {
			codes[m[1]] = true
		}
	}
	if len(codes) < 10 {
		t.Fatalf("only %d error codes found in the API's sources: has writeError changed?", len(codes))
	}
	api, err := webFiles.ReadFile("web/api.js")
	if err != nil {
		t.Fatal(err)
	}
	m := knownRE.FindSubmatch(api)
	if m == nil {
		t.Fatal("api.js: the list of known codes is not where it was")
	}
	zh, en := pageWords(t, "zh"), pageWords(t, "en")
	for code := range codes {
		if !strings.Contains(string(m[1]), "'"+code+"'") {
			t.Errorf("api.js does not know the code %q", code)
		}
		if zh["err_"+code] == "" || en["err_"+code] == "" {
			t.Errorf("no words for the code %q (err_%s)", code, code)
		}
	}
}
