// The Mini App panel of the sandbox page: the bot's 整改看板 dashboard
// (served by the bot at /app/, passed through by the sandbox) in a frame
// the size of a phone, launched as Telegram launches a Mini App — the
// address from GET /api/miniapp carries initData signed by the sandbox's
// emulator — and answered as Telegram's web client answers a Mini App's
// web events (https://core.telegram.org/api/web-events). app.js opens it
// from a 整改看板 button; it knows nothing else of the page.
(function () {
  'use strict';

  var M = {
    persona: '',
    name: '',
    theme: '',   // light or dark; '' until first opened: the device's
    open: false,
    seq: 0,      // the latest launch: an older answer is dropped
    colours: {}  // the theme's parameters, as the launch passed them
  };

  function $(id) { return document.getElementById(id); }
  function frame() { return $('miniapp-frame'); }

  function deviceTheme() {
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  // launchURL asks the sandbox how to open the Mini App as the persona now.
  function launchURL(persona, theme) {
    var q = '/api/miniapp?persona=' + encodeURIComponent(persona) + '&theme=' + encodeURIComponent(theme);
    return fetch(q, { cache: 'no-store' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) {
        if (!r.ok || !d.url) throw new Error((d && d.error) || ('HTTP ' + r.status));
        return d.url;
      });
    });
  }

  // coloursOf reads the theme parameters out of a launch address.
  function coloursOf(url) {
    var i = url.indexOf('#');
    var p = new URLSearchParams(i >= 0 ? url.slice(i + 1) : '');
    try { return JSON.parse(p.get('tgWebAppThemeParams') || '{}') || {}; } catch (e) { return {}; }
  }

  // paint colours the panel's header as Telegram does, from the theme.
  function paint() {
    var c = M.colours;
    var panel = $('miniapp');
    panel.classList.toggle('dark', M.theme === 'dark');
    var head = $('miniapp-header');
    head.style.background = c.header_bg_color || c.bg_color || '';
    head.style.color = c.text_color || '';
    $('miniapp-sub').style.color = c.hint_color || '';
    frame().style.background = c.bg_color || '';
    var t = $('miniapp-theme');
    t.textContent = M.theme === 'dark' ? '☀' : '☾';
    t.title = M.theme === 'dark' ? '切换到浅色主题' : '切换到深色主题';
    t.setAttribute('aria-label', t.title);
  }

  function showState(text) {
    var s = $('miniapp-state');
    s.textContent = text || '';
    s.hidden = !text;
  }

  // launch loads the Mini App afresh: a new signature at the sandbox's time.
  function launch() {
    var my = ++M.seq;
    $('miniapp-back').hidden = true;
    showState('正在打开整改看板…');
    return launchURL(M.persona, M.theme).then(function (url) {
      if (my !== M.seq || !M.open) return;
      if (url.indexOf('/app/') !== 0) throw new Error('not the Mini App: ' + url); // only ever our own origin's /app/
      M.colours = coloursOf(url);
      paint();
      frame().src = url;
    }).catch(function (e) {
      if (my === M.seq) showState('无法打开整改看板：' + e.message);
    });
  }

  function open(persona, name) {
    M.persona = persona;
    M.name = name || persona;
    if (!M.theme) M.theme = deviceTheme();
    M.open = true;
    $('miniapp-sub').textContent = '小程序 · 以' + M.name + '的身份';
    $('miniapp').hidden = false;
    document.body.classList.add('miniapp-open');
    launch();
    $('miniapp-close').focus();
  }

  function close() {
    if (!M.open) return;
    M.open = false;
    M.seq++;
    frame().src = 'about:blank';
    $('miniapp').hidden = true;
    document.body.classList.remove('miniapp-open');
  }

  // post sends a web event to the Mini App, as Telegram's web client does.
  function post(type, data) {
    var w = frame().contentWindow;
    if (!w || !M.open) return;
    w.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }), location.origin);
  }

  // toggleTheme switches light and dark while the Mini App stays open:
  // Telegram tells it with theme_changed.
  function toggleTheme() {
    M.theme = M.theme === 'dark' ? 'light' : 'dark';
    var my = M.seq;
    launchURL(M.persona, M.theme).then(function (url) {
      if (my !== M.seq || !M.open) return;
      M.colours = coloursOf(url);
      paint();
      post('theme_changed', { theme_params: M.colours });
    }).catch(function (e) { showState('无法切换主题：' + e.message); });
  }

  function viewport() {
    return { height: frame().clientHeight, width: frame().clientWidth, is_expanded: true, is_state_stable: true };
  }

  // onEvent answers what the Mini App asks of Telegram; the rest (haptics,
  // header colours, the main button it does not use) is ignored, as a
  // client without the feature would.
  function onEvent(ev) {
    if (!M.open || ev.source !== frame().contentWindow || ev.origin !== location.origin || typeof ev.data !== 'string') return;
    var m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (!m || typeof m.eventType !== 'string') return;
    var d = m.eventData || {};
    switch (m.eventType) {
      case 'web_app_ready':
        showState('');
        break;
      case 'web_app_setup_back_button':
        $('miniapp-back').hidden = !d.is_visible;
        break;
      case 'web_app_close':
        close();
        break;
      case 'web_app_request_theme':
        post('theme_changed', { theme_params: M.colours });
        break;
      case 'web_app_expand':
      case 'web_app_request_viewport':
        post('viewport_changed', viewport());
        break;
      case 'web_app_open_link':
        openLink(d.url);
        break;
    }
  }

  function openLink(raw) {
    var u;
    try { u = new URL(String(raw || '')); } catch (e) { return; }
    if (u.protocol === 'https:' || u.protocol === 'http:') window.open(u.href, '_blank', 'noopener,noreferrer');
  }

  function wire() {
    $('miniapp-close').addEventListener('click', close);
    $('miniapp-back').addEventListener('click', function () { post('back_button_pressed', {}); });
    $('miniapp-theme').addEventListener('click', toggleTheme);
    $('miniapp').addEventListener('click', function (e) { if (e.target === $('miniapp')) close(); });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && M.open) close(); });
    frame().addEventListener('load', function () {
      // A page that never says it is ready (an error page) still shows.
      var my = M.seq;
      if (M.open) setTimeout(function () { if (my === M.seq) showState(''); }, 1500);
    });
    window.addEventListener('message', onEvent);
  }

  wire();

  window.rectibotMiniApp = {
    open: open,
    close: close,
    isOpen: function () { return M.open; },
    theme: function () { return M.theme; },
    // relaunch is the sandbox's clock moving or a reset: the signature of
    // the open Mini App is from another time, so it is opened afresh.
    relaunch: function () { if (M.open) launch(); }
  };
})();
