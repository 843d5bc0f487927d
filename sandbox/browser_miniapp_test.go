package sandbox_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rectibot/rectibot/internal/browsertest"
)

// TestBrowserMiniApp is the "done means" for the Mini App, in
// headless Chromium through the sandbox's page: 周杰 has reported 立行立改四
// (late) done with a photo, after a PDF; leader1 sends /digest, presses
// 「📊 整改看板」, and the Mini App opens in its panel at 390 px. She sees
// her departments' lights, their ranking, the trends and the overdue list,
// opens 立行立改四, sees 周杰's photo (fetched through /app/api/evidence),
// sends his PDF to her chat, and approves its closure after the page's
// confirmation; 周杰's chat then
// shows 已销号. Each view is shot in light and dark (mini-<view>-<theme>.png);
// a forged initData gets 401; no JS error in the page or the frame.
func TestBrowserMiniApp(t *testing.T) {
	chrome := browsertest.Chromium(t)
	shots := screenshotDir(t)
	_, c := startSandbox(t, friday, t.TempDir())
	recordFile(t, c, "验收报告", "验收报告.pdf", "application/pdf", acceptancePDF)
	askClosureWithPhoto(t, c, sitePhoto(t))

	// What the Mini App must show leader1, from its API.
	_, launch := c.miniApp("leader1", "light")
	initData := launch.Get("tgWebAppData")
	var sum miniSummary
	c.tmaJSON(http.MethodGet, "/app/api/summary", initData, nil, &sum)
	var deps struct{ Departments []struct{ Name string } }
	c.tmaJSON(http.MethodGet, "/app/api/departments", initData, nil, &deps)
	if len(deps.Departments) < 2 {
		t.Fatalf("leader1 leads %d departments, want 周杰's and 黄敏's: %+v", len(deps.Departments), deps)
	}
	taskID := overdueTask(t, c, initData, "立行立改四")

	p := openBrowser(t, chrome, shots)
	p.do("a desktop window", chromedp.EmulateViewport(1280, 1000))
	p.do("open the page as leader1", chromedp.Navigate(c.url+"/#p=leader1&c="+fmt.Sprint(apiLeader1)))
	p.waitJS("leader1 active", `(document.querySelector('.persona.active') || {dataset: {}}).dataset.persona === 'leader1'`)

	// The bot's menu button is the Mini App, beside the input.
	p.waitJS("the menu button 整改看板", `(b => b && !b.hidden && b.textContent === '整改看板')(document.querySelector('#menu-app-btn'))`)
	last := p.lastID()
	p.say("/digest")
	digest := poll[int](p, "the digest's 整改看板 button", fmt.Sprintf(`(() => {
		for (const r of [...document.querySelectorAll('#messages .msg-row[data-from="bot"]')].reverse())
			if (+r.dataset.id > %d && [...r.querySelectorAll('.kb-webapp')].some(b => b.textContent.includes(%q))) return +r.dataset.id;
		return 0; })()`, last, dashboardButton))
	p.shot("digest-dashboard-button")
	p.click("press 整改看板", msgSel(digest)+" .kb-webapp")

	m := &mini{page: p}
	p.waitJS("the Mini App panel", `!document.querySelector('#miniapp').hidden && document.querySelector('#miniapp-title').textContent === '整改看板'`)
	if w := eval[int](p, `document.querySelector('#miniapp-frame').clientWidth`); w != 390 {
		t.Errorf("the Mini App's frame is %d px wide, want 390", w)
	}
	first := eval[string](p, `window.rectibotMiniApp.theme()`)
	second := map[string]string{"light": "dark", "dark": "light"}[first]

	// Every view in the first theme, then in the second; the task last.
	task := fmt.Sprintf("#/task/%d", taskID)
	m.views(first, sum, deps.Departments)
	m.tab("the overdue list", "/overdue")
	m.waitIn("立行立改四 listed", fmt.Sprintf(`d.querySelector('a.task-link[href=%q]')`, task))
	m.click("open 立行立改四", fmt.Sprintf(`a.task-link[href=%q]`, task))
	m.taskPage(first)

	// 周杰's PDF: 发到与助手的对话 sends it to leader1's chat, where
	// Telegram's viewer opens it (a phone's webview drops downloads).
	m.waitIn("周杰's PDF", `(c => c && c.textContent.includes('验收报告.pdf') && c.parentElement.querySelector('.file-save'))(d.querySelector('.file .file-chip'))`)
	before := len(c.messages(apiLeader1))
	m.click("发到与助手的对话", `.file .file-chip`)
	m.waitIn("the toast", `d.querySelector('#toast').textContent.includes('已发送到您与助手的对话')`)
	eval[bool](m.page, in(`(d.querySelector('.file').scrollIntoView({block: 'center'}), true)`))
	m.shot("document-sent", first)
	if ms := c.messages(apiLeader1); len(ms) != before+1 || ms[len(ms)-1].Document == nil || ms[len(ms)-1].Document.Name != "验收报告.pdf" {
		t.Errorf("leader1's chat after 发到与助手的对话: %d new messages, want 验收报告.pdf", len(ms)-before)
	}

	p.click("switch the theme", "#miniapp-theme")
	m.scheme(second)
	m.taskPage(second)
	m.views(second, sum, deps.Departments)
	m.narrow(second, task)
	m.tab("the overdue list", "/overdue")
	m.click("open 立行立改四", fmt.Sprintf(`a.task-link[href=%q]`, task))
	m.waitIn("the closure decision", `d.querySelector('.card.decide .btn.primary')`)

	// 同意销号 asks first, in the page's own dialog; confirming approves.
	m.click("同意销号", `.card.decide .btn.primary`)
	m.waitIn("the confirmation", `d.querySelector('#dialog').open && d.querySelector('#dialog').textContent.includes('确认同意销号')`)
	m.shot("confirm", second)
	m.click("confirm", `#dialog .dialog-buttons .btn.primary`)
	m.waitIn("approved", `!d.querySelector('.card.decide') && d.querySelector('.task-head').textContent.includes('已销号')`)
	m.waitIn("the toast", `d.querySelector('#toast').textContent.includes('已同意销号')`)
	m.shot("approved", second)

	// initData with another user's id under leader1's signature: 401.
	status := get(p, "a forged initData", chromedp.Evaluate[[]int](`(async () => {
		const w = document.querySelector('#miniapp-frame').contentWindow;
		const raw = JSON.parse(w.sessionStorage.getItem('rectibot.launch')).initData;
		const v = new URLSearchParams(raw);
		const u = JSON.parse(v.get('user')); u.id = `+fmt.Sprint(apiLeader2)+`; v.set('user', JSON.stringify(u));
		const call = (data) => w.fetch('/app/api/summary', {headers: {Authorization: 'tma ' + data}}).then(r => r.status);
		return [await call(raw), await call(v.toString())];
	})()`, chromedp.EvalAwaitPromise))
	if len(status) != 2 || status[0] != http.StatusOK || status[1] != http.StatusUnauthorized {
		t.Errorf("the summary with leader1's initData and a forged one: %v, want [200 401]", status)
	}

	// 周杰 is told in his chat.
	p.click("close the Mini App", "#miniapp-close")
	p.waitJS("the panel closed", `document.querySelector('#miniapp').hidden`)
	p.click("周杰's tab", `[data-persona="officer1"]`)
	p.waitJS("周杰's private chat", `(document.querySelector('.chat-item.active') || {dataset: {}}).dataset.chatKind === 'private' && document.querySelector('.persona.active').dataset.persona === 'officer1'`)
	closed := p.waitMessage("立行立改四 已销号 in 周杰's chat", "bot", "已销号")
	if got := p.textOf(closed, ".msg-text"); !strings.Contains(got, "立行立改四") {
		t.Errorf("周杰's 已销号 message: %q", got)
	}
	p.shot("officer-told-closed")

	// The menu button is a private chat's: none in the group.
	p.click("the group", `.chat-item[data-chat-kind="group"]`)
	p.waitText("#chat-title", "整改工作群")
	p.waitJS("no menu button in the group", `document.querySelector('#menu-app-btn').hidden`)
	p.noPageErrors()
}

