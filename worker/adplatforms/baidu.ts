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

const LOGID_URL_CHARS = 1024;

/**
 * The landing URL within Baidu's 1,024 characters: a longer one loses the end
 * of its path, never the origin or the query (bd_vid), nor half an escape
 * (or half a character).
 */
export function logidUrlOf(url: string): string {
  if (url.length <= LOGID_URL_CHARS) return url;
  const m = /^(https?:\/\/[^/?#]+)([^?#]*)(.*)$/s.exec(url);
  if (!m) return url.slice(0, LOGID_URL_CHARS);
  const [, origin, path, query] = m;
  const room = LOGID_URL_CHARS - origin.length - query.length;
  if (room < 1) return url.slice(0, LOGID_URL_CHARS); // a click id no real bd_vid is (hostile input): it cannot be kept whole anyway
  return `${origin}${cutPath(path, room)}${query}`;
}

/** The path's first `room` characters, without half an escape or half a character's UTF-8 escapes at the end. */
function cutPath(path: string, room: number): string {
  const p = path.slice(0, room).replace(/%[0-9A-Fa-f]?$/, '');
  const bytes = (/(?:%[89A-Fa-f][0-9A-Fa-f])+$/.exec(p)?.[0].match(/%../g) ?? []).map((h) => parseInt(h.slice(1), 16));
  let i = bytes.length - 1;
  while (i >= 0 && (bytes[i] & 0xc0) === 0x80) i--; // back to the last character's lead byte
  if (i < 0) return p || '/';
  const need = bytes[i] >= 0xf0 ? 4 : bytes[i] >= 0xe0 ? 3 : bytes[i] >= 0xc0 ? 2 : 1;
  const have = bytes.length - i;
  return (have < need ? p.slice(0, p.length - have * 3) : p) || '/';
}

export const baidu: Platform = {
  id: 'baidu',
  // 3: 表单提交成功 (the docs' example). An unqualified lead voids that form conversion.
  defaults: { appointment: 3, unqualified: 3 },
  typeOk: (t) => typeof t === 'number',
  needsSecret: true,
  requires: [],
  async build(c, k) {
    const logidUrl = logidUrlOf(c.landingUrl);
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
