// The JSON API under /app/api/ (miniapp/server.go's routes): every call
// carries Telegram's initData; errors come back as {"error": CODE}.

import { t } from './i18n.js';

let initData = '';

export function setInitData(s) {
  initData = s || '';
}

export class ApiError extends Error {
  constructor(status, code) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

// codeFor names an answer without a JSON body by its status.
function codeFor(status) {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'already_decided';
    case 502:
    case 503:
    case 504: return 'try_later';
    default: return status >= 500 ? 'server' : 'http_' + status;
  }
}

const timeoutMs = 20000;

async function send(url, opts, parse) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let res;
  try {
    res = await fetch(url, {
      method: opts.method || 'GET',
      headers: Object.assign({ Authorization: 'tma ' + initData }, opts.body ? { 'Content-Type': 'application/json' } : {}),
      body: opts.body ? JSON.stringify(opts.body) : undefined,
      signal: ctl.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network');
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    let code = '';
    try {
      const j = await res.json();
      if (j && typeof j.error === 'string') code = j.error;
    } catch {
      // not JSON: a proxy's page
    }
    if (!code || (res.status >= 500 && code !== 'try_later')) code = codeFor(res.status);
    throw new ApiError(res.status, code);
  }
  try {
    return await parse(res);
  } catch {
    throw new ApiError(0, 'network');
  }
}

// get fetches api/<path> (relative to /app/) as JSON.
export function get(path) {
  return send('api/' + path, {}, (r) => r.json());
}

const cache = new Map(); // path → {at, data}
const cacheMs = 60000;

// cached answers a GET from memory when it is under a minute old, so moving
// between tabs does not wait; a decision or the refresh button clears it.
export async function cached(path) {
  const c = cache.get(path);
  if (c && Date.now() - c.at < cacheMs) return c.data;
  const data = await get(path);
  cache.set(path, { at: Date.now(), data });
  return data;
}

export function invalidate() {
  cache.clear();
}

export function post(path, body) {
  return send('api/' + path, { method: 'POST', body }, (r) => r.json());
}

// blob fetches an evidence file (an <img> cannot send the Authorization
// header). Only same-origin URLs: initData must not leave the server.
export function blob(url) {
  const u = new URL(url, location.href);
  if (u.origin !== location.origin) return Promise.reject(new ApiError(0, 'forbidden'));
  return send(u.href, {}, (r) => r.blob());
}

const known = new Set(['unauthorized', 'not_linked', 'forbidden', 'not_found', 'already_decided',
  'own_request', 'bad_request', 'reason_required', 'reason_too_long', 'file_gone', 'blocked',
  'try_later', 'server', 'network']);

// message is the person's words for an error.
export function message(err) {
  const code = err && err.code;
  if (known.has(code)) return t('err_' + code);
  return t('err_unknown', { code: code || String(err) });
}
