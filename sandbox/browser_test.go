package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rectibot/rectibot/internal/browsertest"
	"github.com/rectibot/rectibot/sandbox"
)

// TestBrowserStory walks the story in headless Chromium, through the
// page only: an officer replies to a reminder with a photo and confirms,
// asks for closure through /report, the leader sees the photo (佐证材料)
// and approves in /verify (同意销号, then 确认同意), the group is told, and
// the next working day brings a new reminder. A PNG of the page is saved
// after each step (RECTIBOT_SCREENSHOTS, or a temporary folder; the paths
// are logged).
func TestBrowserStory(t *testing.T) {
	chrome := browsertest.Chromium(t)
	shots := screenshotDir(t)

	ctx := t.Context()
	sb, err := sandbox.New(ctx, sandbox.Options{Addr: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)

	p := openBrowser(t, chrome, shots)
	photo := writePNG(t)

	// The page: seven personas, the sandbox's time, the clock buttons.
	p.do("open the page", chromedp.Navigate(sb.URL()+"/"))
	p.waitJS("seven persona tabs", `document.querySelectorAll('[data-persona]').length === 7`)
	p.waitJS("the sandbox time", `/\d{4}-\d\d-\d\d \d\d:\d\d/.test(document.querySelector('#now-text').textContent)`)
	p.checkSanitizer()
	firstClock := p.textOf(0, "#now-text")
	p.shot("page")

	// 周杰's private chat holds a reminder or task card to reply to.
	p.click("周杰's tab", `[data-persona="officer1"]`)
	p.waitJS("周杰 active", `document.querySelector('.persona.active') && document.querySelector('.persona.active').dataset.persona === 'officer1'`)
	p.waitText("#chat-title", "整改督办助手")
	target := p.waitMessage("a reminder or task card for 周杰", "bot", "直接回复本消息")
	p.shot("officer-reminder")

	// A photo in reply to it, with a caption.
	p.click("reply to the reminder", msgSel(target)+` .reply-btn`)
	p.waitJS("the reply bar", `!document.querySelector('#reply-bar').hidden`)
	p.do("caption and photo",
		chromedp.SendKeys(chromedp.CSS("#composer-input"), "最后一份合同已执行完毕,出版工作已完成"),
		chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{photo}),
	)
	mine := p.waitMessage("周杰's photo", "officer1", "最后一份合同已执行完毕")
	p.waitJS("the photo, quoting the reminder", fmt.Sprintf(
		`(() => { const r = document.querySelector(%q); return !!r && !!r.querySelector('.msg-photo') && !!r.querySelector('.msg-quote[data-reply-to="%d"]') && r.classList.contains('out'); })()`,
		msgSel(mine), target))
	ask := p.waitMessageAfter("the bot's question about the reply", "bot", mine, "")
	if !p.hasButton(ask, "✅ 记录") {
		// The reminder listed several tasks: say which one first.
		p.press(ask, p.firstButton(ask))
		ask = p.waitMessageAfter("the question after picking the task", "bot", mine, "将您的回复记为")
	}
	code := p.boldIn(ask)
	if code == "" {
		t.Fatalf("no task code in the question %q", p.textOf(ask, ".msg-text"))
	}
	t.Logf("the task: %s", code)
	p.shot("reply-with-photo")

	// One press records it.
	p.press(ask, "✅ 记录")
	p.waitJS("recorded", fmt.Sprintf(`(document.querySelector(%q) || {}).textContent.includes('已记为整改进展')`, msgSel(ask)))
	p.shot("progress-recorded")

	// Closure through /report, the command taken from the "/" menu.
	p.click("the command menu", "#cmd-btn")
	p.waitJS("the menu lists /report", `!document.querySelector('#command-menu').hidden && !!document.querySelector('#command-menu [data-command="report"]')`)
	p.shot("command-menu")
	p.click("pick /report", `#command-menu [data-command="report"]`)
	p.waitJS("/report in the input", `document.querySelector('#composer-input').value.trim() === '/report'`)
	last := p.lastID()
	p.click("send /report", "#send-btn")
	pick := p.waitMessageAfter("the task picker", "bot", last, "")
	if p.hasButton(pick, code) {
		p.press(pick, code)
	}
	prompt := p.waitMessageAfter("the evidence prompt", "bot", last, "请发送整改进展")
	if !strings.Contains(p.textOf(prompt, ".msg-text"), code) {
		t.Errorf("the report prompt is not about %s: %q", code, p.textOf(prompt, ".msg-text"))
	}
	p.shot("report-prompt")
	p.say("全部整改措施已落实,申请销号")
	status := p.waitMessageAfter("the status question", "bot", prompt, "请选择目前的整改状态")
	p.press(status, "已完成，申请销号")
	summary := p.waitMessageAfter("the summary to confirm", "bot", status, "请确认报送内容")
	p.shot("report-confirm")
	p.press(summary, "确认")
	p.waitMessageAfter("the closure asked", "bot", summary, "已申请销号")
	p.shot("closure-asked")

	// The leader approves in /verify.
	p.click("leader1's tab", `[data-persona="leader1"]`)
	p.waitJS("leader1 active", `document.querySelector('.persona.active').dataset.persona === 'leader1'`)
	last = p.lastID()
	p.say("/verify")
	list := p.waitMessageAfter("the /verify list", "bot", last, "待销号审核")
	if !strings.Contains(p.textOf(list, ".msg-text"), code) || !strings.Contains(p.textOf(list, ".msg-text"), "周杰") {
		t.Errorf("the /verify list lacks %s or 周杰: %q", code, p.textOf(list, ".msg-text"))
	}
	p.shot("verify-list")
	// 佐证材料: the report whole, then 周杰's photo itself, in leader1's chat.
	last = p.lastID()
	p.press(list, code+" 佐证材料")
	evidence := p.waitMessageAfter("the evidence's heading", "bot", last, "佐证材料")
	p.waitJS("the photo shown", fmt.Sprintf(`[...document.querySelectorAll('#messages .msg-row[data-from="bot"]')].some(r => +r.dataset.id > %d && (i => i && i.complete && i.naturalWidth === 64)(r.querySelector('.msg-photo img')))`, evidence))
	p.shot("evidence")
	// 同意销号 asks first, on the same message; 确认同意 approves.
	p.press(list, code+" 同意销号")
	p.waitJS("the question", fmt.Sprintf(`(document.querySelector(%q) || {}).textContent.includes('确认同意 %s 销号')`, msgSel(list), code))
	p.shot("approve-confirm")
	p.press(list, "确认同意")
	p.waitJS("approved", fmt.Sprintf(`(document.querySelector(%q) || {}).textContent.includes('已销号')`, msgSel(list)))
	p.waitToast("已同意")
	p.shot("approved")

	// The group is told.
	p.click("the group", `.chat-item[data-chat-kind="group"]`)
	p.waitText("#chat-title", "整改工作群")
	p.waitMessage("the closure announcement", "bot", "【销号通报】")
	announce := p.waitMessage("the announcement of "+code, "bot", code)
	if got := p.textOf(announce, ".msg-text"); !strings.Contains(got, "已销号") || !strings.Contains(got, "周杰") {
		t.Errorf("the group's announcement: %q", got)
	}
	p.shot("group-announcement")

	// The next working day, 09:00: a new reminder for 周杰.
	p.click("back to 周杰", `[data-persona="officer1"]`)
	p.waitJS("周杰's private chat", `document.querySelector('.chat-item.active') && document.querySelector('.chat-item.active').dataset.chatKind === 'private'`)
	before := p.lastID()
	clockBefore := p.textOf(0, "#now-text")
	p.click("next working day", `[data-clock="workday"]`)
	p.waitJS("the clock moved", fmt.Sprintf(`(t => t.includes('09:00') && t !== %q)(document.querySelector('#now-text').textContent)`, clockBefore))
	// 11(2) falls due: it is in the new reminder's "due soon" part.
	reminder := p.waitMessageAfter("the next day's reminder", "bot", before, "以下整改事项请抓紧办理并按时报送")
	p.waitJS("a task falling due in it", fmt.Sprintf(`(t => t.includes('即将到期') && t.includes('11(2)'))(document.querySelector('.msg-row[data-id="%d"]').textContent)`, reminder))
	p.waitJS("the delivery listed", `document.querySelector('#deliveries').textContent.includes('周杰')`)
	t.Logf("clock %q → %q; reminder %q", clockBefore, p.textOf(0, "#now-text"), firstLine(p.textOf(reminder, ".msg-text")))
	p.shot("next-workday-reminder")

	// 重置 asks once more, then the sandbox starts over: the first
	// morning again, and none of the above in 周杰's chat.
	p.click("reset", "#reset-btn")
	p.waitText("#reset-btn", "确认重置")
	p.click("reset, confirmed", "#reset-btn")
	p.waitJS("the first morning again", fmt.Sprintf(`document.querySelector('#now-text').textContent === %q`, firstClock))
	p.waitJS("周杰's chat as it began", `(t => t.includes('以下整改事项请抓紧办理并按时报送') && !t.includes('已记为整改进展') && !t.includes('已销号'))(document.querySelector('#messages').textContent)`)
	p.shot("reset")

	p.noPageErrors()
}

