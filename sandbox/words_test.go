package sandbox

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/zhtypo"
)

// uiText is what the sandbox's page shows of its own: the JS strings on
// one line and the HTML's text between tags (attribute values, titles
// included, as quoted strings).
var uiText = regexp.MustCompile(`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|>[^<>\n]+<`)

// TestTheSandboxPageIsInStandardPunctuation: the sandbox's own Chinese
// (its buttons, notes, toasts) is in standard punctuation, as the bot's
// catalogs and the Mini App's words are — it is a newcomer's first sight
// of the product.
func TestTheSandboxPageIsInStandardPunctuation(t *testing.T) {
	for _, name := range []string{"web/index.html", "web/app.js", "web/miniapp.js"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		chinese := 0
		for _, m := range uiText.FindAllString(string(b), -1) {
			text := m[1 : len(m)-1]
			if strings.ContainsFunc(text, zhtypo.IsChinese) {
				chinese++
			}
			if off := zhtypo.Offences(text); len(off) > 0 {
				t.Errorf("%s: %q: %s", name, text, strings.Join(off, "; "))
			}
		}
		if chinese < 3 {
			t.Errorf("%s: only %d Chinese strings read: has its format changed?", name, chinese)
		}
	}
}
