// The Channels tab's mini program panel: the visitors whose first landing was
// in the brand's WeChat mini program, by launch scene (a scanned poster's code
// is not a card shared in a chat), with how many of them booked, arrived and
// bought. Drawn only when the range has such visitors: a web-only brand never
// sees an empty panel about a mini program it does not have.
import { scenesCsv } from '../client.js';
import { h, table } from '../dom.js';
import { getLang, money, num, pct, t } from '../i18n.js';

/** The panel, or null when the report is empty or failed (the tab's own report says what failed). */
export function scenesPanel(report, ctx) {
  if (!report || report.error || !report.rows?.length) return null;
  const rate = (k) => (r) => (r.visitors > 0 ? pct(r[k] / r.visitors) : '—');
  const columns = [
    { label: t('scene'), get: (r) => (r.name ? `${r.name} ${r.scene}` : r.scene) },
    { label: t('visitors'), key: 'visitors', num: true, fmt: (v) => num(v) },
    { label: t('scene.booked'), key: 'booked', num: true, fmt: (v) => num(v) },
    { label: t('scene.arrived'), key: 'arrived', num: true, fmt: (v) => num(v) },
    { label: t('scene.bought'), key: 'bought', num: true, fmt: (v) => num(v) },
    { label: t('scene.bookRate'), get: rate('booked'), num: true },
    { label: t('revenue'), key: 'revenue', num: true, fmt: (v) => money(v, ctx.currency) },
  ];
  const csv = { report: 'scenes', from: ctx.from, to: ctx.to, file: () => scenesCsv({ site: ctx.site, from: ctx.from, to: ctx.to, lang: getLang() }) };
  return h('section.panel.scenes', null, h('h2', null, t('scene.title')), h('p.hint', null, t('scene.about')), table(columns, report.rows, { csv }));
}
