// #/awaiting — what waits for the caller's own decision: closures to sign
// off and new deadlines to decide (the bot's /verify); each opens its task,
// where the decision is taken.

import { h, replace } from './dom.js';
import { t, date } from './i18n.js';
import * as api from './api.js';
import { loading, loaded, section } from './ui.js';

function closure(x) {
  return h('li', null, h('a', { class: 'task-link', href: '#/task/' + encodeURIComponent(x.id) },
    h('span', { class: 'title' }, x.code ? h('span', { class: 'code' }, x.code) : null, x.title || ''),
    h('span', { class: 'hint' }, [x.department, x.officer].filter(Boolean).join(t('dot'))),
    h('span', { class: 'hint' }, t('deadline_short', { date: x.deadline ? date(x.deadline) : t('no_deadline') }))));
}

function deadline(x) {
  return h('li', null, h('a', { class: 'task-link', href: '#/task/' + encodeURIComponent(x.task_id) },
    h('span', { class: 'title' }, x.code ? h('span', { class: 'code' }, x.code) : null, x.title || ''),
    h('span', { class: 'hint' }, [x.department, x.requested_by || x.officer].filter(Boolean).join(t('dot'))),
    h('span', { class: 'hint' }, t('awaiting_move', { from: x.from ? date(x.from) : t('no_deadline'), to: x.to ? date(x.to) : t('no_deadline') })),
    x.reason ? h('span', { class: 'hint' }, t('awaiting_reason', { reason: x.reason })) : null));
}

export default async function awaiting(main, ctx) {
  loading(main);
  const d = await api.cached('awaiting');
  if (!ctx.alive()) return;
  loaded(main);
  const closures = d.closures || [];
  const deadlines = d.deadlines || [];
  replace(main,
    h('h2', null, t('awaiting_heading')),
    closures.length + deadlines.length === 0 ? h('p', { class: 'card empty' }, t('awaiting_none')) : null,
    closures.length ? section(t('awaiting_closures', { n: closures.length }), h('ul', { class: 'task-list' }, closures.map(closure))) : null,
    deadlines.length ? section(t('awaiting_deadlines', { n: deadlines.length }), h('ul', { class: 'task-list' }, deadlines.map(deadline))) : null);
}
