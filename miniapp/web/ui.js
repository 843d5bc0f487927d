// Shared pieces of the views: loading and error states, the toast, the
// in-page confirmation dialog, the light badge.

import { h, replace, icon } from './dom.js';
import { t } from './i18n.js';
import { message } from './api.js';

export function loading(el) {
  el.setAttribute('aria-busy', 'true');
  replace(el, h('p', { class: 'state', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading')));
}

export function loaded(el) {
  el.removeAttribute('aria-busy');
}

// failed shows err in el with a retry button (unless retrying cannot help).
export function failed(el, err, retry) {
  loaded(el);
  const hopeless = err && ['unauthorized', 'not_linked', 'forbidden', 'not_found'].includes(err.code);
  replace(el, h('div', { class: 'state error', role: 'alert' },
    h('p', null, message(err)),
    !hopeless && retry ? h('button', { class: 'btn primary', type: 'button', onclick: retry }, t('retry')) : null));
}

let toastTimer = 0;

export function toast(text, kind) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = text;
  el.className = 'toast show' + (kind ? ' ' + kind : '');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.className = 'toast';
  }, 3500);
}

// ask opens the confirmation dialog. With needReason a reason must be typed
// before confirming. Resolves to {reason} when confirmed, null when not.
export function ask({ title, detail, confirmText, danger, needReason }) {
  const dlg = document.getElementById('dialog');
  return new Promise((resolve) => {
    let reason = null;
    const ok = h('button', { class: 'btn ' + (danger ? 'danger' : 'primary'), type: 'submit', value: 'ok' }, confirmText || t('confirm'));
    if (needReason) {
      reason = h('textarea', { id: 'dlg-reason', rows: 3, maxlength: 1000, required: true, placeholder: t('reason_placeholder') });
      ok.disabled = true;
      reason.addEventListener('input', () => {
        ok.disabled = reason.value.trim() === '';
      });
    }
    const form = h('form', { method: 'dialog', class: 'dialog-body' },
      h('h2', { id: 'dlg-title' }, title),
      detail ? h('p', { class: 'hint' }, detail) : null,
      reason ? [h('label', { for: 'dlg-reason' }, t('reject_reason')), reason] : null,
      h('div', { class: 'dialog-buttons' },
        h('button', { class: 'btn', type: 'submit', value: 'cancel', formnovalidate: true }, t('cancel')),
        ok));
    replace(dlg, form);
    dlg.removeAttribute('aria-label');
    dlg.setAttribute('aria-labelledby', 'dlg-title');
    const done = () => {
      dlg.removeEventListener('close', done);
      if (dlg.returnValue === 'ok') resolve({ reason: reason ? reason.value.trim() : '' });
      else resolve(null);
    };
    dlg.returnValue = '';
    dlg.addEventListener('close', done);
    dlg.showModal();
    (reason || ok).focus();
  });
}

// viewer shows a photo full size in the dialog.
export function viewer(src, alt) {
  const dlg = document.getElementById('dialog');
  const close = h('button', { class: 'btn', type: 'submit', value: 'cancel' }, t('close'));
  replace(dlg, h('form', { method: 'dialog', class: 'dialog-body photo' },
    h('img', { src, alt: alt || t('evidence_photo') }),
    alt ? h('p', { class: 'hint caption' }, alt) : null,
    h('div', { class: 'dialog-buttons' }, close)));
  dlg.removeAttribute('aria-labelledby');
  dlg.setAttribute('aria-label', alt || t('evidence_photo'));
  dlg.showModal();
  close.focus();
}

// light is the coloured dot with its word: colour is never the only signal.
export function light(name, extraClass) {
  const key = ['red', 'yellow', 'green'].includes(name) ? name : 'none';
  return h('span', { class: 'light ' + key + (extraClass ? ' ' + extraClass : '') },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), key === 'none' ? '—' : t('light_' + key));
}

// backRow is the in-page back button of pages opened from a list.
export function backRow(onclick) {
  return h('div', { class: 'back-row' },
    h('button', { class: 'btn ghost back', type: 'button', onclick }, icon('back'), t('back')));
}

// section is a card with a heading.
export function section(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h3', null, title) : null, ...children);
}
