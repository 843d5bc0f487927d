// rectibot sandbox page: a Telegram-like client for each persona, driven by
// the sandbox's JSON API (/api/state, /api/chat, /api/send, /api/press,
// /api/upload, /api/clock, /api/reset); the Mini App in its panel is
// miniapp.js's (/api/miniapp). Plain JavaScript, no build step.
(function () {
  'use strict';

  var POLL_MS = 1500;
  var BOT_NAME = '整改督办助手';

  var S = {
    state: null,
    stateKey: '',
    persona: '',
    chatId: null,
    chats: {},        // chat id -> {messages, key}
    renderedKey: '',  // what the message pane shows now
    lastSeen: {},     // persona + ':' + chat id -> newest message id read
    replyTo: null,    // the message being replied to
    cmdOpen: false,
    inflight: null,
    again: false,
    connected: true,
    resetArmed: null
  };

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // ---- Telegram HTML: a whitelist sanitizer -------------------------------

  var HTML_NS = 'http://www.w3.org/1999/xhtml';
  var KEEP = { b: 1, strong: 1, i: 1, em: 1, u: 1, ins: 1, s: 1, strike: 1, del: 1, a: 1, code: 1, pre: 1, blockquote: 1, 'tg-spoiler': 1, span: 1 };
  var DROP = { script: 1, style: 1, iframe: 1, frame: 1, frameset: 1, object: 1, embed: 1, noscript: 1, noembed: 1, noframes: 1, template: 1, textarea: 1, select: 1, option: 1, title: 1, xmp: 1, plaintext: 1, img: 1, video: 1, audio: 1, source: 1, picture: 1, link: 1, meta: 1, base: 1, form: 1, input: 1, button: 1 };
  var SCHEMES = { 'http:': 1, 'https:': 1, 'tg:': 1 };

  function safeHref(raw) {
    if (!raw) return '';
    var u;
    try { u = new URL(raw.trim()); } catch (e) { return ''; }
    return SCHEMES[u.protocol] ? u.href : '';
  }

  function cleanChildren(src, dst) {
    for (var n = src.firstChild; n; n = n.nextSibling) cleanNode(n, dst);
  }

  function cleanNode(n, dst) {
    if (n.nodeType === 3) { dst.appendChild(document.createTextNode(n.nodeValue)); return; }
    if (n.nodeType !== 1) return; // comments, processing instructions
    if (n.namespaceURI !== HTML_NS) return; // svg, math: dropped with their content
    var tag = n.localName;
    if (DROP[tag]) return;
    if (!KEEP[tag]) { cleanChildren(n, dst); return; } // unknown tag: keep its text only
    var out;
    if (tag === 'span') {
      if (!n.classList.contains('tg-spoiler')) { cleanChildren(n, dst); return; }
      out = document.createElement('span');
      out.className = 'tg-spoiler';
    } else if (tag === 'tg-spoiler') {
      out = document.createElement('span');
      out.className = 'tg-spoiler';
    } else if (tag === 'a') {
      out = document.createElement('a');
      var href = safeHref(n.getAttribute('href'));
      if (href) {
        out.setAttribute('href', href);
        out.setAttribute('target', '_blank');
        out.setAttribute('rel', 'noopener noreferrer');
      }
    } else {
      out = document.createElement(tag); // no attributes copied
    }
    cleanChildren(n, out);
    dst.appendChild(out);
  }

  // sanitizeHTML parses Telegram HTML in an inert document and returns it
  // rebuilt from the whitelisted tags only, as markup for innerHTML.
  function sanitizeHTML(html) {
    var doc = new DOMParser().parseFromString('<!doctype html><html><head></head><body>' + (html || '') + '</body></html>', 'text/html');
    var box = document.createElement('div');
    cleanChildren(doc.body, box);
    // Around a block (quote, code block) Telegram shows no empty line for
    // the newline that separates it from the text.
    box.querySelectorAll('blockquote, pre').forEach(function (b) {
      var prev = b.previousSibling, next = b.nextSibling;
      if (prev && prev.nodeType === 3) prev.nodeValue = prev.nodeValue.replace(/\n$/, '');
      if (next && next.nodeType === 3) next.nodeValue = next.nodeValue.replace(/^\n/, '');
    });
    return box.innerHTML;
  }

  function plainText(html) {
    var doc = new DOMParser().parseFromString('<!doctype html><body>' + (html || ''), 'text/html');
    return (doc.body.textContent || '').replace(/\s+/g, ' ').trim();
  }

  // ---- API ----------------------------------------------------------------

  function api(method, path, body) {
    var opts = { method: method, headers: {} };
    if (body instanceof FormData) {
      opts.body = body;
    } else if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      return r.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : {}; } catch (e) { data = { error: t }; }
        if (!r.ok) throw new Error((data && data.error) || ('HTTP ' + r.status));
        return data;
      });
    });
  }

  // ---- helpers ------------------------------------------------------------

  function persona(key) {
    var ps = (S.state && S.state.personas) || [];
    for (var i = 0; i < ps.length; i++) if (ps[i].key === key) return ps[i];
    return null;
  }

  function chatInfo(id) {
    var cs = (S.state && S.state.chats) || [];
    for (var i = 0; i < cs.length; i++) if (String(cs[i].id) === String(id)) return cs[i];
    return null;
  }

  function chatsOf(key) {
    var cs = (S.state && S.state.chats) || [];
    var mine = cs.filter(function (c) { return c.kind !== 'group' && c.persona === key; });
    var groups = cs.filter(function (c) { return c.kind === 'group' && (!c.members || c.members.indexOf(key) >= 0); });
    return mine.concat(groups);
  }

  function chatViewer(c) { return c.kind === 'group' ? S.persona : c.persona; }

  function senderName(from) {
    if (from === 'bot') return BOT_NAME;
    var p = persona(from);
    return p ? p.name : from;
  }

  // at is RFC3339 in Asia/Shanghai: read the wall clock from the string
  // itself, whatever the browser's time zone.
  function hhmm(at) {
    var m = /T(\d\d):(\d\d)/.exec(at || '');
    return m ? m[1] + ':' + m[2] : '';
  }

  var WEEK = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
  function dayText(at) {
    var m = /^(\d{4})-(\d\d)-(\d\d)/.exec(at || '');
    if (!m) return '';
    var d = new Date(+m[1], +m[2] - 1, +m[3]);
    return (+m[2]) + '月' + (+m[3]) + '日 ' + WEEK[d.getDay()];
  }

  function shortAt(at) {
    var m = /^\d{4}-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(at || '');
    return m ? m[1] + '-' + m[2] + ' ' + m[3] + ':' + m[4] : (at || '');
  }

  function sizeText(n) {
    if (!n && n !== 0) return '';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }

  var PALETTE = ['#e17076', '#7bc862', '#65aadd', '#a695e7', '#ee7aae', '#6ec9cb', '#faa774'];
  function colorFor(key) {
    var h = 0;
    for (var i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }

  var ICONS = {
    photo: '<svg viewBox="0 0 24 24" width="34" height="34" aria-hidden="true"><rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/><circle cx="9" cy="10" r="1.8" fill="currentColor"/><path d="M4 17l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/></svg>',
    doc: '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M7 3h7l5 5v13H7z" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round"/><path d="M14 3v5h5" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round"/></svg>'
  };

  // icon returns a span holding one of the page's own fixed SVG icons.
  function icon(name, cls) {
    var s = el('span', cls);
    s.innerHTML = ICONS[name]; // constant markup, not message content
    return s;
  }

  function avatar(text, color, cls) {
    var a = el('span', 'avatar' + (cls ? ' ' + cls : ''), text);
    a.style.background = color;
    return a;
  }

  function messagePreview(m) {
    if (!m) return '';
    if (m.deleted) return '消息已删除';
    var t = plainText(m.html);
    if (m.photo) return '[照片]' + (t ? ' ' + t : '');
    if (m.document) return '[文件] ' + m.document.name + (t ? ' ' + t : '');
    return t;
  }

  function unread(key, c) {
    var data = S.chats[c.id];
    if (!data) return 0;
    var seen = S.lastSeen[key + ':' + c.id] || 0;
    var n = 0;
    data.messages.forEach(function (m) { if (m.id > seen && m.from !== key && !m.deleted) n++; });
    return n;
  }

  function markRead(key, chatId) {
    var data = S.chats[chatId];
    if (!data) return;
    var max = 0;
    data.messages.forEach(function (m) { if (m.id > max) max = m.id; });
    S.lastSeen[key + ':' + chatId] = max;
  }

  // ---- toasts -------------------------------------------------------------

  function toast(text, kind) {
    if (!text) return;
    var t = el('div', 'toast' + (kind ? ' toast-' + kind : ''), text);
    $('toasts').appendChild(t);
    setTimeout(function () { t.classList.add('toast-out'); }, kind === 'error' ? 5000 : 3200);
    setTimeout(function () { t.remove(); }, kind === 'error' ? 5600 : 3800);
  }

  // ---- refresh ------------------------------------------------------------

  function refresh() {
    if (S.inflight) { S.again = true; return S.inflight; }
    S.inflight = doRefresh().catch(function (e) {
      setConnected(false, e);
    }).then(function () {
      S.inflight = null;
      if (S.again) { S.again = false; return refresh(); }
    });
    return S.inflight;
  }

  function doRefresh() {
    return api('GET', '/api/state').then(function (st) {
      setConnected(true);
      S.state = st;
      pickDefaults();
      var cs = st.chats || [];
      return Promise.all(cs.map(function (c) {
        var viewer = chatViewer(c) || S.persona;
        return api('GET', '/api/chat?id=' + encodeURIComponent(c.id) + '&persona=' + encodeURIComponent(viewer))
          .then(function (d) {
            var msgs = (d && d.messages) || [];
            var max = 0;
            msgs.forEach(function (m) { if (m.id > max) max = m.id; });
            // After a reset the ids start over: forget what was read.
            Object.keys(S.lastSeen).forEach(function (k) {
              if (k.slice(k.indexOf(':') + 1) === String(c.id) && S.lastSeen[k] > max) S.lastSeen[k] = 0;
            });
            S.chats[c.id] = { messages: msgs, key: JSON.stringify(msgs) };
          });
      }));
    }).then(function () {
      render();
    });
  }

  function setConnected(ok, err) {
    if (S.connected === ok) return;
    S.connected = ok;
    document.body.classList.toggle('offline', !ok);
    if (!ok) $('now-text').textContent = '沙盒未连接' + (err ? '（' + err.message + '）' : '');
  }

  function pickDefaults() {
    var ps = S.state.personas || [];
    if (!persona(S.persona)) {
      var fromHash = /p=([\w-]+)/.exec(location.hash);
      S.persona = fromHash && persona(fromHash[1]) ? fromHash[1] : (ps[0] ? ps[0].key : '');
    }
    var mine = chatsOf(S.persona);
    var ok = mine.some(function (c) { return String(c.id) === String(S.chatId); });
    if (!ok) {
      var fromHashC = /c=(-?\d+)/.exec(location.hash);
      var want = fromHashC && mine.some(function (c) { return String(c.id) === fromHashC[1]; }) ? fromHashC[1] : null;
      S.chatId = want !== null ? want : (mine[0] ? String(mine[0].id) : null);
      S.renderedKey = '';
    }
  }

  // ---- render -------------------------------------------------------------

  function render() {
    var st = S.state;
    if (!st) return;
    var now = $('now-text');
    var text = st.nowText || st.now || '';
    if (now.textContent !== text) {
      var moved = S.shownNow !== undefined;
      now.textContent = text;
      S.shownNow = text;
      if (moved) { // the clock moved: let it catch the eye
        now.classList.remove('tick');
        void now.offsetWidth;
        now.classList.add('tick');
        // An open Mini App's signature is from another time.
        if (window.rectibotMiniApp) window.rectibotMiniApp.relaunch();
      }
    }
    renderPersonas();
    renderChatList();
    renderChat(false);
    renderPanel();
  }

  var sideKeys = {};
  // unchanged reports whether what a part of the page shows is the same as
  // last time, so that polling does not rebuild (and flicker) it.
  function unchanged(part, value) {
    var k = JSON.stringify(value);
    if (sideKeys[part] === k) return true;
    sideKeys[part] = k;
    return false;
  }

  function renderPersonas() {
    var ul = $('persona-list');
    var counts = (S.state.personas || []).map(function (p) {
      var n = 0;
      chatsOf(p.key).forEach(function (c) { if (!(p.key === S.persona && String(c.id) === String(S.chatId))) n += unread(p.key, c); });
      return n;
    });
    if (unchanged('personas', [S.state.personas, S.persona, counts])) return;
    ul.textContent = '';
    (S.state.personas || []).forEach(function (p, i) {
      var li = el('li');
      var b = el('button', 'persona' + (p.key === S.persona ? ' active' : ''));
      b.type = 'button';
      b.setAttribute('data-persona', p.key);
      b.appendChild(avatar(p.name.charAt(0), colorFor(p.key)));
      var txt = el('span', 'persona-text');
      txt.appendChild(el('span', 'persona-name', p.name));
      txt.appendChild(el('span', 'persona-role', p.roleText || p.role));
      b.appendChild(txt);
      var n = counts[i];
      if (n) b.appendChild(el('span', 'badge', String(n)));
      b.addEventListener('click', function () { selectPersona(p.key); });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  function chatTitle(c) { return c.kind === 'group' ? c.title : BOT_NAME; }

  function renderChatList() {
    var ul = $('chat-list');
    var mine = chatsOf(S.persona);
    if (unchanged('chats', [mine, S.persona, S.chatId, mine.map(function (c) {
      var d = S.chats[c.id];
      return [d ? d.key.length : 0, d && d.messages.length ? d.messages[d.messages.length - 1] : null, unread(S.persona, c)];
    })])) return;
    ul.textContent = '';
    mine.forEach(function (c) {
      var li = el('li');
      var b = el('button', 'chat-item' + (String(c.id) === String(S.chatId) ? ' active' : ''));
      b.type = 'button';
      b.setAttribute('data-chat-id', String(c.id));
      b.setAttribute('data-chat-kind', c.kind);
      b.appendChild(c.kind === 'group' ? avatar('群', '#5fbf7a') : avatar('助', '#3a8ee6'));
      var body = el('span', 'chat-item-body');
      var top = el('span', 'chat-item-top');
      top.appendChild(el('span', 'chat-item-title', chatTitle(c)));
      var data = S.chats[c.id];
      var last = data && data.messages.length ? data.messages[data.messages.length - 1] : null;
      top.appendChild(el('span', 'chat-item-time', last ? hhmm(last.at) : ''));
      body.appendChild(top);
      var bottom = el('span', 'chat-item-bottom');
      var prev = last ? messagePreview(last) : (c.kind === 'group' ? '群组' : '机器人');
      if (last && c.kind === 'group') prev = senderName(last.from) + '：' + prev;
      bottom.appendChild(el('span', 'chat-item-preview', prev));
      var n = String(c.id) === String(S.chatId) ? 0 : unread(S.persona, c);
      if (n) bottom.appendChild(el('span', 'badge', String(n)));
      body.appendChild(bottom);
      b.appendChild(body);
      b.addEventListener('click', function () { selectChat(String(c.id)); });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  function renderHeader(c) {
    var p = persona(S.persona);
    var av = $('chat-avatar');
    if (!c) {
      $('chat-title').textContent = '请选择会话';
      $('chat-subtitle').textContent = '';
      av.textContent = '?';
      return;
    }
    $('chat-title').textContent = chatTitle(c);
    av.textContent = c.kind === 'group' ? '群' : '助';
    av.style.background = c.kind === 'group' ? '#5fbf7a' : '#3a8ee6';
    $('chat-subtitle').textContent = c.kind === 'group'
      ? '群组 · ' + (c.members || S.state.personas || []).length + ' 名成员 + 机器人'
      : '机器人 · 与' + (p ? p.name : '') + '的私聊';
    $('chat-viewer').textContent = p ? '当前身份：' + p.name + '（' + (p.roleText || p.role) + '）' : '';
  }

  // renderMenuButton shows the bot's menu button beside a private chat's
  // input when it is the Mini App (setChatMenuButton), as Telegram does.
  function renderMenuButton(c) {
    var mb = S.state && S.state.menuButton;
    var b = $('menu-app-btn');
    var show = !!(c && c.kind === 'private' && mb && mb.type === 'web_app');
    b.hidden = !show;
    if (show && b.textContent !== (mb.text || '整改看板')) b.textContent = mb.text || '整改看板';
  }

  // openMiniApp opens the Mini App as the persona acting (miniapp.js).
  function openMiniApp() {
    var p = persona(S.persona);
    if (p && window.rectibotMiniApp) window.rectibotMiniApp.open(p.key, p.name);
  }

  function isAtBottom(box) {
    return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  }

  function renderChat(forceBottom) {
    var box = $('messages');
    var c = chatInfo(S.chatId);
    renderHeader(c);
    renderMenuButton(c);
    if (!c) {
      box.textContent = '';
      box.appendChild(el('div', 'empty', '没有会话'));
      return;
    }
    var data = S.chats[c.id];
    var key = S.persona + '|' + c.id + '|' + (data ? data.key : '');
    markRead(S.persona, c.id);
    if (key === S.renderedKey) { // nothing new: keep the nodes (and a click on them)
      if (forceBottom) box.scrollTop = box.scrollHeight;
      return;
    }
    var bottom = forceBottom || isAtBottom(box) || S.renderedKey.split('|').slice(0, 2).join('|') !== S.persona + '|' + c.id;
    var keepTop = box.scrollTop;
    S.renderedKey = key;
    box.textContent = '';
    var msgs = data ? data.messages : [];
    if (!msgs.length) {
      box.appendChild(el('div', 'empty', c.kind === 'group' ? '群里还没有消息。' : '还没有消息。点左下角的 / 选择命令，例如 /tasks。'));
    }
    var byId = {};
    msgs.forEach(function (m) { byId[m.id] = m; });
    var lastDay = '';
    msgs.forEach(function (m) {
      var day = dayText(m.at);
      if (day && day !== lastDay) {
        box.appendChild(el('div', 'day-sep', day));
        lastDay = day;
      }
      box.appendChild(renderMessage(m, c, byId));
    });
    if (bottom) box.scrollTop = box.scrollHeight;
    else box.scrollTop = keepTop;
  }

  function renderMessage(m, c, byId) {
    var own = m.from === S.persona;
    var isBot = m.from === 'bot';
    var row = el('div', 'msg-row ' + (own ? 'out' : 'in'));
    row.setAttribute('data-id', String(m.id));
    row.setAttribute('data-from', m.from);
    if (c.kind === 'group' && !own) {
      row.appendChild(isBot ? avatar('助', '#3a8ee6', 'msg-avatar') : avatar(senderName(m.from).charAt(0), colorFor(m.from), 'msg-avatar'));
    }
    var col = el('div', 'msg-col');
    var bubble = el('div', 'bubble ' + (isBot ? 'bot' : own ? 'own' : 'other') + (m.deleted ? ' deleted' : ''));
    if (c.kind === 'group' && !own) {
      var who = el('div', 'msg-sender', senderName(m.from));
      who.style.color = isBot ? '#2b7bd6' : colorFor(m.from);
      bubble.appendChild(who);
    }
    if (m.replyTo) {
      var q = byId[m.replyTo];
      var quote = el('div', 'msg-quote');
      quote.setAttribute('data-reply-to', String(m.replyTo));
      quote.appendChild(el('div', 'quote-who', q ? senderName(q.from) : '回复'));
      quote.appendChild(el('div', 'quote-text', q ? messagePreview(q) : '原消息不在此处'));
      quote.addEventListener('click', function () { flash(m.replyTo); });
      bubble.appendChild(quote);
      bubble.classList.add('has-quote');
    }
    if (m.deleted) {
      bubble.appendChild(el('div', 'deleted-mark', '消息已删除'));
    }
    if (m.photo) {
      var ph = el('div', 'msg-photo');
      if (m.fileUrl && !m.deleted) {
        // The photo itself; the placeholder if it cannot be loaded.
        var img = el('img', 'msg-photo-img');
        img.alt = '照片';
        img.loading = 'lazy';
        img.src = m.fileUrl;
        img.addEventListener('error', function () {
          ph.textContent = '';
          ph.appendChild(icon('photo', 'msg-photo-icon'));
          ph.appendChild(el('span', null, '照片'));
        });
        img.addEventListener('click', function () { window.open(m.fileUrl, '_blank', 'noopener'); });
        ph.classList.add('has-img');
        ph.appendChild(img);
      } else {
        ph.appendChild(icon('photo', 'msg-photo-icon'));
        ph.appendChild(el('span', null, '照片'));
      }
      bubble.appendChild(ph);
    }
    if (m.document) {
      // A link when the file can be opened (the exported ledger, say).
      var doc = el(m.fileUrl && !m.deleted ? 'a' : 'div', 'msg-doc');
      if (m.fileUrl && !m.deleted) {
        doc.href = m.fileUrl;
        doc.download = m.document.name || '';
        doc.title = '下载 ' + (m.document.name || '文件');
      }
      doc.appendChild(icon('doc', 'doc-icon'));
      var dt = el('div', 'doc-text');
      dt.appendChild(el('div', 'doc-name', m.document.name));
      dt.appendChild(el('div', 'doc-size', sizeText(m.document.size)));
      doc.appendChild(dt);
      bubble.appendChild(doc);
    }
    if (m.html) {
      var text = el('div', 'msg-text');
      text.innerHTML = sanitizeHTML(m.html); // only the whitelisted tags survive
      text.querySelectorAll('.tg-spoiler').forEach(function (sp) {
        sp.addEventListener('click', function () { sp.classList.add('revealed'); });
      });
      bubble.appendChild(text);
    }
    var meta = el('div', 'msg-meta');
    if (!own && !m.deleted) {
      var rb = el('button', 'reply-btn', '回复');
      rb.type = 'button';
      rb.title = '回复这条消息';
      rb.addEventListener('click', function () { startReply(m); });
      meta.appendChild(rb);
    }
    if (m.edited) meta.appendChild(el('span', 'edited', '已编辑'));
    meta.appendChild(el('span', 'time', hhmm(m.at)));
    bubble.appendChild(meta);
    col.appendChild(bubble);

    var rows = m.buttons || [];
    if (rows.length && !m.deleted) {
      var kb = el('div', 'keyboard');
      rows.forEach(function (r) {
        var kr = el('div', 'kb-row');
        (r || []).forEach(function (btn) {
          if (btn.webApp) { // a Mini App button opens the dashboard in its panel
            var wa = el('button', 'kb-btn kb-webapp', btn.text);
            wa.type = 'button';
            wa.setAttribute('data-web-app', '1');
            wa.addEventListener('click', openMiniApp);
            kr.appendChild(wa);
            return;
          }
          var href = !btn.data && btn.url ? safeHref(btn.url) : '';
          if (href) { // a link button opens its address, as in Telegram
            var a = el('a', 'kb-btn kb-link', btn.text);
            a.href = href;
            a.target = '_blank';
            a.rel = 'noopener noreferrer';
            kr.appendChild(a);
            return;
          }
          var b = el('button', 'kb-btn', btn.text);
          b.type = 'button';
          b.setAttribute('data-data', btn.data || '');
          if (!btn.data) b.disabled = true;
          b.addEventListener('click', function () { press(m, btn, b); });
          kr.appendChild(b);
        });
        kb.appendChild(kr);
      });
      col.appendChild(kb);
    }
    row.appendChild(col);
    return row;
  }

  function flash(id) {
    var row = document.querySelector('.msg-row[data-id="' + id + '"]');
    if (!row) return;
    row.scrollIntoView({ block: 'center', behavior: 'smooth' });
    row.classList.remove('flash');
    void row.offsetWidth;
    row.classList.add('flash');
  }

  // kindClass groups the deliveries' kinds for the panel's colours.
  function kindClass(kind) {
    if (/escalat|overdue|apology/.test(kind || '')) return 'alert';
    if (/reminder|follow_up|reopened/.test(kind || '')) return 'remind';
    if (/announce|digest|notice/.test(kind || '')) return 'group';
    return 'reply';
  }

  function renderPanel() {
    if (unchanged('panel', [S.state.nextJobs, S.state.deliveries, S.state.chats])) return;
    var jobs = $('jobs');
    jobs.textContent = '';
    var nj = S.state.nextJobs || [];
    if (!nj.length) jobs.appendChild(el('li', 'empty-line', '暂无计划中的任务'));
    nj.forEach(function (j) {
      var li = el('li', 'job');
      li.appendChild(el('span', 'job-at', shortAt(j.at)));
      li.appendChild(el('span', 'job-what', j.what));
      jobs.appendChild(li);
    });

    var ul = $('deliveries');
    ul.textContent = '';
    var ds = S.state.deliveries || [];
    $('delivery-count').textContent = ds.length ? '（' + ds.length + '）' : '';
    if (!ds.length) ul.appendChild(el('li', 'empty-line', '机器人还没有发送消息'));
    ds.forEach(function (d) {
      var li = el('li', 'delivery');
      var c = chatInfo(d.chatId);
      var top = el('div', 'delivery-top');
      top.appendChild(el('span', 'delivery-at', shortAt(d.at)));
      top.appendChild(el('span', 'delivery-to', '→ ' + (d.chatTitle || (c ? c.title : d.chatId))));
      var kind = el('span', 'delivery-kind kind-' + kindClass(d.kind), d.reason || d.kind || '');
      kind.title = d.kind || '';
      top.appendChild(kind);
      li.appendChild(top);
      if (d.taskCodes && d.taskCodes.length) {
        var codes = el('div', 'delivery-codes');
        d.taskCodes.forEach(function (code) { codes.appendChild(el('span', 'code-chip', code)); });
        li.appendChild(codes);
      }
      if (c) {
        li.classList.add('clickable');
        li.title = '打开这个会话';
        li.addEventListener('click', function () {
          if (c.kind === 'group') selectChat(String(c.id));
          else { S.persona = c.persona; selectChat(String(c.id)); }
        });
      }
      ul.appendChild(li);
    });
  }

  // ---- actions ------------------------------------------------------------

  function saveHash() {
    var h = '#p=' + S.persona + '&c=' + S.chatId;
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  function selectPersona(key) {
    if (key === S.persona) return;
    S.persona = key;
    var mine = chatsOf(key);
    S.chatId = mine[0] ? String(mine[0].id) : null;
    afterSwitch();
  }

  function selectChat(id) {
    S.chatId = id;
    afterSwitch();
  }

  function afterSwitch() {
    cancelReply();
    closeCommands();
    S.renderedKey = '';
    saveHash();
    render();
    renderChat(true);
    refresh();
    $('composer-input').focus();
  }

  // keepBottom runs fn, which changes the height of the message pane, and
  // keeps the newest message in view if it was.
  function keepBottom(fn) {
    var box = $('messages');
    var bottom = isAtBottom(box);
    fn();
    if (bottom) box.scrollTop = box.scrollHeight;
  }

  function startReply(m) {
    S.replyTo = m;
    keepBottom(function () {
      $('reply-bar-who').textContent = senderName(m.from);
      $('reply-bar-text').textContent = messagePreview(m) || '消息';
      $('reply-bar').hidden = false;
    });
    $('composer-input').focus();
  }

  function cancelReply() {
    S.replyTo = null;
    keepBottom(function () { $('reply-bar').hidden = true; });
  }

  function busy(on) {
    document.body.classList.toggle('busy', on);
    $('send-btn').disabled = on;
  }

  function afterAction() {
    return refresh().then(function () { renderChat(true); });
  }

  function send(text) {
    if (!S.chatId || !text) return Promise.resolve();
    busy(true);
    var body = { persona: S.persona, chatId: Number(S.chatId), text: text, replyTo: S.replyTo ? S.replyTo.id : 0 };
    return api('POST', '/api/send', body).then(function () {
      $('composer-input').value = '';
      cancelReply();
      closeCommands();
    }).catch(function (e) {
      toast('发送失败：' + e.message, 'error');
    }).then(function () {
      busy(false);
      return afterAction();
    });
  }

  function upload(file) {
    if (!S.chatId || !file) return Promise.resolve();
    busy(true);
    var fd = new FormData();
    fd.append('persona', S.persona);
    fd.append('chatId', String(S.chatId));
    fd.append('replyTo', String(S.replyTo ? S.replyTo.id : 0));
    fd.append('caption', $('composer-input').value.trim());
    fd.append('file', file, file.name);
    return api('POST', '/api/upload', fd).then(function () {
      $('composer-input').value = '';
      cancelReply();
    }).catch(function (e) {
      toast('上传失败：' + e.message, 'error');
    }).then(function () {
      $('file-input').value = '';
      busy(false);
      return afterAction();
    });
  }

  function press(m, btn, b) {
    if (b.classList.contains('pressing')) return;
    b.classList.add('pressing');
    api('POST', '/api/press', { persona: S.persona, chatId: Number(S.chatId), messageId: m.id, data: btn.data })
      .then(function (r) {
        if (r && r.answer) toast(r.answer, 'answer');
      })
      .catch(function (e) { toast('按钮操作失败：' + e.message, 'error'); })
      .then(function () {
        b.classList.remove('pressing');
        return afterAction();
      });
  }

  function clock(action, b) {
    var buttons = document.querySelectorAll('[data-clock]');
    buttons.forEach(function (x) { x.disabled = true; });
    b.classList.add('working');
    api('POST', '/api/clock', { action: action })
      .then(function () { return refresh(); })
      .catch(function (e) { toast('调整时间失败：' + e.message, 'error'); })
      .then(function () {
        buttons.forEach(function (x) { x.disabled = false; });
        b.classList.remove('working');
      });
  }

  function reset() {
    var b = $('reset-btn');
    if (!S.resetArmed) {
      b.textContent = '确认重置？';
      b.classList.add('armed');
      S.resetArmed = setTimeout(disarm, 4000);
      return;
    }
    disarm();
    b.disabled = true;
    api('POST', '/api/reset', {})
      .then(function () {
        S.chats = {};
        S.lastSeen = {};
        S.renderedKey = '';
        cancelReply();
        if (window.rectibotMiniApp) window.rectibotMiniApp.relaunch();
        toast('已重置，沙盒重新开始');
        return afterAction();
      })
      .catch(function (e) { toast('重置失败：' + e.message, 'error'); })
      .then(function () { b.disabled = false; });
  }

  function disarm() {
    clearTimeout(S.resetArmed);
    S.resetArmed = null;
    var b = $('reset-btn');
    b.textContent = '重置';
    b.classList.remove('armed');
  }

  // ---- command menu -------------------------------------------------------

  // menuOf is the command menu Telegram shows the persona in chat c: the
  // group's in the group, else the persona's own (set by their roles).
  function menuOf(key, c) {
    var st = S.state || {};
    if (c && c.kind === 'group') return st.groupCommands || [];
    return (st.menus && st.menus[key] && st.menus[key].length ? st.menus[key] : st.commands) || [];
  }

  function renderCommands(filter) {
    var menu = $('command-menu');
    menu.textContent = '';
    var cmds = menuOf(S.persona, chatInfo(S.chatId)).filter(function (c) {
      return !filter || ('/' + c.command).indexOf(filter) === 0;
    });
    if (!cmds.length) { menu.hidden = true; return; }
    cmds.forEach(function (c) {
      var b = el('button', 'cmd-item');
      b.type = 'button';
      b.setAttribute('data-command', c.command);
      b.appendChild(el('span', 'cmd-name', '/' + c.command));
      b.appendChild(el('span', 'cmd-desc', c.description));
      b.addEventListener('mousedown', function (e) { e.preventDefault(); });
      b.addEventListener('click', function () {
        var input = $('composer-input');
        input.value = '/' + c.command;
        closeCommands();
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      });
      menu.appendChild(b);
    });
    menu.hidden = false;
  }

  function openCommands() { S.cmdOpen = true; renderCommands(''); }
  function closeCommands() { S.cmdOpen = false; $('command-menu').hidden = true; }

  // ---- wiring -------------------------------------------------------------

  function wire() {
    $('composer').addEventListener('submit', function (e) {
      e.preventDefault();
      var text = $('composer-input').value.trim();
      if (text) send(text);
    });
    $('composer-input').addEventListener('input', function () {
      var v = this.value;
      if (/^\/\S*$/.test(v)) renderCommands(v);
      else if (!S.cmdOpen || v) closeCommands();
    });
    $('composer-input').addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { closeCommands(); cancelReply(); }
    });
    $('cmd-btn').addEventListener('click', function () {
      if (S.cmdOpen || !$('command-menu').hidden) closeCommands(); else openCommands();
    });
    $('attach-btn').addEventListener('click', function () { $('file-input').click(); });
    $('menu-app-btn').addEventListener('click', openMiniApp);
    $('file-input').addEventListener('change', function () {
      var f = this.files && this.files[0];
      if (f) upload(f);
    });
    $('reply-cancel').addEventListener('click', cancelReply);
    document.querySelectorAll('[data-clock]').forEach(function (b) {
      b.addEventListener('click', function () { clock(b.getAttribute('data-clock'), b); });
    });
    $('reset-btn').addEventListener('click', reset);
    document.addEventListener('click', function (e) {
      if (!$('command-menu').hidden && !e.target.closest('#command-menu') && !e.target.closest('#cmd-btn') && !e.target.closest('#composer-input')) closeCommands();
    });
  }

  wire();
  refresh();
  setInterval(refresh, POLL_MS);

  // For tests and the curious: the sanitizer, callable from the console.
  window.rectibotSandbox = { sanitizeHTML: sanitizeHTML };
})();
