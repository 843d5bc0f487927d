package tgfake

import (
	"reflect"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestSendMessageSharesTheChatsIDSequence(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	if u := s.Text(alice, "/start"); u.Message.ID != 1 {
		t.Fatalf("user message id = %d, want 1", u.Message.ID)
	}
	m, err := send(t, b, alice, "你好")
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != 2 || m.Chat.ID != alice || m.From == nil || !m.From.IsBot || m.Text != "你好" {
		t.Fatalf("message = %+v", m)
	}
	if m2, _ := send(t, b, bob, "hi"); m2.ID != 1 {
		t.Fatalf("bob's first message id = %d, want 1 (ids are per chat)", m2.ID)
	}
	got := s.Messages(alice)
	if len(got) != 1 || got[0].MessageID != 2 || got[0].Text != "你好" || got[0].Method != "sendMessage" {
		t.Fatalf("Messages = %+v", got)
	}
	if s.Calls("sendmessage") != 2 {
		t.Fatalf("Calls = %d", s.Calls("sendMessage"))
	}
}

func TestTextLengthIsUTF16AfterParsing(t *testing.T) {
	_, b, _ := newFake(t, Options{})
	_, err := send(t, b, alice, "")
	wantBadRequest(t, err, "Bad Request: message text is empty")
	_, err = send(t, b, alice, " \n\t ")
	wantBadRequest(t, err, "message text is empty")
	_, err = send(t, b, alice, "<b> </b>", html)
	wantBadRequest(t, err, "message text is empty")

	if _, err := send(t, b, alice, strings.Repeat("整", 4096)); err != nil {
		t.Fatalf("4096 BMP characters: %v", err)
	}
	_, err = send(t, b, alice, strings.Repeat("整", 4097))
	wantBadRequest(t, err, "Bad Request: message is too long")
	// An emoji outside the BMP is two UTF-16 code units.
	if _, err := send(t, b, alice, strings.Repeat("😀", 2048)); err != nil {
		t.Fatalf("2048 emoji: %v", err)
	}
	_, err = send(t, b, alice, strings.Repeat("😀", 2048)+"x")
	wantBadRequest(t, err, "message is too long")
	// Entities count one, tags nothing.
	if _, err := send(t, b, alice, "<b>"+strings.Repeat("&lt;", 4096)+"</b>", html); err != nil {
		t.Fatalf("4096 escaped characters in a tag: %v", err)
	}
	_, err = send(t, b, alice, strings.Repeat("&amp;", 4097), html)
	wantBadRequest(t, err, "message is too long")
}

func TestPlainTextIsLiteral(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	if _, err := send(t, b, alice, "a < b & <i>c</i>"); err != nil {
		t.Fatal(err)
	}
	if got := s.Last(alice); got.Text != "a < b & <i>c</i>" || got.Entities != nil {
		t.Fatalf("Last = %+v", got)
	}
}

func TestHTMLWithEveryAllowedTag(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	src := `<b>b</b><strong>st</strong><i>i</i><em>em</em><u>u</u><ins>ins</ins>` +
		`<s>s</s><strike>sk</strike><del>del</del><a href="https://example.com/?a=1&amp;b=2">a</a>` +
		`<code>c</code><pre>p</pre><pre><code class="language-go">go</code></pre>` +
		`<blockquote>q</blockquote><blockquote expandable>xq</blockquote>` +
		`<tg-spoiler>sp</tg-spoiler><span class="tg-spoiler">sp2</span>` +
		`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>` +
		` &lt;&gt;&amp;&quot;&#20320;&#x597D; <b>bold <i>nested</i></b>`
	m, err := send(t, b, alice, src, html)
	if err != nil {
		t.Fatal(err)
	}
	wantText := `bstiemuinssskdelacpgoqxqspsp2👍 <>&"你好 bold nested`
	if m.Text != wantText {
		t.Fatalf("text = %q, want %q", m.Text, wantText)
	}
	var kinds []string
	for _, e := range m.Entities {
		kinds = append(kinds, string(e.Type))
	}
	want := "bold bold italic italic underline underline strikethrough strikethrough strikethrough " +
		"text_link code pre pre blockquote expandable_blockquote spoiler spoiler custom_emoji bold italic"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("entities = %v", kinds)
	}
	byType := func(typ models.MessageEntityType, lang string) models.MessageEntity {
		for _, e := range m.Entities {
			if e.Type == typ && e.Language == lang {
				return e
			}
		}
		t.Fatalf("no %s entity", typ)
		return models.MessageEntity{}
	}
	if e := byType(models.MessageEntityTypeTextLink, ""); e.URL != "https://example.com/?a=1&b=2" {
		t.Fatalf("link = %+v", e)
	}
	if e := byType(models.MessageEntityTypePre, "go"); e.Length != 2 {
		t.Fatalf("pre with language = %+v", e)
	}
	// 👍 is two UTF-16 units: the entity after it starts 2 further on.
	emoji := byType(models.MessageEntityTypeCustomEmoji, "")
	if emoji.Length != 2 || emoji.CustomEmojiID != "5368324170671202286" {
		t.Fatalf("custom emoji = %+v", emoji)
	}
	if got := s.Last(alice); got.Raw != src || got.ParseMode != "HTML" || !reflect.DeepEqual(got.Entities, m.Entities) {
		t.Fatalf("stored = %+v", got)
	}
}

