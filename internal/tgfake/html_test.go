package tgfake

import (
	"reflect"
	"testing"

	"github.com/go-telegram/bot/models"
)

func TestParseHTMLOffsetsAreUTF16(t *testing.T) {
	text, ents, err := parseHTML(`😀 <b>整改 <i>👍x</i></b> &lt;a&gt;`)
	if err != nil {
		t.Fatal(err)
	}
	if text != "😀 整改 👍x <a>" {
		t.Fatalf("text = %q", text)
	}
	want := []models.MessageEntity{
		{Type: models.MessageEntityTypeBold, Offset: 3, Length: 6},
		{Type: models.MessageEntityTypeItalic, Offset: 6, Length: 3},
	}
	if !reflect.DeepEqual(ents, want) {
		t.Fatalf("entities = %+v", ents)
	}
}

func TestParseHTMLAttributes(t *testing.T) {
	_, ents, err := parseHTML(`<A HREF='https://a.cn/x?q=&quot;1&quot;'>x</A><a href=tg://user?id=5>y</a>`)
	if err != nil {
		t.Fatal(err)
	}
	if ents[0].URL != `https://a.cn/x?q="1"` || ents[1].URL != "tg://user?id=5" {
		t.Fatalf("entities = %+v", ents)
	}
	if _, _, err := parseHTML(`<a href="x>y</a>`); err == nil {
		t.Fatal("unclosed quote accepted")
	}
	if _, _, err := parseHTML(`&#0; &#xD800;`); err == nil {
		t.Fatal("invalid code points accepted")
	}
}

func TestTrimClipsEntities(t *testing.T) {
	p := &params{vals: map[string]string{"text": "\n  <b> 整改 </b>  \n", "parse_mode": "HTML"}}
	f, aerr := parseFormatted(p, "text", "entities", false)
	if aerr != nil {
		t.Fatal(aerr.Desc)
	}
	if f.text != "整改" || len(f.entities) != 1 || f.entities[0].Offset != 0 || f.entities[0].Length != 2 {
		t.Fatalf("formatted = %+v", f)
	}
}

func TestDetectEntities(t *testing.T) {
	text := "请 @zg_bot 看 /report@zg_bot 和 a/b http://x.cn"
	var got []string
	for _, e := range detectEntities(text) {
		got = append(got, string(e.Type)+":"+utf16Slice(text, e.Offset, e.Length))
	}
	want := []string{"mention:@zg_bot", "bot_command:/report@zg_bot"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("entities = %q", got)
	}
}