// ---- the browser --------------------------------------------------------

// stepTimeout bounds every wait and action of the story.
const stepTimeout = 20 * time.Second

type page struct {
	t    *testing.T
	ctx  context.Context // the browser's tab
	dir  string
	n    int
	mu   sync.Mutex
	errs []string
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RECTIBOT_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openBrowser starts headless Chromium with a fresh profile and a 1280×800
// window, and records what the page reports as errors.
func openBrowser(t *testing.T, chrome, shots string) *page {
	t.Helper()
	bctx := browsertest.Tab(t, chrome, 1280, 800)

	p := &page{t: t, ctx: bctx, dir: shots}
	// The first use starts Chromium, on the tab's own context: a timeout
	// context here would end the browser with it.
	err := chromedp.Listen(bctx, func(ev any) {
		msg := browsertest.PageError(ev)
		if msg != "" {
			p.mu.Lock()
			p.errs = append(p.errs, msg)
			p.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	p.do("the viewport", chromedp.EmulateViewport(1280, 800))
	return p
}

// do performs actions within stepTimeout, saving a screenshot when they fail.
func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail(what, err)
	}
}

func (p *page) fail(what string, err error) {
	p.t.Helper()
	p.failShot(what)
	p.noPageErrors()
	p.t.Fatalf("%s: %v", what, err)
}

// click clicks the element css selects, once it is visible. The page
// redraws a chat when its messages change; a node replaced between the
// query and the click is looked up again.
func (p *page) click(what, css string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	for {
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css)))
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "node with given id") || ctx.Err() != nil {
			p.fail(what, err)
		}
	}
}

