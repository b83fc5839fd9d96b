// Ocean Engine's (巨量引擎: Douyin, Toutiao) conversion API for landing pages:
//   POST https://analytics.oceanengine.com/api/v2/conversion
//     {"event_type", "context": {"ad": {"callback": <the landing's clickid>}}, "timestamp": ms, "properties"?: {"pay_amount"}}
// The callback identifies the click, so the request carries no credential.
// The answer is {"code": 0, "message"} on success.
// Documented (event-manager.oceanengine.com, as mirrored by its SDKs): the
// fields above, the callback taken from the landing URL's clickid, and the
// lead events form, clue_confirm (lead confirmed), arrival_lead (the lead came
// to the store), active_pay (paid). Assumed: pay_amount in yuan; a connector
// may name a secret, sent as the Access-Token header, for accounts whose
// reports are whitelisted that way (not confirmed in the public docs).
import { type Platform, zeroCode } from './request';

export const OCEANENGINE_CONVERSION = 'https://analytics.oceanengine.com/api/v2/conversion';

export const oceanengine: Platform = {
  id: 'oceanengine',
  defaults: { appointment: 'form', qualified: 'clue_confirm', arrival: 'arrival_lead', deal: 'active_pay' },
  typeOk: (t) => typeof t === 'string' && /^[a-z][a-z0-9_]*$/.test(t),
  needsSecret: false,
  requires: [],
  async build(c, k) {
    const body = JSON.stringify({
      event_type: c.type,
      context: { ad: { callback: c.clickId } },
      timestamp: c.happenedAt,
      ...(c.value !== null ? { properties: { pay_amount: c.value / 100 } } : {}),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (k.secret) headers['access-token'] = k.secret;
    return { url: OCEANENGINE_CONVERSION, headers, body, shown: body };
  },
  verdict: zeroCode('code', 'message'),
};
