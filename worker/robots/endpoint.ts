// Where a robot's message goes: the robots' documented webhook endpoints, with
// the credential in the query string as they expect it.
//   WeCom:    POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY
//   DingTalk: POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN&timestamp=T&sign=S
import type { RobotRow } from '../db/robots';
import { dingtalkSign } from './sign';

export const WECOM_SEND = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';
export const DINGTALK_SEND = 'https://oapi.dingtalk.com/robot/send';

/** The URL for one attempt at `nowMs` (DingTalk's signature is only good near its timestamp). */
export async function robotUrl(r: Pick<RobotRow, 'kind' | 'token' | 'secret'>, nowMs: number): Promise<string> {
  if (r.kind === 'wecom') return `${WECOM_SEND}?${new URLSearchParams({ key: r.token })}`;
  const q = new URLSearchParams({ access_token: r.token });
  if (r.secret) {
    q.set('timestamp', String(nowMs));
    q.set('sign', await dingtalkSign(r.secret, nowMs));
  }
  return `${DINGTALK_SEND}?${q}`;
}