// get runs an action that has a value, within stepTimeout.
func get[T any](p *page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.fail(what, err)
	}
	return v
}

// poll waits until expr is truthy in the page, and returns its value.
func poll[T any](p *page, what, expr string) T {
	p.t.Helper()
	return get(p, "waiting for "+what, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)))
}

func eval[T any](p *page, expr string) T {
	p.t.Helper()
	return get(p, "evaluating "+firstLine(expr), chromedp.Evaluate[T](expr))
}

func (p *page) waitJS(what, expr string) {
	p.t.Helper()
	poll[bool](p, what, "!!("+expr+")")
}

func (p *page) waitText(sel, text string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf("%s to show %q", sel, text), fmt.Sprintf(`(document.querySelector(%q) || {textContent: ''}).textContent.includes(%q)`, sel, text))
}

func (p *page) waitToast(text string) {
	p.t.Helper()
	p.waitJS("a toast with "+text, fmt.Sprintf(`document.querySelector('#toasts').textContent.includes(%q)`, text))
}

func msgSel(id int) string { return fmt.Sprintf(`#messages .msg-row[data-id="%d"]`, id) }

// findJS is the id of the newest message in the open chat from from (any
// sender when empty), newer than after, not deleted, whose text holds text;
// 0 if there is none.
func findJS(from string, after int, text string) string {
	return fmt.Sprintf(`(() => {
		const rows = [...document.querySelectorAll('#messages .msg-row')].reverse();
		for (const r of rows) {
			if (+r.dataset.id <= %d) continue;
			if (%q && r.dataset.from !== %q) continue;
			if (r.querySelector('.bubble.deleted')) continue;
			if (!(r.querySelector('.msg-text') || {textContent: ''}).textContent.includes(%q)) continue;
			return +r.dataset.id;
		}
		return 0;
	})()`, after, from, from, text)
}

func (p *page) waitMessage(what, from, text string) int {
	p.t.Helper()
	return p.waitMessageAfter(what, from, 0, text)
}

func (p *page) waitMessageAfter(what, from string, after int, text string) int {
	p.t.Helper()
	return poll[int](p, what, findJS(from, after, text))
}

// lastID is the newest message id in the open chat.
func (p *page) lastID() int {
	p.t.Helper()
	return eval[int](p, `Math.max(0, ...[...document.querySelectorAll('#messages .msg-row')].map(r => +r.dataset.id))`)
}

// textOf is the text of sel inside message id (in the whole page for 0).
func (p *page) textOf(id int, sel string) string {
	p.t.Helper()
	scope := "document"
	if id != 0 {
		scope = fmt.Sprintf("document.querySelector(%q)", msgSel(id))
	}
	return eval[string](p, fmt.Sprintf(`(() => { const s = %s; const e = s && s.querySelector(%q); return e ? e.textContent : ''; })()`, scope, sel))
}

