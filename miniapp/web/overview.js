// #/ — the overview: lights, the key figures and the counts by status.

import { h, replace } from './dom.js';
import { t, percent } from './i18n.js';
import * as api from './api.js';
import { loading, loaded, section } from './ui.js';

const statusOrder = ['not_started', 'in_progress', 'pending_verification', 'ongoing', 'closed'];

function statusName(s, key) {
  return (s.status_names && s.status_names[key]) || t('status_' + key);
}

function lights(s) {
  const l = s.lights || {};
  const tile = (key) => h('div', { class: 'tile light-tile ' + key },
    h('span', { class: 'big' }, String(l[key] || 0)),
    h('span', { class: 'word' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t('light_' + key)));
  return section(t('lights_heading'),
    h('div', { class: 'tiles three' }, tile('red'), tile('yellow'), tile('green')),
    h('p', { class: 'hint' }, t('of_total', { n: s.total || 0 }) + t('dot') + t('done_n', { n: s.done || 0 })));
}

function figure(label, value, opts = {}) {
  const body = [h('span', { class: 'big' + (opts.alert ? ' alert' : '') }, value), h('span', { class: 'label' }, label),
    opts.sub ? h('span', { class: 'sub' }, opts.sub) : null];
  if (opts.href) return h('a', { class: 'tile figure link', href: opts.href }, body);
  return h('div', { class: 'tile figure' }, body);
}

function figures(s) {
  const rate = s.on_time_rate;
  return section(t('key_figures'),
    h('div', { class: 'tiles two' },
      figure(t('on_time_rate'), percent(rate), { sub: rate == null ? t('nothing_due') : null }),
      figure(t('overdue'), String(s.overdue || 0), { alert: s.overdue > 0, href: '#/overdue' }),
      figure(t('awaiting_closure'), String(s.awaiting_closure || 0), { href: s.can_decide ? '#/awaiting' : null }),
      figure(t('awaiting_deadline'), String(s.awaiting_deadline || 0), { href: s.can_decide ? '#/awaiting' : null })));
}

// byStatus is a stacked bar (drawn, hidden from screen readers) with the
// same counts as a list beside it.
function byStatus(s) {
  const counts = s.by_status || {};
  const keys = statusOrder.filter((k) => k in counts).concat(Object.keys(counts).filter((k) => !statusOrder.includes(k)));
  const total = keys.reduce((a, k) => a + (counts[k] || 0), 0);
  const bar = h('div', { class: 'stack', 'aria-hidden': 'true' },
    keys.filter((k) => counts[k] > 0).map((k) => h('span', { class: 'seg st-' + k, style: { flexGrow: String(counts[k]) } })));
  const list = h('ul', { class: 'legend-list' },
    keys.map((k) => h('li', null,
      h('span', { class: 'swatch st-' + k, 'aria-hidden': 'true' }),
      h('span', { class: 'name' }, statusName(s, k)),
      h('span', { class: 'count' }, t('items', { n: counts[k] || 0 })))));
  return section(t('by_status'), total > 0 ? bar : null, list);
}

export default async function overview(main, ctx) {
  loading(main);
  const s = await api.cached('summary');
  if (!ctx.alive()) return;
  ctx.setSummary(s);
  loaded(main);
  const waiting = (s.awaiting_closure || 0) + (s.awaiting_deadline || 0);
  replace(main,
    h('h2', { class: 'sr-only' }, t('tab_overview')),
    s.can_decide && waiting > 0 ? h('a', { class: 'notice', href: '#/awaiting' }, t('can_decide_hint', { n: waiting })) : null,
    lights(s), figures(s), byStatus(s));
}
