// The page's language and formats. The language is the person's language
// in the bot (the summary's "lang"); before it arrives, Telegram's
// language_code. Dates: 2021年11月1日 or 1 Nov 2021.

import zh from './words.zh.js';
import en from './words.en.js';

const dicts = { zh, en };
let lang = 'zh';

// langFrom maps a language code ("zh-hans", "en-US", "en") to one we have;
// anything else reads Chinese, the ledger's language.
export function langFrom(code) {
  return typeof code === 'string' && code.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export function setLang(l) {
  lang = dicts[l] ? l : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export function getLang() {
  return lang;
}

// t returns the text for key with {name} replaced from vars.
export function t(key, vars) {
  let s = dicts[lang][key] ?? zh[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function ymd(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s || '');
  return m ? [+m[1], +m[2], +m[3]] : null;
}

// date formats "2021-11-01": 2021年11月1日 or 1 Nov 2021.
export function date(s) {
  const d = ymd(s);
  if (!d) return s || '';
  return lang === 'zh' ? `${d[0]}年${d[1]}月${d[2]}日` : `${d[2]} ${monthsEn[d[1] - 1]} ${d[0]}`;
}

// shortDate is for chart axes: 11月1日 or 1 Nov.
export function shortDate(s) {
  const d = ymd(s);
  if (!d) return s || '';
  return lang === 'zh' ? `${d[1]}月${d[2]}日` : `${d[2]} ${monthsEn[d[1] - 1]}`;
}

// time formats an RFC 3339 time at the wall clock it was written with (the
// installation's zone, as the bot shows it), not the phone's.
export function time(s) {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})/.exec(s || '');
  if (!m) return s || '';
  return lang === 'zh' ? `${date(m[1])} ${m[2]}:${m[3]}` : `${date(m[1])}, ${m[2]}:${m[3]}`;
}

// percent formats a rate 0..1; null means nothing was due.
export function percent(v) {
  if (typeof v !== 'number' || !isFinite(v)) return '—';
  return `${Math.round(v * 100)}%`;
}
