// #/overdue — the overdue problems, most days late first; each opens its page.

import { h, replace } from './dom.js';
import { t, date } from './i18n.js';
import * as api from './api.js';
import { loading, loaded } from './ui.js';

function item(x) {
  const people = [x.department, x.officer].filter(Boolean).join(t('dot'));
  return h('li', null, h('a', { class: 'task-link', href: '#/task/' + encodeURIComponent(x.id) },
    h('span', { class: 'late' }, x.days_late === 1 ? t('days_late_one') : t('days_late', { n: x.days_late || 0 })),
    h('span', { class: 'title' }, x.code ? h('span', { class: 'code' }, x.code) : null, x.title || ''),
    h('span', { class: 'hint' }, people),
    h('span', { class: 'hint' },
      t('deadline_short', { date: x.deadline ? date(x.deadline) : t('no_deadline') }),
      x.status_name || x.status ? [t('dot'), h('span', { class: 'chip st-' + (x.status || '') }, x.status_name || t('status_' + x.status))] : null)));
}

export default async function overdue(main, ctx) {
  loading(main);
  const d = await api.cached('overdue');
  if (!ctx.alive()) return;
  loaded(main);
  const tasks = d.tasks || [];
  const total = d.total || tasks.length;
  replace(main,
    h('h2', null, t('overdue_count', { n: total })),
    total > tasks.length ? h('p', { class: 'hint' }, t('overdue_first', { n: tasks.length })) : null,
    tasks.length
      ? h('ul', { class: 'task-list' }, tasks.map(item))
      : h('p', { class: 'card empty' }, t('no_overdue')));
}
