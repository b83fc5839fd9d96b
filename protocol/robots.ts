// The group-chat robots' contract: a site's WeCom (企业微信) group robots and
// DingTalk (钉钉) custom robots that get the morning report, and their
// deliveries. Request schemas (valibot) are what the worker checks; the JSON
// types are what it answers. A robot's key, access token and signing secret
// are answered masked, never in full.
import * as v from 'valibot';
import { DELIVERY_STATUSES, type CrmDeliveryJson, type DeliveryStatus } from './admin';
import { oneOf, text } from './fields';
import { reportDay } from './reports';

export const ROBOT_KINDS = ['wecom', 'dingtalk'] as const;
export type RobotKind = (typeof ROBOT_KINDS)[number];

// ---------------------------------------------------------------- requests

/** A robot's id, chosen by the admin; "deliveries" names the deliveries list. */
const robotId = v.pipe(
  v.string('must be a robot id'),
  v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a robot id: 1 to 64 lowercase letters, digits, "-" or "_", starting with a letter or digit'),
  v.check((s) => s !== 'deliveries', 'must be a robot id other than "deliveries"'),
  v.examples(['sh-stores']),
);
export const RobotParams = v.object({ id: robotId });

/** The URL, or null when `s` is not one. */
function urlOf(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/** `param` of a pasted webhook URL, or the text itself when it is not a URL. */
function fromUrl(text: string, param: string): string {
  const s = text.trim();
  return /^https?:\/\//i.test(s) ? (urlOf(s)?.searchParams.get(param) ?? '') : s;
}

/**
 * The robot's credential as pasted: the bare value, or the whole webhook URL the
 * robot's settings show (the value is taken from its `param`).
 */
const credential = (what: string, param: string, pattern: RegExp, example: string) =>
  v.pipe(
    v.string(`must be ${what}`),
    v.maxLength(512, `must be ${what}`),
    v.transform((s) => fromUrl(s, param)),
    v.regex(pattern, `must be ${what}, or the robot's whole webhook URL`),
    v.description(`${what[0].toUpperCase()}${what.slice(1)}, or the whole webhook URL (its \`${param}\` is kept). Answered masked.`),
    v.examples([example]),
  );

const wecomKey = credential('the WeCom robot\'s key', 'key', /^[A-Za-z0-9_-]{8,128}$/, '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa');
const accessToken = credential('the DingTalk robot\'s access_token', 'access_token', /^[A-Za-z0-9_-]{8,128}$/, 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00');
const signingSecret = v.pipe(
  v.string('must be the robot\'s signing secret (SEC…)'),
  v.regex(/^SEC[A-Za-z0-9]{8,200}$/, 'must be the robot\'s signing secret: "SEC" and the letters and digits after it (加签)'),
  v.description('The DingTalk robot\'s signing secret (安全设置 → 加签). Answered masked.'),
  v.examples(['SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef']),
);

/** https, or plain http for local and .test hosts (development). */
const dashboardUrl = v.pipe(
  v.string('must be the dashboard\'s URL'),
  v.maxLength(2048, 'must be a URL of at most 2048 characters'),
  v.check((s) => /^https:\/\/[^/?#\s]+|^http:\/\/(localhost|127\.0\.0\.1|[a-z0-9.-]+\.test)(:\d+)?([/?#]|$)/i.test(s) && urlOf(s) !== null,
    'must be an absolute https URL (http only for localhost and .test hosts)'),
  v.description('The link under the report. Left out or null: the site\'s first allowed origin + `/dashboard`.'),
  v.examples(['https://o2o.example.cn/dashboard']),
);

const common = {
  name: v.optional(v.pipe(text(100), v.minLength(1, 'must be a name of at most 100 characters'), v.examples(['上海门店群']))),
  dashboardUrl: v.optional(v.nullable(dashboardUrl)),
  enabled: v.optional(v.boolean('must be true or false')),
};

/**
 * `PUT /api/v1/admin/sites/:site/robots/:id`: adds or changes a robot. The
 * credentials are required when the robot is new (or changes kind); left out
 * later, the stored ones are kept.
 */
export const RobotBody = v.variant('kind', [
  v.object({ kind: v.literal('wecom'), key: v.optional(wecomKey), ...common }),
  v.object({ kind: v.literal('dingtalk'), accessToken: v.optional(accessToken), secret: v.optional(signingSecret), ...common }),
], 'must be "wecom" or "dingtalk"');
export type RobotInput = v.InferOutput<typeof RobotBody>;

/** `POST …/robots/:id/test`: the report of `day` (default: the site's yesterday). */
export const RobotTestQuery = v.object({ day: v.optional(reportDay) });

/** A report's life is a CRM webhook's: pending, delivered or failed. */
export type RobotDeliveryStatus = DeliveryStatus;
export const RobotDeliveriesQuery = v.object({
  status: v.optional(oneOf(DELIVERY_STATUSES)),
  robot: v.optional(robotId),
});

// ---------------------------------------------------------------- answers

/** A report sent (or to send) as the CRM's deliveries show: `type` aside, the robot, the day and why it was sent. */
export interface RobotDeliveryJson extends Omit<CrmDeliveryJson, 'type'> {
  robot: string;
  day: string; // the site's local day the report is about
  kind: 'daily' | 'test';
}

/** A robot as the API shows it: credentials masked to their last 4 characters. */
export interface RobotJson {
  site: string;
  id: string;
  kind: RobotKind;
  name: string;
  key: string; // WeCom's key or DingTalk's access_token, masked: "••••5aaa"
  secret: string | null; // DingTalk's SEC…, masked; null for WeCom
  dashboardUrl: string | null; // as set; null: the site's default
  link: string | null; // the link the report carries now
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  deliveries: Record<RobotDeliveryStatus, number>;
  last: RobotDeliveryJson | null;
}

// ---------------------------------------------------------------- examples

const at = '2026-12-02T00:00:12.000Z';
const delivered: RobotDeliveryJson = {
  id: 'rbd_Q8zL2mN8xR1tVf3k', robot: 'sh-stores', day: '2026-12-01', kind: 'daily', status: 'delivered', attempts: 1,
  lastStatus: 200, lastError: null, nextAttemptAt: null, createdAt: at, deliveredAt: at,
};
const robot: RobotJson = {
  site: 'demo', id: 'sh-stores', kind: 'dingtalk', name: '上海门店群', key: '••••ffee', secret: '••••cdef',
  dashboardUrl: null, link: 'https://www.example.com/dashboard', enabled: true, createdAt: at, updatedAt: at,
  deliveries: { pending: 0, delivered: 31, failed: 0 }, last: delivered,
};

/** Example answers, one per endpoint, for the OpenAPI description. */
export const robotExamples = {
  robots: { site: 'demo', robots: [robot] } satisfies { site: string; robots: RobotJson[] },
  robot: { robot } satisfies { robot: RobotJson },
  removed: { site: 'demo', id: 'sh-stores', removed: true },
  queued: { site: 'demo', robot: 'sh-stores', id: 'rbd_Vf3kQ9zL2mN8xR1t', day: '2026-12-01', status: 'pending' as const },
  deliveries: { site: 'demo', deliveries: [delivered] } satisfies { site: string; deliveries: RobotDeliveryJson[] },
};
