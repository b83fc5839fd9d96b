// 360 (点睛) search oCPC conversions. 360's own public pages confirm the click
// id (`qhclickid` on the landing URL), API upload as a data source and the
// management API's headers, but not the upload endpoint itself. The shape
// here is the one open-source 360 integrations send, NOT confirmed against
// 360's documentation; check it in 360's 联调 (integration test) before
// relying on it:
//   POST https://convert.dop.360.cn/uploadWebConvert
//     headers App-Key: <app key>, App-Sign: md5(<secret> + <body>)
//     {"data": {"request_time": s, "data_industry": "ocpc_ps_convert",
//      "data_detail": {"qhclickid", "trans_id", "event", "event_time": s}}}
//   answer {"errno": 0, "error"} on success.
// Events seen: SUBMIT (form), ADVISORY (consult), CALL (phone connected).
import { secondsOf, type Platform, zeroCode } from './request';

export const QIHOO360_UPLOAD = 'https://convert.dop.360.cn/uploadWebConvert';

async function md5Hex(s: string): Promise<string> {
  // workerd's WebCrypto offers MD5 (non-standard) for exactly such legacy signatures.
  const d = new Uint8Array(await crypto.subtle.digest('MD5', new TextEncoder().encode(s)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const qihoo360: Platform = {
  id: 'qihoo360',
  defaults: { appointment: 'SUBMIT' },
  typeOk: (t) => typeof t === 'string' && /^[A-Z][A-Z0-9_]*$/.test(t),
  needsSecret: true,
  requires: ['appKey'],
  async build(c, k, now) {
    const body = JSON.stringify({
      data: {
        request_time: secondsOf(now),
        data_industry: 'ocpc_ps_convert',
        data_detail: { qhclickid: c.clickId, trans_id: c.id, event: c.type, event_time: secondsOf(c.happenedAt) },
      },
    });
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'app-key': k.settings.appKey ?? '',
      'app-sign': await md5Hex(`${k.secret ?? ''}${body}`),
    };
    return { url: QIHOO360_UPLOAD, headers, body, shown: body };
  },
  verdict: zeroCode('errno', 'error'),
};
