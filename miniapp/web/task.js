// #/task/ID — one problem: its facts, measures, progress with evidence,
// deadline changes and the 销号 trail; and the decisions the caller may take
// (the same rules as the bot: confirm first, a reason to reject).

import { h, replace, icon } from './dom.js';
import { t, date, time } from './i18n.js';
import * as api from './api.js';
import * as tg from './tg.js';
import { loading, loaded, light, section, ask, toast, backRow } from './ui.js';
import { Gallery, evidenceList } from './evidence.js';

function statusChip(tk) {
  return h('span', { class: 'chip st-' + (tk.status || '') }, tk.status_name || t('status_' + tk.status));
}

function facts(tk) {
  const deadline = tk.deadline ? date(tk.deadline) : t('no_deadline');
  const changed = tk.original_deadline && tk.original_deadline !== tk.deadline;
  const rows = [
    [t('department'), tk.department],
    [t('leader'), tk.leader],
    [t('officer'), tk.officer],
    [t('deadline'), [deadline, changed ? h('span', { class: 'hint' }, t('original_deadline', { date: date(tk.original_deadline) })) : null]],
    [t('category'), tk.category],
  ].filter((r) => r[1]);
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
}

function measures(tk) {
  const list = tk.measures || [];
  return section(t('measures'), list.length
    ? h('ul', { class: 'measures' }, list.map((m) => h('li', { class: m.done ? 'done' : 'open' },
      h('span', { class: 'tick', 'aria-hidden': 'true' }, m.done ? icon('check') : null),
      h('span', { class: 'sr-only' }, (m.done ? t('measure_done') : t('measure_open')) + t('dot')),
      h('span', { class: 'text' }, m.text || ''))))
    : h('p', { class: 'hint' }, t('no_measures')));
}

function progress(tk, gallery) {
  const list = tk.progress || [];
  return section(t('progress'), list.length
    ? h('ol', { class: 'timeline' }, list.map((p) => h('li', null,
      h('p', { class: 'who' }, h('strong', null, p.author || t('imported_entry')), h('span', { class: 'hint' }, t('dot') + time(p.at))),
      p.text ? h('p', { class: 'text' }, p.text) : null,
      evidenceList(gallery, p.evidence))))
    : h('p', { class: 'hint' }, t('no_progress')));
}

function deadlineChanges(tk, act) {
  const list = tk.deadline_changes || [];
  if (!list.length) return null;
  const may = new Set(((tk.actions && tk.actions.decide_deadline) || []).map(Number));
  return section(t('deadline_changes'), h('ul', { class: 'timeline' }, list.map((c) => h('li', null,
    h('p', { class: 'who' }, h('strong', null, t('deadline_change', { from: c.from ? date(c.from) : t('no_deadline'), to: c.to ? date(c.to) : t('no_deadline') })),
      ' ', h('span', { class: 'chip state-' + c.state }, t('state_' + c.state))),
    c.reason ? h('p', { class: 'text' }, t('reason', { text: c.reason })) : null,
    h('p', { class: 'hint' }, t('requested_by', { who: c.requested_by || '', at: time(c.requested_at) })),
    c.decided_by ? h('p', { class: 'hint' }, t('decided_by', { who: c.decided_by, at: time(c.decided_at) })) : null,
    c.state === 'pending' && may.has(Number(c.id)) ? h('div', { class: 'actions' },
      h('button', { class: 'btn primary', type: 'button', onclick: (e) => act(e, 'deadline', c, true) }, t('approve_deadline')),
      h('button', { class: 'btn danger', type: 'button', onclick: (e) => act(e, 'deadline', c, false) }, t('reject_deadline'))) : null))));
}

