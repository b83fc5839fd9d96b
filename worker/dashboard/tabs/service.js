// Service (issue 9): first-response times per agent, channel or day as a chart,
// and the questions customers keep asking with their conversion; a CSV of the table.
import { serviceCsv, serviceReport } from '../client.js';
import { chart, palette } from '../charts.js';
import { empty, h, render, table } from '../dom.js';
import { day, duration, getLang, num, pct, t } from '../i18n.js';
import { channelCell, channelLabel } from '../labels.js';

const view = { by: 'agent' };
const sec = (ms) => (typeof ms === 'number' ? Math.round(ms / 100) / 10 : null);

export async function serviceTab(main, ctx) {
  const q = { site: ctx.site, from: ctx.from, to: ctx.to, by: view.by };
  const body = await serviceReport(q);
  const { rows, topics } = body;
  const seg = h('div.segmented', { role: 'group', 'aria-label': t('by') },
    ['agent', 'channel', 'day'].map((v) => h('button', { type: 'button', 'aria-pressed': String(view.by === v), onclick: () => { view.by = v; ctx.redraw(); } }, t(v))));
  const total = body.totals.conversations;
  if (!total) return render(main, h('div.toolbar', null, seg), empty(t('empty.service'), t('empty.service.next')));
  // The chat system's channel codes are the site's channel codes: named the same way.
  const label = (r) => (view.by === 'day' ? day(r.day) : view.by === 'channel' ? channelLabel(r.channel, { site: ctx.info }) : r[view.by] ?? '—');
  const cols = [
    { label: t(view.by), get: (r) => (view.by === 'channel' && r.channel ? channelCell(r.channel, { site: ctx.info }) : label(r)) },
    { label: t('conversations'), key: 'conversations', num: true, fmt: (v) => num(v) },
    { label: t('visitors'), key: 'visitors', num: true, fmt: (v) => num(v) },
    { label: t('unanswered'), key: 'unanswered', num: true, fmt: (v) => num(v) },
    { label: t('firstResponse'), key: 'firstResponseMedianMs', num: true, fmt: duration },
    { label: t('firstResponseP90'), key: 'firstResponseP90Ms', num: true, fmt: duration },
    { label: t('withinTarget'), key: 'withinTargetRate', num: true, fmt: pct },
    { label: t('duration'), key: 'durationMedianMs', num: true, fmt: duration },
    { label: t('appointmentRate'), key: 'appointmentRate', num: true, fmt: pct },
  ];
  render(
    main,
    h('div.toolbar', null, seg),
    h('div.grid-2', null,
      chart(t('responseChart'), {
        tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v} ${t('seconds')}`) },
        legend: { top: 0 },
        color: palette,
        grid: { left: 10, right: 10, top: 40, bottom: 10, containLabel: true },
        xAxis: { type: 'category', data: rows.map(label) },
        yAxis: { type: 'value', name: t('seconds') },
        series: [
          { type: 'bar', name: t('firstResponse'), data: rows.map((r) => sec(r.firstResponseMedianMs)) },
          { type: 'bar', name: t('firstResponseP90'), data: rows.map((r) => sec(r.firstResponseP90Ms)) },
        ],
      }, { name: 'response' }),
      h('section.panel', null, h('h2', null, t('topics')), topics.length
        ? table([
          { label: t('topic'), key: 'topic' },
          { label: t('conversations'), key: 'conversations', num: true, fmt: (v) => num(v) },
          { label: t('appointmentRate'), key: 'appointmentRate', num: true, fmt: pct },
        ], topics)
        : h('p.muted', null, '—')),
    ),
    h('section.panel', null, table(cols, rows, { csv: { report: `service-${view.by}`, from: ctx.from, to: ctx.to, file: () => serviceCsv({ ...q, lang: getLang() }) } })),
  );
}
