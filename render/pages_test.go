package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rectibot/rectibot/ledger"
)

func TestDigestPagesBigLedger(t *testing.T) {
	d := sampleDigest()
	d.OverdueList = nil
	// Astral emoji in titles make UTF-16 units exceed runes; "&" makes the
	// escaped text longer than the raw one.
	for i := range 10000 {
		d.OverdueList = append(d.OverdueList, ledger.TaskLine{
			Code: fmt.Sprintf("%d", i), Title: fmt.Sprintf("问题 %d 🔴 A&B", i), Department: "委机关办公室",
			Officer: "张伟", Leader: "常务副书记", Deadline: ledger.MustDate(2021, 10, 1), Days: i%90 + 1,
		})
	}
	for _, f := range []Format{FormatHTML, FormatPlain} {
		full := Digest(d, LangZh, f)
		pages := DigestPages(d, LangZh, f, TelegramMaxText)
		if len(pages) < 2 {
			t.Fatalf("%d pages", len(pages))
		}
		var lines []string
		for i, p := range pages {
			if n := utf16Len(p); n > TelegramMaxText {
				t.Errorf("page %d: %d UTF-16 units", i, n)
			}
			if strings.HasPrefix(p, "\n") || strings.HasSuffix(p, "\n") {
				t.Errorf("page %d starts or ends with a blank line", i)
			}
			lines = append(lines, strings.Split(p, "\n")...)
		}
		if got, want := nonEmpty(lines), nonEmpty(strings.Split(full, "\n")); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("pages hold %d lines, the digest %d (or order differs)", len(got), len(want))
		}
	}
}

func nonEmpty(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestPaginateSmall(t *testing.T) {
	if got := Paginate("a\nb\n\nc", FormatPlain, 100); len(got) != 1 || got[0] != "a\nb\n\nc" {
		t.Errorf("one page: %q", got)
	}
	// "aaa\nbbb" is 7 units: exactly fits; a third line does not.
	if got := Paginate("aaa\nbbb\nccc", FormatPlain, 7); len(got) != 2 || got[0] != "aaa\nbbb" || got[1] != "ccc" {
		t.Errorf("split: %q", got)
	}
	if got := Paginate("aaa\n\nbbb", FormatPlain, 4); len(got) != 2 || got[1] != "bbb" {
		t.Errorf("blank line at a page edge kept: %q", got)
	}
}

func TestPaginateTruncatesLongLine(t *testing.T) {
	long := "<b>" + strings.Repeat("题&amp;", 50) + "</b>"
	got := Paginate("head\n"+long+"\ntail", FormatHTML, 20)
	if len(got) != 3 {
		t.Fatalf("pages %q", got)
	}
	mid := got[1]
	if utf16Len(mid) > 20 || !strings.HasPrefix(mid, "<b>") || !strings.HasSuffix(mid, "…</b>") {
		t.Errorf("truncated line %q", mid)
	}
	// No entity is cut: every "&" starts a whole "&amp;".
	if strings.Count(mid, "&") != strings.Count(mid, "&amp;") {
		t.Errorf("cut entity in %q", mid)
	}
	plain := Paginate(strings.Repeat("🔴", 10), FormatPlain, 7)
	if len(plain) != 1 || utf16Len(plain[0]) > 7 || plain[0] != "🔴🔴🔴…" {
		t.Errorf("plain truncation %q", plain)
	}
}
