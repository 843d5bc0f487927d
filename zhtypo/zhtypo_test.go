package zhtypo

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPunctuate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"根据巡察工作统一部署,市委第一巡察组对市委政法委进行了巡察。", "根据巡察工作统一部署，市委第一巡察组对市委政法委进行了巡察。"},
		{"(一)在党的建设方面", "（一）在党的建设方面"},
		{"目前,已完成问题整改22个;正在整改的问题3个。", "目前，已完成问题整改22个；正在整改的问题3个。"},
		{"是否完成?请回复!", "是否完成？请回复！"},
		{"整改时限:2021年12月31日", "整改时限：2021年12月31日"},
		{"已完成, 剩余2份", "已完成，剩余2份"},
		{"问题6(2)已整改", "问题6(2)已整改"},                                 // a task's code keeps its brackets
		{"共1,000元,已追回", "共1,000元，已追回"},                             // a thousands separator stays
		{"会议12:30召开", "会议12:30召开"},                                 // a time stays
		{"详见https://example.org/a,b", "详见https://example.org/a,b"}, // Latin on both sides
		{"印发\"三个清单\"", "印发“三个清单”"},
		{"关于“落实“三个清单”情况”的通报", "关于“落实‘三个清单’情况”的通报"},
		{"English only, (untouched): yes!", "English only, (untouched): yes!"},
		{"开展(2021年)专项整治", "开展（2021年）专项整治"},
		{`<w:altName w:val="仿宋"/>`, `<w:altName w:val="仿宋"/>`},
		{"修订&lt;出国&gt;管理制度,&#36;元", "修订&lt;出国&gt;管理制度，&#36;元"}, // HTML escapes stay
		{`成(")"`, `成（"）"`}, // quotes holding only a widened bracket stay straight, on every pass
		{`"a"一"b"`, `"a"一"b"`},
	} {
		if got := Punctuate(c.in); got != c.want {
			t.Errorf("Punctuate(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if off := Offences(Punctuate(c.in)); len(off) > 0 {
			t.Errorf("Punctuate(%q) still offends: %q", c.in, off)
		}
	}
}

func TestOffences(t *testing.T) {
	if got := Offences("目前,已完成"); len(got) != 1 || got[0] != "目前,已完成" {
		t.Errorf("Offences = %q", got)
	}
	if got := Offences("目前，已完成（22个）；1,000; 12:30"); len(got) != 0 {
		t.Errorf("clean text offends: %q", got)
	}
}

// FuzzPunctuate: whatever the text, Punctuate keeps valid UTF-8, changes
// no letter or digit, and is idempotent.
func FuzzPunctuate(f *testing.F) {
	for _, s := range []string{"目前,已完成", "“a“b”c”", "(一)", "6(2)", "\"引号\"", "完成, 剩余", ")(", "”“"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		once := Punctuate(s)
		if !utf8.ValidString(once) {
			t.Fatalf("Punctuate(%q) = %q: invalid UTF-8", s, once)
		}
		if twice := Punctuate(once); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", s, once, twice)
		}
		if off := Offences(once); len(off) > 0 {
			t.Fatalf("Punctuate(%q) = %q still offends: %q", s, once, off)
		}
		if words(once) != words(s) {
			t.Fatalf("Punctuate(%q) = %q changed the words", s, once)
		}
	})
}

// TestPunctuateLongRuns: a long run of marks or nested brackets is
// widened whole (each widened character makes the next one touch Chinese)
// — the input that hung CI's fuzzer when every change took another pass
// over the text.
func TestPunctuateLongRuns(t *testing.T) {
	const n = 200_000
	marks := Punctuate("完成" + strings.Repeat("!", n))
	if want := "完成" + strings.Repeat("！", n); marks != want {
		t.Errorf("a run of %d marks after Chinese: %d left half-width", n, strings.Count(marks, "!"))
	}
	nested := Punctuate("一" + strings.Repeat("(", n) + "a" + strings.Repeat(")", n))
	if want := "一" + strings.Repeat("（", n) + "a" + strings.Repeat("）", n); nested != want {
		t.Errorf("%d nested pairs after Chinese: %d left half-width", n, strings.Count(nested, "("))
	}
	inside := Punctuate(strings.Repeat("(", n) + "一" + strings.Repeat(")", n))
	if strings.ContainsAny(inside, "()") {
		t.Errorf("%d nested pairs around Chinese: %d left half-width", n, strings.Count(inside, "("))
	}
	if off := Offences("完成" + strings.Repeat("!", n)); len(off) != n {
		t.Errorf("Offences found %d of %d", len(off), n)
	}
}

// BenchmarkPunctuate: time per character stays flat as the text grows
// (MB/s at 64 KiB against 1 KiB; quadratic widening fell by 64×).
func BenchmarkPunctuate(b *testing.B) {
	base := "根据巡察工作统一部署,市委第一巡察组(2021年)对市委政法委进行了巡察!!完成, 剩余\"三个清单\"。"
	for _, size := range []int{1 << 10, 1 << 16} {
		text := strings.Repeat(base, size/len(base)+1)[:size]
		text = strings.ToValidUTF8(text, "")
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Punctuate(text)
			}
		})
	}
}

// words is s's letters and digits, in order.
func words(s string) string {
	var out []rune
	for _, r := range s {
		if _, mark := fullWidth[r]; mark || r == ' ' || r == '"' {
			continue
		}
		switch r {
		case '，', '；', '：', '！', '？', '（', '）', '“', '”', '‘', '’':
			continue
		}
		out = append(out, r)
	}
	return string(out)
}
