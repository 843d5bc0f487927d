// #/departments — 红黄榜: departments ranked worst first, and the units
// ranked for those who oversee several.

import { h, replace } from './dom.js';
import { t, percent } from './i18n.js';
import * as api from './api.js';
import { loading, loaded, light, section } from './ui.js';

function reported(days) {
  if (days == null) return t('never_reported');
  if (days === 0) return t('reported_today');
  if (days === 1) return t('days_since_report_one');
  return t('days_since_report', { n: days });
}

// unitLight: units come without a light of their own; the worst of theirs.
function unitLight(u) {
  if (u.red > 0) return 'red';
  if (u.yellow > 0) return 'yellow';
  return 'green';
}

// mix is the red/yellow/green share as a thin bar; the counts are in words beside it.
function mix(r) {
  const total = (r.red || 0) + (r.yellow || 0) + (r.green || 0);
  const bar = total > 0
    ? h('span', { class: 'mix', 'aria-hidden': 'true' },
      ['red', 'yellow', 'green'].filter((k) => r[k] > 0).map((k) => h('span', { class: 'seg ' + k, style: { flexGrow: String(r[k]) } })))
    : null;
  return h('div', { class: 'mix-row' }, bar,
    h('span', { class: 'hint' }, t('lights_counts', { r: r.red || 0, y: r.yellow || 0, g: r.green || 0 })));
}

function row(r, i, lightName) {
  const stats = [
    t('rate_short', { v: percent(r.on_time_rate) }),
    t('overdue_short', { n: r.overdue || 0 }),
    t('done_of', { done: r.done || 0, total: r.total || 0 }),
    reported(r.days_since_report),
  ];
  return h('li', { class: 'rank-row' },
    h('span', { class: 'rank-no', 'aria-label': t('rank', { n: i + 1 }) }, String(i + 1)),
    h('div', { class: 'rank-body' },
      h('div', { class: 'rank-head' }, h('strong', { class: 'name' }, r.unit ? h('span', { class: 'unit' }, r.unit + t('dot')) : null, r.name || ''), light(lightName)),
      h('p', { class: 'stats' }, stats.map((s, j) => h('span', { class: j === 1 && r.overdue > 0 ? 'alert' : null }, s))),
      mix(r)));
}

export default async function departments(main, ctx) {
  loading(main);
  const d = await api.cached('departments');
  if (!ctx.alive()) return;
  loaded(main);
  const deps = d.departments || [];
  const units = d.units || [];
  replace(main,
    h('h2', null, t('departments_heading')),
    h('p', { class: 'hint lead' }, t('departments_hint')),
    units.length ? section(t('units_heading'), h('ol', { class: 'rank-list' }, units.map((u, i) => row(u, i, unitLight(u))))) : null,
    section(units.length ? t('departments_section') : null,
      deps.length ? h('ol', { class: 'rank-list' }, deps.map((r, i) => row(r, i, r.light))) : h('p', { class: 'hint' }, t('no_departments'))));
}
