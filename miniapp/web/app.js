// The dashboard's entry: reads Telegram's launch, asks for the summary,
// draws the shell and routes by the hash (#/ · #/departments · #/trends ·
// #/overdue · #/task/ID).

import * as tg from './tg.js';
import * as api from './api.js';
import { h, replace, icon } from './dom.js';
import { t, setLang, langFrom, date } from './i18n.js';
import { loading, failed, backRow } from './ui.js';
import overview from './overview.js';
import departments from './departments.js';
import trends from './trends.js';
import overdue from './overdue.js';
import awaiting from './awaiting.js';
import task from './task.js';

const tabs = [
  { route: '/', key: 'tab_overview', icon: 'overview' },
  { route: '/departments', key: 'tab_departments', icon: 'departments' },
  { route: '/trends', key: 'tab_trends', icon: 'trends' },
  { route: '/overdue', key: 'tab_overdue', icon: 'overdue' },
];

const app = document.getElementById('app');
let summary = null;
let cleanup = null;
let token = 0;
let moves = 0; // routes visited in this page, for the back button

function parseRoute() {
  const path = location.hash.replace(/^#/, '') || '/';
  const m = /^\/task\/(\d+)$/.exec(path);
  if (m) return { view: task, id: +m[1], tab: null };
  if (path === '/awaiting') return { view: awaiting, tab: null };
  const tab = tabs.find((x) => x.route === path) || tabs[0];
  const views = { '/': overview, '/departments': departments, '/trends': trends, '/overdue': overdue };
  return { view: views[tab.route], tab: tab.route };
}

function shell() {
  const roles = (summary.person && summary.person.roles) || [];
  const who = summary.person && summary.person.name
    ? [summary.person.name, roles.length ? t('dot') + roles.map((r) => t('role_' + r)).join(t('role_sep')) : ''].join('')
    : '';
  const header = h('header', { class: 'top' },
    h('div', { class: 'top-row' },
      h('h1', null, t('app_title')),
      h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('refresh'), title: t('refresh'), onclick: refresh }, icon('refresh'))),
    h('p', { class: 'scope' }, (summary.scope && summary.scope.label) || ''),
    h('p', { class: 'meta' }, [who, summary.as_of ? t('as_of', { date: date(summary.as_of) }) : ''].filter(Boolean).join(t('dot'))));
  const nav = h('nav', { class: 'tabs', 'aria-label': t('tabs_label') },
    tabs.map((x) => h('a', { href: '#' + x.route, 'data-route': x.route }, icon(x.icon), h('span', null, t(x.key)))));
  const main = h('main', { id: 'view', tabindex: '-1' });
  replace(app, header, main, nav);
  document.title = t('app_title');
}

function markTab(route) {
  for (const a of app.querySelectorAll('.tabs a')) {
    if (a.dataset.route === route) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function render(first) {
  const my = ++token;
  if (cleanup) {
    try {
      cleanup();
    } catch {
      // a view's cleanup failing must not block the next view
    }
    cleanup = null;
  }
  const route = parseRoute();
  markTab(route.tab);
  tg.backButton(!route.tab);
  const main = document.getElementById('view');
  if (!first) {
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
  }
  const ctx = {
    summary,
    id: route.id,
    alive: () => my === token,
    setSummary: (s) => {
      summary = s;
    },
    back: goBack,
  };
  try {
    cleanup = (await route.view(main, ctx)) || null;
  } catch (err) {
    if (my === token) {
      failed(main, err, () => render(false));
      if (!route.tab) main.prepend(backRow(goBack));
    }
  }
}

function goBack() {
  if (moves > 0) history.back();
  else location.hash = '#/';
}

async function refresh() {
  api.invalidate();
  try {
    summary = await api.cached('summary');
  } catch {
    // the view below shows the error
  }
  render(false);
}

function notOpenedFromTelegram() {
  replace(app, h('main', { id: 'view', class: 'gate' },
    h('h1', null, t('open_from_telegram_title')),
    h('p', null, t('open_from_telegram'))));
}

function boot() {
  const launch = tg.start();
  setLang(langFrom(tg.userLanguage(launch.initData) || navigator.language));
  if (!launch.initData) {
    notOpenedFromTelegram();
    tg.ready();
    return;
  }
  api.setInitData(launch.initData);
  tg.ready();
  begin();
}

// begin waits for the summary: it says the person's language and scope,
// which every view and the shell need.
async function begin() {
  const main = h('main', { id: 'view', class: 'gate' });
  replace(app, main);
  loading(main);
  try {
    summary = await api.cached('summary');
  } catch (err) {
    failed(main, err, begin);
    return;
  }
  setLang(summary.lang);
  shell();
  window.addEventListener('hashchange', () => {
    moves++;
    render(false);
  });
  tg.on('back_button_pressed', goBack);
  render(true);
}

boot();
