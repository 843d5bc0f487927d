package render

import (
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/rectibot/rectibot/zhtypo"
)

// TestChineseCatalogsUseFullWidthPunctuation: every Chinese message (and
// each plural form) has full-width ，；：（）！？ wherever a mark touches
// Chinese text (GB/T 15834), and nests quotation marks “‘’”.
func TestChineseCatalogsUseFullWidthPunctuation(t *testing.T) {
	for _, name := range catalogFiles(LangZh) {
		buf, err := locales.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]any
		if err := toml.Unmarshal(buf, &msgs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check := func(id, text string) {
			for _, o := range zhtypo.Offences(text) {
				t.Errorf("%s: %s: half-width punctuation beside Chinese: %q", name, id, o)
			}
			if fixed := zhtypo.Punctuate(text); fixed != text && len(zhtypo.Offences(text)) == 0 {
				t.Errorf("%s: %s: quotation marks not nested “‘’”：\n got %s\nwant %s", name, id, text, fixed)
			}
		}
		for id, v := range msgs {
			switch v := v.(type) {
			case string:
				check(id, v)
			case map[string]any:
				for form, text := range v {
					if s, ok := text.(string); ok {
						check(id+"."+form, s)
					}
				}
			}
		}
	}
}
