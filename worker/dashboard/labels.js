// Names people read for the codes the reports key rows by. A site may name its
// channel codes (douyin_live → 抖音直播): the channel report's rows carry the
// name (`channelName`) and the session carries the site's map (`channelNames`).
// Either may be absent (an older worker, a site that named nothing): the code is
// then the label, as before.
import { h } from './dom.js';

/**
 * The site's name for a channel code, or null: the row's `channelName` first,
 * then the session site's `channelNames[code]`.
 * @param {string | null | undefined} code
 * @param {{ row?: { channelName?: string | null } | null, site?: { channelNames?: Record<string, string> | null } | null }} [from]
 */
export function channelName(code, { row, site } = {}) {
  const own = row?.channelName;
  if (typeof own === 'string' && own) return own;
  const names = site?.channelNames;
  const named = code && names && Object.prototype.hasOwnProperty.call(names, code) ? names[code] : null;
  return typeof named === 'string' && named ? named : null;
}

/** A channel as one line of text (chart axes, titles): its name, else its code, else —. */
export function channelLabel(code, from) {
  return channelName(code, from) ?? code ?? '—';
}

/** A channel as a table cell: the name with the code small after it, or the code alone. */
export function channelCell(code, from) {
  const name = channelName(code, from);
  if (!name) return code ?? '—';
  return h('span.named', { title: code }, name, ' ', h('small.code', null, code));
}