// mini drives the Mini App inside its frame on the sandbox's page.
type mini struct{ *page }

// in is expr evaluated with d the Mini App's document (null while there
// is none).
func in(expr string) string {
	return `(() => { const f = document.querySelector('#miniapp-frame'); const d = f && f.contentDocument;
		if (!d || !d.body) return null; return (` + expr + `); })()`
}

func (m *mini) waitIn(what, expr string) {
	m.t.Helper()
	m.waitJS(what, in(expr))
}

// click clicks the element css selects in the Mini App, with the mouse
// (the frame's offset added), once it is there and enabled.
func (m *mini) click(what, css string) {
	m.t.Helper()
	xy := poll[[]float64](m.page, what, in(fmt.Sprintf(`(() => {
		const e = d.querySelector(%q);
		if (!e || e.disabled) return null;
		e.scrollIntoView({block: 'center'});
		const r = e.getBoundingClientRect(), f = document.querySelector('#miniapp-frame').getBoundingClientRect();
		if (r.width === 0 || r.height === 0) return null;
		return [f.left + r.left + r.width / 2, f.top + r.top + r.height / 2];
	})()`, css)))
	m.do(what, chromedp.MouseClickXY(xy[0], xy[1]))
}

// tab opens one of the Mini App's tabs and waits for its view.
func (m *mini) tab(what, route string) {
	m.t.Helper()
	m.click(what, fmt.Sprintf(`.tabs a[data-route=%q]`, route))
	m.waitIn(what, fmt.Sprintf(`(a => a && a.getAttribute('aria-current') === 'page')(d.querySelector('.tabs a[data-route=%q]')) && !d.querySelector('#view[aria-busy="true"]')`, route))
}