// boldIn is the first bold text of a message: the task code, in the bot's
// task labels.
func (p *page) boldIn(id int) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`(() => { const b = document.querySelector(%q); return b ? b.textContent.trim() : ''; })()`,
		msgSel(id)+" .msg-text b, "+msgSel(id)+" .msg-text strong"))
}

func buttonsJS(id int) string {
	return fmt.Sprintf(`[...document.querySelectorAll(%q)]`, msgSel(id)+" .kb-btn")
}

func (p *page) hasButton(id int, text string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`%s.some(b => b.textContent.includes(%q))`, buttonsJS(id), text))
}

func (p *page) firstButton(id int) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`(%s[0] || {textContent: ''}).textContent`, buttonsJS(id)))
}

// press clicks the inline button of message id whose label holds text,
// once it is there. The selector names the button by its message and its
// callback data, which stay the same when a poll redraws the chat.
func (p *page) press(id int, text string) {
	p.t.Helper()
	css := poll[string](p, fmt.Sprintf("button %q on message %d", text, id), fmt.Sprintf(`(() => {
		const b = %s.find(b => b.textContent.includes(%q) && !b.disabled);
		return b ? %q + ' .kb-btn[data-data="' + CSS.escape(b.dataset.data) + '"]' : '';
	})()`, buttonsJS(id), text, msgSel(id)))
	p.click(fmt.Sprintf("pressing %q", text), css)
}

// say types text into the composer and sends it.
func (p *page) say(text string) {
	p.t.Helper()
	p.waitJS("an empty composer", `document.querySelector('#composer-input').value === ''`)
	p.do("typing "+text,
		chromedp.SendKeys(chromedp.CSS("#composer-input"), text),
		chromedp.Click(chromedp.CSS("#send-btn")),
	)
	p.waitJS("the composer to empty", `document.querySelector('#composer-input').value === ''`)
}

// shot saves the viewport as NN-name.png.
func (p *page) shot(name string) {
	p.t.Helper()
	p.n++
	buf := get(p, "screenshot "+name, chromedp.CaptureScreenshot())
	path := filepath.Join(p.dir, fmt.Sprintf("%02d-%s.png", p.n, name))
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot %s", path)
}

func (p *page) failShot(what string) {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return
	}
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == '"' || r == '\'' {
			return '-'
		}
		return r
	}, what)
	path := filepath.Join(p.dir, "FAILED-"+name+".png")
	if os.WriteFile(path, buf, 0o644) == nil {
		p.t.Logf("screenshot at the failure: %s", path)
	}
}

// checkSanitizer feeds the page's whitelist sanitizer what the bot never
// sends: scripts, event handlers, javascript: links, foreign attributes.
func (p *page) checkSanitizer() {
	p.t.Helper()
	in := `<b>粗</b><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">坏链接</a>` +
		`<a href="https://example.org/a" onclick="x()" style="color:red">好链接</a><a href="tg://user?id=1">tg</a>` +
		`<span class="tg-spoiler" onclick="x()">隐</span><span style="x">普通</span><tg-spoiler>藏</tg-spoiler>` +
		`<pre><code class="language-go">x &lt; y</code></pre><blockquote expandable>引</blockquote><u>下</u><iframe src="https://example.org"></iframe>` +
		`<svg><a href="https://example.org">s</a></svg><i title="t">斜</i>`
	want := `<b>粗</b><a>坏链接</a><a href="https://example.org/a" target="_blank" rel="noopener noreferrer">好链接</a>` +
		`<a href="tg://user?id=1" target="_blank" rel="noopener noreferrer">tg</a><span class="tg-spoiler">隐</span>普通<span class="tg-spoiler">藏</span>` +
		`<pre><code>x &lt; y</code></pre><blockquote>引</blockquote><u>下</u><i>斜</i>`
	js, _ := json.Marshal(in)
	if got := eval[string](p, fmt.Sprintf(`window.rectibotSandbox.sanitizeHTML(%s)`, js)); got != want {
		p.t.Errorf("the sanitizer gave\n%s\nwant\n%s", got, want)
	}
}

func (p *page) noPageErrors() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.errs {
		p.t.Errorf("the page reported %s", e)
	}
	p.errs = nil
}

// writePNG is a small photo of "evidence" to upload.
func writePNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			c := color.RGBA{0x9c, 0xc3, 0xe6, 0xff}
			if x > 16 && x < 48 && y > 12 && y < 36 {
				c = color.RGBA{0x5c, 0xb8, 0x5c, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "整改照片.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
