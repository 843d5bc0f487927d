// Evidence on a task's page. An <img src> cannot carry the Authorization
// header, so each file is fetched with it and shown from a blob: URL.

import { h, icon } from './dom.js';
import { t } from './i18n.js';
import * as api from './api.js';
import { viewer, toast } from './ui.js';

// Gallery holds the blob: URLs of one task page, to free them when it goes.
export class Gallery {
  constructor() {
    this.urls = [];
    this.queue = [];
    this.running = 0;
    this.closed = false;
  }

  close() {
    this.closed = true;
    this.queue = [];
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
  }

  // fetch runs at most three downloads at once: a phone's connection is narrow.
  fetch(url) {
    return new Promise((resolve, reject) => {
      this.queue.push({ url, resolve, reject });
      this.pump();
    });
  }

  pump() {
    while (!this.closed && this.running < 3 && this.queue.length) {
      const job = this.queue.shift();
      this.running++;
      api.blob(job.url)
        .then((b) => {
          if (this.closed) return job.reject(new api.ApiError(0, 'closed'));
          const u = URL.createObjectURL(b);
          this.urls.push(u);
          job.resolve(u);
        }, job.reject)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  // item is a photo thumbnail (a button opening it large) or a file chip.
  item(ev) {
    const name = ev.name || '';
    if (ev.kind === 'photo') {
      const btn = h('button', { class: 'thumb loading', type: 'button', 'aria-label': name ? t('evidence_named', { name }) : t('evidence_photo'), disabled: true });
      this.fetch(ev.url).then((u) => {
        const img = h('img', { src: u, alt: name || t('evidence_photo'), decoding: 'async' });
        btn.replaceChildren(img);
        btn.classList.remove('loading');
        btn.disabled = false;
        btn.addEventListener('click', () => viewer(u, name));
      }, (err) => {
        if (err && err.code === 'closed') return;
        btn.classList.remove('loading');
        btn.classList.add('broken');
        btn.replaceChildren(h('span', null, t('evidence_failed')));
      });
      return btn;
    }
    // A document goes to the person's chat with the bot, where Telegram's
    // own viewer opens it: phones' webviews often drop a download. The
    // small button beside it downloads here (desktop and web clients).
    const label = name || t('open_file');
    const chip = h('button', { class: 'file-chip', type: 'button', title: t('send_to_chat'), 'aria-label': t('send_named', { name: label }) }, icon('send'), h('span', { class: 'file-name' }, label));
    chip.addEventListener('click', async () => {
      chip.disabled = true;
      try {
        await api.post('evidence/' + ev.id + '/send');
        toast(t('evidence_sent'));
      } catch (err) {
        toast(api.message(err), 'error');
      } finally {
        chip.disabled = false;
      }
    });
    const save = h('button', { class: 'file-save', type: 'button', title: t('download_file'), 'aria-label': t('download_named', { name: label }) }, icon('download'));
    save.addEventListener('click', async () => {
      save.disabled = true;
      try {
        const u = await this.fetch(ev.url);
        const a = h('a', { href: u, download: name || 'evidence', rel: 'noopener' });
        document.body.appendChild(a);
        a.click();
        a.remove();
      } catch (err) {
        if (!err || err.code !== 'closed') toast(api.message(err), 'error');
      } finally {
        save.disabled = false;
      }
    });
    return h('span', { class: 'file' }, chip, save);
  }
}

export function evidenceList(gallery, list) {
  if (!list || !list.length) return null;
  const photos = list.filter((e) => e.kind === 'photo');
  const files = list.filter((e) => e.kind !== 'photo');
  return h('div', { class: 'evidence' },
    photos.length ? h('div', { class: 'thumbs' }, photos.map((e) => gallery.item(e))) : null,
    files.length ? h('div', { class: 'files' }, files.map((e) => gallery.item(e))) : null);
}