func (m *mini) scheme(theme string) {
	m.t.Helper()
	m.waitIn("the "+theme+" theme", fmt.Sprintf(`d.documentElement.dataset.scheme === %q`, theme))
}

// views shoots the four tabs in theme, checking what each shows.
func (m *mini) views(theme string, sum miniSummary, deps []struct{ Name string }) {
	m.t.Helper()
	m.tab("the overview", "/")
	m.scheme(theme)
	m.waitIn("the lights", `d.querySelector('.light-tile.red .big')`)
	red := eval[string](m.page, in(`d.querySelector('.light-tile.red .big').textContent`))
	scope := eval[string](m.page, in(`(d.querySelector('.scope') || {}).textContent || ''`))
	if red != fmt.Sprint(sum.Lights.Red) || sum.Lights.Red == 0 {
		m.t.Errorf("%s: the overview shows %s red, the summary says %d", theme, red, sum.Lights.Red)
	}
	for _, d := range deps {
		if !strings.Contains(scope, d.Name) {
			m.t.Errorf("%s: the overview's scope %q lacks %s", theme, scope, d.Name)
		}
	}
	m.shot("overview", theme)

	m.tab("the departments", "/departments")
	m.waitIn("the ranking", `d.querySelectorAll('.rank-list .rank-row').length > 0`)
	got := eval[[]string](m.page, in(`[...d.querySelectorAll('.rank-list .rank-row .name')].map(e => e.textContent)`))
	var want []string
	for _, d := range deps {
		want = append(want, d.Name)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		m.t.Errorf("%s: the ranking shows %v, want %v (worst first)", theme, got, want)
	}
	if !eval[bool](m.page, in(`!!d.querySelector('.rank-list .rank-row:first-child .light.red')`)) {
		m.t.Errorf("%s: the first of the ranking is not red", theme)
	}
	m.shot("departments", theme)

	m.tab("the trends", "/trends")
	m.waitIn("the charts", `d.querySelectorAll('canvas').length >= 2`)
	m.shot("trends", theme)

	m.tab("the overdue list", "/overdue")
	m.waitIn("the overdue tasks", `d.querySelector('a.task-link')`)
	m.shot("overdue", theme)
}