func TestHTMLRefusals(t *testing.T) {
	_, b, _ := newFake(t, Options{})
	for _, tc := range []struct{ src, want string }{
		{"a < b", `Unsupported start tag "" at byte offset 2`},
		{"fish & chips", `Unescaped "&" at byte offset 5`},
		{"&nbsp;", `Unescaped "&"`},
		{"<br>", `Unsupported start tag "br" at byte offset 0`},
		{"<b>bold", `Can't find end tag corresponding to start tag "b"`},
		{"<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"x</b>", "Unexpected end tag at byte offset 1"},
		{"<b", "Unclosed start tag at byte offset 0"},
		{"<b>x</b", "Unclosed end tag at byte offset 4"},
		{"<a>x</a>", `Tag "a" must have attribute "href"`},
		{`<span class="red">x</span>`, `Tag "span" must have class "tg-spoiler"`},
		{"<tg-emoji>x</tg-emoji>", `Tag "tg-emoji" must have a numeric "emoji-id"`},
		{`<a href="https://x.org/?a=1&b=2">x</a>`, `Unescaped "&" in an attribute value`},
		{`<b class>x</b>`, `Expected equal sign in declaration of an attribute of the tag "b"`},
	} {
		_, err := send(t, b, alice, tc.src, html)
		wantBadRequest(t, err, "Bad Request: can't parse entities: "+tc.want)
	}
}

func TestParseModeOtherThanHTML(t *testing.T) {
	_, b, _ := newFake(t, Options{})
	_, err := send(t, b, alice, "*x*", func(p *bot.SendMessageParams) { p.ParseMode = "Bogus" })
	wantBadRequest(t, err, "unsupported parse_mode")
	_, err = send(t, b, alice, "*x*", func(p *bot.SendMessageParams) { p.ParseMode = models.ParseModeMarkdown })
	wantBadRequest(t, err, "not implemented")
}

func TestChatsTheBotCannotReach(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	_, err := send(t, b, 999, "hi")
	wantBadRequest(t, err, "Bad Request: chat not found")
	_, err = send(t, b, -999, "hi")
	wantBadRequest(t, err, "chat not found")
	_, err = send(t, b, carol, "hi")
	wantForbidden(t, err, "Forbidden: bot can't initiate conversation with a user")

	s.Block(alice)
	_, err = send(t, b, alice, "hi")
	wantForbidden(t, err, "Forbidden: bot was blocked by the user")
	_, err = b.SendChatAction(t.Context(), &bot.SendChatActionParams{ChatID: alice, Action: models.ChatActionTyping})
	wantForbidden(t, err, "blocked")
	s.Text(alice, "/start") // the user restarts the bot
	if _, err := send(t, b, alice, "welcome back"); err != nil {
		t.Fatal(err)
	}

	if _, err := send(t, b, group, "群消息"); err != nil {
		t.Fatal(err)
	}
	s.RemoveFromGroup(group, alice)
	_, err = send(t, b, group, "群消息")
	wantForbidden(t, err, "bot was kicked from the group chat")

	rej := s.Rejected()
	if len(rej) != 6 || rej[0].Code != 400 || rej[0].ChatID != 999 || rej[2].Code != 403 {
		t.Fatalf("Rejected = %+v", rej)
	}
}

func TestReplyTo(t *testing.T) {
	s, b, _ := newFake(t, Options{})
	u := s.Text(alice, "整改完成")
	m, err := send(t, b, alice, "收到", func(p *bot.SendMessageParams) {
		p.ReplyParameters = &models.ReplyParameters{MessageID: u.Message.ID}
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.ReplyToMessage == nil || m.ReplyToMessage.Text != "整改完成" || s.Last(alice).ReplyTo != u.Message.ID {
		t.Fatalf("reply = %+v", m.ReplyToMessage)
	}
	_, err = send(t, b, alice, "x", func(p *bot.SendMessageParams) {
		p.ReplyParameters = &models.ReplyParameters{MessageID: 99}
	})
	wantBadRequest(t, err, "message to be replied not found")
	if _, err := send(t, b, alice, "x", func(p *bot.SendMessageParams) {
		p.ReplyParameters = &models.ReplyParameters{MessageID: 99, AllowSendingWithoutReply: true}
	}); err != nil {
		t.Fatal(err)
	}
}
