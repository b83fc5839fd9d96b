// Tencent Ads' Marketing API, user actions (datanexus.qq.com "用户行为添加/更新"):
//   POST https://api.e.qq.com/v1.3/user_actions/add?access_token=…&timestamp=<s>&nonce=<≤32 chars>
//     {"account_id", "user_action_set_id", "actions": [{"outer_action_id", "action_time": s,
//      "action_type", "trace": {"click_id"}, "url", "action_param"?: {"value": fen}}]}
// click_id is the landing's gdt_vid (inside WeChat) or qz_gdt. outer_action_id
// lets Tencent drop a repeat (letters, digits and "_"). The answer is
// {"code": 0, "message"} on success.
// Documented: the fields above, the query's timestamp within 300 s, the
// actions RESERVATION, CONFIRM_EFFECTIVE_LEADS, COMPLETE_ORDER with
// action_param.value in fen. Not documented for web leads: an invalid-lead or
// store-visit action, so those stages have no default.
import { secondsOf, type Platform, zeroCode } from './request';

export const TENCENT_USER_ACTIONS = 'https://api.e.qq.com/v1.3/user_actions/add';

/** A nonce of 32 hex characters (the API's limit). */
function nonce(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export const tencent: Platform = {
  id: 'tencent',
  defaults: { appointment: 'RESERVATION', qualified: 'CONFIRM_EFFECTIVE_LEADS', deal: 'COMPLETE_ORDER' },
  typeOk: (t) => typeof t === 'string' && /^[A-Z][A-Z0-9_]*$/.test(t),
  needsSecret: true,
  requires: ['accountId', 'userActionSetId'],
  async build(c, k, now) {
    const action = {
      outer_action_id: c.id.replace(/[^A-Za-z0-9_]/g, '_'),
      action_time: secondsOf(c.happenedAt),
      action_type: c.type,
      trace: { click_id: c.clickId },
      url: c.landingUrl,
      ...(c.value !== null ? { action_param: { value: c.value } } : {}),
    };
    const body = JSON.stringify({ account_id: Number(k.settings.accountId), user_action_set_id: Number(k.settings.userActionSetId), actions: [action] });
    const q = new URLSearchParams({ access_token: k.secret ?? '', timestamp: String(secondsOf(now)), nonce: nonce() });
    return { url: `${TENCENT_USER_ACTIONS}?${q}`, headers: { 'content-type': 'application/json; charset=utf-8' }, body, shown: body };
  },
  verdict: zeroCode('code', 'message'),
};
