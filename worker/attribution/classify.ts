// Which channel a landing (a view event) comes from. An explicit channel code
// in the URL wins; a landing with nothing to go on is 'direct'.
import { DEFAULT_PARAMS, type WireEvent } from '../../sdk/protocol';

export const DIRECT = 'direct';

export interface Landing {
  channel: string;
  promoter: string | null;
}

export function classifyLanding(e: WireEvent): Landing {
  const q = e.q ?? {};
  const code = q[DEFAULT_PARAMS.channel]?.trim();
  return { channel: code ? code.toLowerCase() : DIRECT, promoter: q[DEFAULT_PARAMS.promoter]?.trim() || null };
}
