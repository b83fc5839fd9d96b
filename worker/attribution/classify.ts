// Which channel a landing (a view event) comes from. An explicit channel code
// in the URL wins; a landing with nothing to go on is 'direct'.
import { DEFAULT_PARAMS, type WireEvent } from '../../sdk/protocol';
import type { Touch } from '../db/events';

export const DIRECT = 'direct';

/** The touch a landing makes. Source and medium follow GA's vocabulary. */
export function classifyLanding(e: WireEvent): Touch {
  const q = e.q ?? {};
  const code = q[DEFAULT_PARAMS.channel]?.trim().toLowerCase();
  const promoter = q[DEFAULT_PARAMS.promoter]?.trim() || null;
  const campaign = q.utm_campaign?.trim() || null;
  if (code) return { channel: code, source: q.utm_source ?? code, medium: q.utm_medium ?? null, campaign, promoter };
  return { channel: DIRECT, source: '(direct)', medium: '(none)', campaign, promoter };
}
