package render

import (
	"embed"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/rectibot/rectibot/ledger"
)

// Lang is a language the bot speaks. Chinese is the default (SPEC: the bot
// is Simplified Chinese first, English second).
type Lang string

const (
	LangZh Lang = "zh"
	LangEn Lang = "en"
)

// DefaultLang is what a user gets when nothing better is known.
const DefaultLang = LangZh

// LangOf is the language to answer someone in: their choice (/lang),
// else what their Telegram app says, else DefaultLang. The bot and the
// Mini App decide it the same way.
func LangOf(chosen, telegramCode string) Lang {
	if l, ok := ParseLang(chosen); ok {
		return l
	}
	l, _ := ParseLang(telegramCode)
	return l
}

// ParseLang reads a language as a user, a flag or Telegram's
// User.language_code writes it: "zh", "zh-hans", "zh_CN", "cn", "中文",
// "en", "en-US", "English"… It returns DefaultLang and false when s is not a
// language the bot speaks, so callers that only want a usable value can
// ignore the bool.
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "_", "-")
	switch s {
	case "":
		return DefaultLang, false
	// "cn" is a country code, not a language, but people type it.
	case "cn", "中文", "汉语", "简体中文", "chinese":
		return LangZh, true
	case "english", "英文", "英语":
		return LangEn, true
	}
	tag, err := language.Parse(s)
	if err != nil {
		return DefaultLang, false
	}
	// Every Chinese variant (zh-Hant, zh-TW included) maps to zh: the
	// Simplified catalog serves a traditional-script reader better than
	// English does.
	switch base, _ := tag.Base(); base.String() {
	case "zh":
		return LangZh, true
	case "en":
		return LangEn, true
	}
	return DefaultLang, false
}

// locales holds the catalogs, one file per area and language, named
// <area>.<lang>.toml (digest.zh.toml, bot.en.toml…) so that go-i18n takes
// the language from the file name and each area's messages stay together.
//
//go:embed locales/*.toml
var locales embed.FS

var (
	bundleOnce sync.Once
	bundle     *i18n.Bundle
)

// catalogFiles lists the catalog files of lang.
func catalogFiles(lang Lang) []string {
	names, _ := fs.Glob(locales, "locales/*."+string(lang)+".toml")
	return names
}

// catalogBundle loads the embedded catalogs once. A broken catalog is a
// programming error caught by the tests, so it panics rather than making
// every caller handle an error that cannot happen in a built binary.
func catalogBundle() *i18n.Bundle {
	bundleOnce.Do(func() {
		b := i18n.NewBundle(language.Chinese)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		for _, l := range []Lang{LangZh, LangEn} {
			for _, name := range catalogFiles(l) {
				if _, err := b.LoadMessageFileFS(locales, name); err != nil {
					panic("render: bad catalog: " + err.Error())
				}
			}
		}
		bundle = b
	})
	return bundle
}

// Localizer translates message ids into one language. It is safe for
// concurrent use.
type Localizer struct {
	lang Lang
	loc  *i18n.Localizer
}

// NewLocalizer returns a Localizer for lang; an unknown lang gets Chinese.
func NewLocalizer(lang Lang) *Localizer {
	if lang != LangZh && lang != LangEn {
		lang = DefaultLang
	}
	return &Localizer{lang: lang, loc: i18n.NewLocalizer(catalogBundle(), string(lang))}
}

// Lang is the language of l.
func (l *Localizer) Lang() Lang { return l.lang }

// Date writes a day for reading: 2021年11月1日 in Chinese (GB/T 15835,
// as documents and offices write it), 2021-11-01 in English. Typed input
// and file names keep the ISO form.
func (l *Localizer) Date(d ledger.Date) string {
	if d.IsZero() {
		return ""
	}
	if l.lang == LangZh {
		return d.Chinese()
	}
	return d.String()
}

// Time writes a moment for reading, to the minute, in t's zone:
// 2021年11月1日 10:05 in Chinese, 2021-11-01 10:05 in English.
func (l *Localizer) Time(t time.Time) string {
	return l.Date(ledger.DateOf(t)) + " " + t.Format("15:04")
}

// T returns message id filled in with data. When data has an integer
// "Count", it also selects the plural form ("1 task" / "3 tasks"); Chinese
// has a single form. A missing id yields the id itself, so a gap shows up
// in the output instead of failing a user's request (the catalog test keeps
// it from happening).
func (l *Localizer) T(id string, data map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		cfg.PluralCount = n
	}
	s, err := l.loc.Localize(cfg)
	if err != nil && s == "" {
		return id
	}
	return s
}

// MessageIDs lists the ids of lang's catalogs, for tests in other packages
// that check every id they use exists.
func MessageIDs(lang Lang) map[string]bool {
	ids := map[string]bool{}
	for _, name := range catalogFiles(lang) {
		buf, err := locales.ReadFile(name)
		if err != nil {
			continue
		}
		var raw map[string]any
		if err := toml.Unmarshal(buf, &raw); err != nil {
			continue
		}
		for id := range raw {
			ids[id] = true
		}
	}
	return ids
}
