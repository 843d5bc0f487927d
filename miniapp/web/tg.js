// Telegram's side of the page without telegram-web-app.js (no CDN): the
// launch parameters from the URL, the theme, and the documented web events
// (https://core.telegram.org/api/web-events).

const storeKey = 'rectibot.launch';
const listeners = {}; // event type → [fn]

function parseParams(s) {
  const out = {};
  for (const [k, v] of new URLSearchParams(s)) out[k] = v;
  return out;
}

// readLaunch takes tgWebApp* from the hash (and the query), keeps them in
// sessionStorage so a reload or hash routing still has them, and puts a
// route back in the hash. Returns {initData, theme, version, startParam, route}.
function readLaunch() {
  let hash = location.hash.replace(/^#/, '');
  let route = '';
  const q = hash.indexOf('?');
  if (hash.startsWith('/') && q >= 0) {
    route = hash.slice(0, q);
    hash = hash.slice(q + 1);
  } else if (hash.startsWith('/')) {
    route = hash;
    hash = '';
  }
  const p = Object.assign(parseParams(location.search.slice(1)), hash.includes('tgWebApp') ? parseParams(hash) : {});
  let stored = {};
  try {
    stored = JSON.parse(sessionStorage.getItem(storeKey) || '{}') || {};
  } catch {
    stored = {};
  }
  const launch = {
    initData: p.tgWebAppData || stored.initData || '',
    themeRaw: p.tgWebAppThemeParams || stored.themeRaw || '',
    version: p.tgWebAppVersion || stored.version || '',
    startParam: p.tgWebAppStartParam || '',
  };
  const wa = window.Telegram && window.Telegram.WebApp;
  if (wa && wa.initData) launch.initData = wa.initData;
  try {
    sessionStorage.setItem(storeKey, JSON.stringify({ initData: launch.initData, themeRaw: launch.themeRaw, version: launch.version }));
  } catch {
    // private mode: the hash still works until the first navigation
  }
  if (hash.includes('tgWebApp')) {
    if (!route) route = routeFromStart(launch.startParam || userField(launch.initData, 'start_param'));
    history.replaceState(null, '', location.pathname + location.search + '#' + (route || '/'));
  }
  return launch;
}

// routeFromStart maps a start parameter (t.me/bot/app?startapp=task_17) to a route.
function routeFromStart(sp) {
  if (!sp) return '';
  const m = /^task[_-](\d+)$/.exec(sp);
  if (m) return '/task/' + m[1];
  return ['overdue', 'departments', 'trends'].includes(sp) ? '/' + sp : '';
}

function userField(initData, key) {
  try {
    return new URLSearchParams(initData).get(key) || '';
  } catch {
    return '';
  }
}

// userLanguage is Telegram's language_code of the person, unsigned but good
// enough to choose the words shown before the summary arrives.
export function userLanguage(initData) {
  try {
    const u = JSON.parse(userField(initData, 'user') || '{}');
    return u.language_code || '';
  } catch {
    return '';
  }
}

const themeVars = {
  bg_color: '--bg',
  secondary_bg_color: '--bg2',
  section_bg_color: '--section',
  text_color: '--text',
  hint_color: '--hint',
  subtitle_text_color: '--subtle',
  link_color: '--link',
  accent_text_color: '--accent',
  button_color: '--btn',
  button_text_color: '--btn-text',
  destructive_text_color: '--danger',
  section_header_text_color: '--section-head',
  section_separator_color: '--sep',
};

function luminance(hex) {
  let c = hex.replace('#', '');
  if (c.length === 3) c = c.replace(/./g, (x) => x + x);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(c.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
let themed = false;

// applyTheme puts Telegram's colours in CSS variables; with none, the
// device's light/dark preference decides.
export function applyTheme(params) {
  const root = document.documentElement;
  themed = false;
  for (const [key, v] of Object.entries(themeVars)) {
    const c = params && params[key];
    if (typeof c === 'string' && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(c)) {
      root.style.setProperty(v, c);
      themed = true;
    } else {
      root.style.removeProperty(v);
    }
  }
  const bg = params && params.bg_color;
  let dark;
  if (themed && typeof bg === 'string' && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(bg)) dark = luminance(bg) < 0.5;
  else dark = !!(media && media.matches);
  root.dataset.scheme = dark ? 'dark' : 'light';
  root.dataset.themed = themed ? 'telegram' : 'device';
  emit('scheme', null);
}

if (media && media.addEventListener) {
  media.addEventListener('change', () => {
    if (!themed) applyTheme(null);
  });
}

function isIframe() {
  try {
    return window.parent != null && window !== window.parent;
  } catch {
    return true;
  }
}

// postEvent sends a web event to the Telegram app by whichever way it listens.
export function postEvent(type, data) {
  const payload = data || {};
  try {
    if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
      window.TelegramWebviewProxy.postEvent(type, JSON.stringify(payload));
    } else if (window.external && 'notify' in window.external) {
      window.external.notify(JSON.stringify({ eventType: type, eventData: payload }));
    } else if (isIframe()) {
      window.parent.postMessage(JSON.stringify({ eventType: type, eventData: payload }), '*');
    }
  } catch {
    // outside Telegram (a plain browser) nobody listens: nothing to do
  }
}

export function on(type, fn) {
  (listeners[type] = listeners[type] || []).push(fn);
}

function emit(type, data) {
  for (const fn of listeners[type] || []) {
    try {
      fn(data);
    } catch {
      // a listener's failure must not stop the others
    }
  }
}

function receiveEvent(type, data) {
  if (type === 'theme_changed' && data && data.theme_params) {
    applyTheme(data.theme_params);
    try {
      const s = JSON.parse(sessionStorage.getItem(storeKey) || '{}');
      s.themeRaw = JSON.stringify(data.theme_params);
      sessionStorage.setItem(storeKey, JSON.stringify(s));
    } catch {
      // the theme still applies to this page
    }
  }
  emit(type, data);
}

function listen() {
  const wa = window.Telegram && window.Telegram.WebApp;
  if (wa && wa.onEvent) {
    // telegram-web-app.js is there after all (an embedding we do not control):
    // it owns receiveEvent, so listen through it.
    wa.onEvent('themeChanged', () => applyTheme(wa.themeParams));
    wa.onEvent('backButtonClicked', () => emit('back_button_pressed', null));
    return;
  }
  window.Telegram = window.Telegram || {};
  window.Telegram.WebView = window.Telegram.WebView || {};
  window.Telegram.WebView.receiveEvent = receiveEvent; // iOS and Android
  window.TelegramGameProxy = window.TelegramGameProxy || {};
  window.TelegramGameProxy.receiveEvent = receiveEvent; // Desktop
  window.TelegramGameProxy_receiveEvent = receiveEvent; // Windows Phone
  if (isIframe()) {
    window.addEventListener('message', (ev) => {
      if (ev.source !== window.parent || typeof ev.data !== 'string') return;
      let m;
      try {
        m = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (!m || typeof m.eventType !== 'string') return;
      if (m.eventType === 'reload_iframe') {
        postEvent('iframe_will_reload', {});
        location.reload();
        return;
      }
      receiveEvent(m.eventType, m.eventData);
    });
    postEvent('iframe_ready', { reload_supported: true });
  }
}

// start reads the launch, applies the theme and starts listening. Call once.
let launchVersion = '';

// hasBackButton reports whether the client shows Telegram's own back button
// (Bot API 6.1 and later): then the page draws none of its own.
export function hasBackButton() {
  const [major, minor] = launchVersion.split('.').map((x) => parseInt(x, 10) || 0);
  return major > 6 || (major === 6 && minor >= 1);
}

export function start() {
  const launch = readLaunch();
  launchVersion = launch.version || '';
  let theme = null;
  const wa = window.Telegram && window.Telegram.WebApp;
  if (wa && wa.themeParams && Object.keys(wa.themeParams).length) theme = wa.themeParams;
  else if (launch.themeRaw) {
    try {
      theme = JSON.parse(launch.themeRaw);
    } catch {
      theme = null;
    }
  }
  applyTheme(theme);
  listen();
  return launch;
}

// ready tells Telegram the page is drawn (it hides its placeholder) and asks
// for the full height: a dashboard needs the room.
export function ready() {
  postEvent('web_app_ready', {});
  postEvent('web_app_expand', {});
}

// backButton shows or hides Telegram's own back button in the header.
export function backButton(visible) {
  postEvent('web_app_setup_back_button', { is_visible: !!visible });
}

export function isDark() {
  return document.documentElement.dataset.scheme === 'dark';
}
