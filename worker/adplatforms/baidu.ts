// Baidu oCPC's conversion API (ocpx.baidu.com, "广告主回传转化数据接口" and
// "广告主回传无效转化数据接口"):
//   POST https://ocpc.baidu.com/ocpcapi/api/uploadConvertData
//     {"token", "conversionTypes": [{"logidUrl", "newType", "convertTime"?, "convertValue"?}]}
//   POST https://ocpc.baidu.com/ocpcapi/api/uploadInvalidConvertData
//     {"token", "invalidConversionTypes": [{"logidUrl", "convertType", "convertTime", "invalidReason"?}]}
// `logidUrl` is the landing URL carrying bd_vid (≤ 1024 characters); the token
// is the account's API token, in the body. The answer is {"header": {"status",
// "desc", ...}}: status 0 is success.
// Documented: the fields above, the endpoints, newType 3 (form submitted) in
// the docs' example, an invalid lead reported with the convertType of the
// conversion it voids. Assumed (seen in open-source clients, not in the pages
// we could read): convertValue in fen, and the answer's header.status.
import { jsonOf, MASK, refusal, secondsOf, type Platform } from './request';

export const BAIDU_CONVERT = 'https://ocpc.baidu.com/ocpcapi/api/uploadConvertData';
export const BAIDU_INVALID = 'https://ocpc.baidu.com/ocpcapi/api/uploadInvalidConvertData';

export const baidu: Platform = {
  id: 'baidu',
  // 3: 表单提交成功 (the docs' example). An unqualified lead voids that form conversion.
  defaults: { appointment: 3, unqualified: 3 },
  typeOk: (t) => typeof t === 'number',
  needsSecret: true,
  requires: [],
  async build(c, k) {
    const logidUrl = c.landingUrl.slice(0, 1024);
    const token = k.secret ?? '';
    const item = c.stage === 'unqualified'
      ? { logidUrl, convertType: c.type, convertTime: secondsOf(c.happenedAt), ...(c.reason ? { invalidReason: c.reason } : {}) }
      : { logidUrl, newType: c.type, convertTime: secondsOf(c.happenedAt), ...(c.value !== null ? { convertValue: c.value } : {}) };
    const key = c.stage === 'unqualified' ? 'invalidConversionTypes' : 'conversionTypes';
    return {
      url: c.stage === 'unqualified' ? BAIDU_INVALID : BAIDU_CONVERT,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token, [key]: [item] }),
      shown: JSON.stringify({ token: MASK, [key]: [item] }),
    };
  },
  verdict(status, text) {
    if (status !== 200) return `HTTP ${status}`;
    const header = jsonOf(text)?.header as Record<string, unknown> | undefined;
    if (!header || typeof header !== 'object') return 'the answer has no header';
    return header.status === 0 ? null : refusal(header.status, header.desc);
  },
};