// taskPage checks 立行立改四's page in theme: 周杰's photo, loaded through
// the API as a blob, and the decision; shot with the photo in view.
func (m *mini) taskPage(theme string) {
	m.t.Helper()
	m.scheme(theme)
	m.waitIn("周杰's photo", `(i => i && i.complete && i.naturalWidth === 320 && i.src.startsWith('blob:'))(d.querySelector('.thumbs .thumb img'))`)
	m.waitIn("the closure decision", `d.querySelector('.card.decide .btn.primary')`)
	fetched := eval[bool](m.page, in(`performance.getEntriesByType.call(f.contentWindow.performance, 'resource').some(e => e.name.includes('/app/api/evidence/'))`))
	if !fetched {
		m.t.Errorf("%s: the photo was not fetched through /app/api/evidence", theme)
	}
	eval[bool](m.page, in(`(d.querySelector('.thumbs .thumb').scrollIntoView({block: 'center'}), true)`))
	m.shot("task", theme)
}

// narrow checks the Mini App is usable 360 px wide (the narrowest phones
// Telegram runs on): on every view and the task page nothing is wider than
// the frame; the overview and the task are shot so (mini-<view>-360-<theme>.png).
func (m *mini) narrow(theme, task string) {
	m.t.Helper()
	width := func(px int) {
		eval[bool](m.page, fmt.Sprintf(`(document.querySelector('.miniapp-panel').style.width = '%dpx', true)`, px))
		m.waitIn(fmt.Sprintf("a %d px frame", px), fmt.Sprintf(`d.documentElement.clientWidth === %d`, px))
	}
	fits := func(view string) {
		if w := eval[int](m.page, in(`d.documentElement.scrollWidth`)); w > 360 {
			m.t.Errorf("%s in %s: %d px wide in a 360 px frame", view, theme, w)
		}
	}
	width(360)
	defer width(390)
	m.tab("the overview", "/")
	m.waitIn("the lights", `d.querySelector('.light-tile.red .big')`)
	fits("the overview")
	m.shot("overview-360", theme)
	for _, v := range []struct{ what, route, ready string }{
		{"the departments", "/departments", `d.querySelectorAll('.rank-list .rank-row').length > 0`},
		{"the trends", "/trends", `d.querySelectorAll('canvas').length >= 2`},
		{"the overdue list", "/overdue", `d.querySelector('a.task-link')`},
	} {
		m.tab(v.what, v.route)
		m.waitIn(v.what, v.ready)
		fits(v.what)
	}
	m.click("open 立行立改四", fmt.Sprintf(`a.task-link[href=%q]`, task))
	m.waitIn("the task page", `d.querySelector('.file .file-chip') && d.querySelector('.thumbs .thumb img')`)
	fits("the task page")
	eval[bool](m.page, in(`(d.querySelector('.file').scrollIntoView({block: 'center'}), true)`))
	m.shot("task-360", theme)
}

// shot saves the Mini App's panel (its header and the frame, 390 px wide)
// as mini-<view>-<theme>.png, after checking nothing is wider than it.
func (m *mini) shot(view, theme string) {
	m.t.Helper()
	if w := eval[int](m.page, in(`d.documentElement.scrollWidth`)); w > 390 {
		m.t.Errorf("%s in %s: the Mini App is %d px wide in a 390 px frame", view, theme, w)
	}
	buf := get(m.page, "screenshot "+view, chromedp.Screenshot(chromedp.CSS(".miniapp-panel")))
	path := filepath.Join(m.dir, "mini-"+view+"-"+theme+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		m.t.Fatal(err)
	}
	m.t.Logf("screenshot %s", path)
}

// sitePhoto is a 320×240 PNG of "the site": sky, a building with its
// windows, the ground, so a screenshot shows which picture it is.
func sitePhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			c := color.RGBA{0x8e, 0xc5, 0xf0, 0xff} // sky
			switch {
			case y >= 190:
				c = color.RGBA{0x6d, 0xa0, 0x4f, 0xff} // ground
			case x >= 90 && x < 230 && y >= 70:
				c = color.RGBA{0xd9, 0xc7, 0xa8, 0xff} // the building
				if (x-100)%30 < 16 && (y-80)%28 < 16 && y < 176 {
					c = color.RGBA{0x3f, 0x6a, 0x8e, 0xff} // a window
				}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
