package miniapp

import (
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
