// #/trends — closures against deadlines per week, and the burn-down to the
// plan's end. ECharts is loaded here only, so the other views do not wait
// for it. Its simple build has no legend or tooltip: the legend is ours and
// the figures are in a table under each chart.

import { h, replace } from './dom.js';
import { t, date, shortDate } from './i18n.js';
import * as api from './api.js';
import * as tg from './tg.js';
import { loading, loaded, section } from './ui.js';

let echartsLoad = null;

function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!echartsLoad) {
    echartsLoad = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = 'vendor/echarts.min.js';
      s.async = true;
      s.onload = () => (window.echarts ? resolve(window.echarts) : reject(new api.ApiError(0, 'network')));
      s.onerror = () => {
        echartsLoad = null;
        s.remove();
        reject(new api.ApiError(0, 'network'));
      };
      document.head.appendChild(s);
    });
  }
  return echartsLoad;
}

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function colours() {
  return {
    text: css('--text'), hint: css('--hint'), due: css('--chart-due'),
    closed: css('--chart-closed'), open: css('--chart-open'), ideal: css('--hint'), bg: css('--section'),
  };
}

function axes(c, labels) {
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: c.text, fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 4, right: 24, top: 12, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category', data: labels,
      axisLine: { lineStyle: { color: c.hint, opacity: 0.6 } }, axisTick: { show: false },
      axisLabel: { color: c.hint, fontSize: 11, interval: Math.max(0, Math.ceil(labels.length / 4) - 1) },
    },
    yAxis: {
      type: 'value', minInterval: 1,
      splitLine: { lineStyle: { color: c.hint, opacity: 0.25 } }, axisLabel: { color: c.hint, fontSize: 11 },
    },
  };
}

function weeklyOption(d) {
  const c = colours();
  const o = axes(c, d.weeks.map((w) => shortDate(w.week)));
  o.series = [
    { type: 'bar', name: t('series_due'), data: d.weeks.map((w) => w.due), itemStyle: { color: c.due, borderRadius: [2, 2, 0, 0] }, barGap: '0%', barCategoryGap: '20%' },
    { type: 'bar', name: t('series_closed'), data: d.weeks.map((w) => w.closed), itemStyle: { color: c.closed, borderRadius: [2, 2, 0, 0] } },
  ];
  return o;
}

function burndownOption(d) {
  const c = colours();
  const o = axes(c, d.burndown.map((p) => shortDate(p.date)));
  o.xAxis.boundaryGap = false;
  o.series = [
    { type: 'line', name: t('series_ideal'), data: d.burndown.map((p) => p.ideal), symbol: 'none', lineStyle: { color: c.ideal, type: 'dashed', width: 2 }, itemStyle: { color: c.ideal } },
    { type: 'line', name: t('series_open'), data: d.burndown.map((p) => p.open), symbol: 'circle', symbolSize: 5, lineStyle: { color: c.open, width: 3 }, itemStyle: { color: c.open }, areaStyle: { color: c.open, opacity: 0.12 } },
  ];
  return o;
}

function legend(items) {
  return h('ul', { class: 'chart-legend' }, items.map(([cls, label]) =>
    h('li', null, h('span', { class: 'swatch ' + cls, 'aria-hidden': 'true' }), label)));
}

function table(head, rows) {
  return h('details', { class: 'data' },
    h('summary', null, t('data_table')),
    h('div', { class: 'table-wrap' }, h('table', null,
      h('thead', null, h('tr', null, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((x, i) => (i === 0 ? h('th', { scope: 'row' }, x) : h('td', null, x)))))))));
}

let charts = []; // [{chart, option: fn}] of the view on screen
let data = null;

function redraw() {
  for (const c of charts) c.chart.setOption(c.option(data), true);
}

function resize() {
  for (const c of charts) c.chart.resize();
}

tg.on('scheme', () => {
  if (charts.length) requestAnimationFrame(redraw);
});

export default async function trends(main, ctx) {
  loading(main);
  const lib = loadECharts().catch(() => null);
  const d = await api.cached('trends');
  const echarts = await lib;
  if (!ctx.alive()) return;
  loaded(main);
  data = { weeks: d.weeks || [], burndown: d.burndown || [], plan_end: d.plan_end };
  const weeklyBox = h('div', { class: 'chart', role: 'img', 'aria-label': t('chart_weekly_label', { n: data.weeks.length }) });
  const last = data.burndown.filter((p) => p.open != null).pop();
  const burnBox = h('div', { class: 'chart', role: 'img', 'aria-label': t('chart_burndown_label', { open: last ? last.open : 0 }) });
  const empty = (n) => (n ? null : h('p', { class: 'hint' }, t('no_trend_data')));
  replace(main,
    h('h2', null, t('trends_heading')),
    section(t('weekly_heading'),
      h('p', { class: 'hint' }, t('weekly_hint')),
      legend([['chart-due', t('series_due')], ['chart-closed', t('series_closed')]]),
      data.weeks.length ? weeklyBox : empty(0),
      data.weeks.length ? table([t('col_week'), t('series_due'), t('series_closed')], data.weeks.map((w) => [date(w.week), w.due, w.closed])) : null),
    section(t('burndown_heading'),
      h('p', { class: 'hint' }, t('burndown_hint', { date: date(data.plan_end) })),
      legend([['chart-open', t('series_open')], ['chart-ideal', t('series_ideal')]]),
      data.burndown.length ? burnBox : empty(0),
      data.burndown.length ? table([t('col_date'), t('series_open'), t('series_ideal')], data.burndown.map((p) => [date(p.date), p.open ?? '—', p.ideal == null ? '—' : Math.round(p.ideal * 10) / 10])) : null));
  charts = [];
  if (!echarts) {
    for (const box of [weeklyBox, burnBox]) replace(box, h('p', { class: 'hint' }, t('chart_failed')));
  } else {
    if (data.weeks.length) charts.push({ chart: echarts.init(weeklyBox, null, { renderer: 'canvas' }), option: weeklyOption });
    if (data.burndown.length) charts.push({ chart: echarts.init(burnBox, null, { renderer: 'canvas' }), option: burndownOption });
    redraw();
    window.addEventListener('resize', resize);
  }
  return () => {
    window.removeEventListener('resize', resize);
    for (const c of charts) c.chart.dispose();
    charts = [];
  };
}