function closureTrail(tk) {
  const list = tk.closure || [];
  return section(t('closure_trail'), list.length
    ? h('ol', { class: 'timeline' }, list.map((c) => h('li', null,
      h('p', { class: 'who' }, h('strong', null, c.event_name || c.event || ''), h('span', { class: 'hint' }, t('dot') + t('by_at', { who: c.by || '', at: time(c.at) }))),
      c.reason ? h('p', { class: 'text' }, t('reason', { text: c.reason })) : null)))
    : h('p', { class: 'hint' }, t('no_closure')));
}

function closureDecision(tk, act) {
  if (!tk.actions || !tk.actions.decide_closure) return null;
  return h('section', { class: 'card decide' },
    h('h3', null, t('closure_decision')),
    h('p', { class: 'hint' }, t('closure_decision_hint')),
    h('div', { class: 'actions' },
      h('button', { class: 'btn primary', type: 'button', onclick: (e) => act(e, 'closure', null, true) }, t('approve_closure')),
      h('button', { class: 'btn danger', type: 'button', onclick: (e) => act(e, 'closure', null, false) }, t('reject_closure'))));
}

function draw(main, tk, ctx, gallery, act) {
  replace(main,
    tg.hasBackButton() ? null : backRow(ctx.back),
    h('article', { class: 'task' },
      h('header', { class: 'card task-head' },
        tk.code ? h('span', { class: 'code' }, tk.code) : null,
        h('h2', null, tk.title || t('task_heading')),
        h('div', { class: 'badges' }, light(tk.light, 'badge'), statusChip(tk)),
        facts(tk)),
      closureDecision(tk, act),
      tk.problem ? section(t('problem'), h('p', { class: 'text' }, tk.problem)) : null,
      measures(tk),
      progress(tk, gallery),
      deadlineChanges(tk, act),
      closureTrail(tk)));
}

export default async function task(main, ctx) {
  let gallery = new Gallery();
  let tk = null;
  const show = (next) => {
    tk = next;
    gallery.close();
    gallery = new Gallery();
    loaded(main);
    draw(main, tk, ctx, gallery, act);
  };

  // act asks to confirm, then sends the decision; the answer is the task as it now is.
  async function act(ev, kind, change, approve) {
    const pressed = ev.currentTarget;
    const opts = kind === 'closure'
      ? { title: t(approve ? 'confirm_approve_closure' : 'confirm_reject_closure'), confirmText: t(approve ? 'approve_closure' : 'reject_closure') }
      : { title: approve ? t('confirm_approve_deadline', { date: date(change.to) }) : t('confirm_reject_deadline'), confirmText: t(approve ? 'approve_deadline' : 'reject_deadline') };
    const answer = await ask(Object.assign(opts, {
      detail: [tk.code, tk.title].filter(Boolean).join(' '), danger: !approve, needReason: !approve,
    }));
    if (!answer || !ctx.alive()) return;
    const buttons = main.querySelectorAll('.actions .btn');
    buttons.forEach((b) => { b.disabled = true; });
    if (pressed) pressed.setAttribute('aria-busy', 'true');
    const body = { decision: approve ? 'approve' : 'reject' };
    if (!approve) body.reason = answer.reason;
    const path = kind === 'closure' ? `tasks/${encodeURIComponent(tk.id)}/closure` : `deadline-requests/${encodeURIComponent(change.id)}`;
    try {
      const res = await api.post(path, body);
      api.invalidate();
      toast(t(`done_${approve ? 'approve' : 'reject'}_${kind}`));
      if (ctx.alive() && res && res.task) show(res.task);
    } catch (err) {
      toast(api.message(err), 'error');
      if (!ctx.alive()) return;
      if (err.code === 'already_decided') {
        api.invalidate();
        try {
          show(await api.get('tasks/' + ctx.id));
          return;
        } catch {
          // keep the page as it was; the toast said why
        }
      }
      buttons.forEach((b) => { b.disabled = false; b.removeAttribute('aria-busy'); });
    }
  }

  loading(main);
  const first = await api.get('tasks/' + ctx.id);
  if (!ctx.alive()) return;
  show(first);
  return () => gallery.close();
}
