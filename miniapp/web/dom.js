// Building the page without innerHTML: every string becomes a text node,
// so ledger text can never be read as markup.

// h('div', {class: 'x', onclick: fn, 'aria-label': '…'}, child, …)
// Children: strings and numbers (as text), nodes, arrays, null/false (skipped).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// replace empties el and fills it with children.
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const svgNS = 'http://www.w3.org/2000/svg';

// Icons: fixed path data of our own, never data from the ledger.
const paths = {
  overview: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  departments: 'M4 6h16M4 12h16M4 18h10',
  trends: 'M3 17l6-6 4 4 8-8M15 7h6v6',
  overdue: 'M12 3a9 9 0 110 18 9 9 0 010-18zM12 7v5l3 3',
  back: 'M15 5l-7 7 7 7',
  refresh: 'M20 12a8 8 0 11-2.3-5.7M20 4v5h-5',
  check: 'M5 12.5l4.5 4.5L19 7',
  file: 'M14 3H6v18h12V7zM14 3v4h4',
  send: 'M3 11l18-8-8 18-2-8zM11 13l10-10',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
};

export function icon(name, cls) {
  const svg = document.createElementNS(svgNS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', cls || 'icon');
  const p = document.createElementNS(svgNS, 'path');
  p.setAttribute('d', paths[name] || '');
  svg.appendChild(p);
  return svg;
}
