// The ad platforms' contract: a site's connectors that send the funnel's stages
// back to Baidu oCPC, Ocean Engine, Tencent Ads and 360, and what each platform
// answered. Request schemas (valibot) are what the worker checks; the JSON
// types are what it answers. No credential travels here: a connector names the
// Worker secret that holds it.
import * as v from 'valibot';
import { DELIVERY_STATUSES, type DeliveryStatus } from './admin';
import { oneOf } from './fields';

export const AD_PLATFORMS = ['baidu', 'oceanengine', 'tencent', 'qihoo360'] as const;
export type AdPlatform = (typeof AD_PLATFORMS)[number];

/**
 * The landing parameters that carry each platform's click id. The worker keeps
 * them on a landing (worker/validate/event.ts) whether or not the script tag's
 * defaults send them (`data-click-ids` adds the others).
 */
export const AD_CLICK_PARAMS: Record<AdPlatform, readonly string[]> = {
  baidu: ['bd_vid'],
  oceanengine: ['clickid'],
  tencent: ['gdt_vid', 'qz_gdt'], // gdt_vid inside WeChat, qz_gdt elsewhere
  qihoo360: ['qhclickid'],
};

/** The funnel's stages a platform can be told: the lead made, its screening, the store visit, the sale. */
export const AD_STAGES = ['appointment', 'qualified', 'unqualified', 'arrival', 'deal'] as const;
export type AdStage = (typeof AD_STAGES)[number];

/** The Worker secret a connector reads: its platform's prefix, then capitals, digits and "_". */
export const SECRET_PREFIX: Record<AdPlatform, string> = { baidu: 'BAIDU_', oceanengine: 'OCEANENGINE_', tencent: 'TENCENT_', qihoo360: 'QIHOO360_' };

// ---------------------------------------------------------------- requests

export const AdPlatformParams = v.object({ platform: oneOf(AD_PLATFORMS) });

const secretName = v.pipe(
  v.string('must be the name of a Worker secret'),
  v.regex(/^[A-Z][A-Z0-9_]{2,63}$/, 'must be the name of a Worker secret: 3 to 64 capitals, digits or "_"'),
  v.description('The Worker secret holding the credential (`wrangler secret put <name>`), read at send time. It must start with the platform\'s prefix: BAIDU_, OCEANENGINE_, TENCENT_ or QIHOO360_.'),
  v.examples(['BAIDU_OCPC_TOKEN_MUYU']),
);

/** A conversion type as the platform names it: Baidu's numbers, the others' words. Null: do not send this stage. */
const convType = v.nullable(v.union([
  v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(9999)),
  v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)),
], 'must be the platform\'s conversion type (a number for Baidu, a word such as "RESERVATION" for the others), or null'));

export const AdTypesBody = v.strictObject(
  Object.fromEntries(AD_STAGES.map((s) => [s, v.optional(convType)])) as Record<AdStage, v.OptionalSchema<typeof convType, undefined>>,
  `must map stages (${AD_STAGES.join(', ')}) to the platform's conversion types`,
);
export type AdTypes = Partial<Record<AdStage, number | string>>;

const numericId = (what: string) => v.pipe(v.string(`must be ${what}`), v.regex(/^\d{1,15}$/, `must be ${what}: digits only`));

/**
 * `PUT /api/v1/admin/sites/:site/adplatforms/:platform`: adds or changes the
 * site's connector. `types` is merged over what was set (the platform's
 * defaults for a new one); a stage set to null is no longer sent.
 */
export const AdConnectorBody = v.strictObject({
  secretName: v.optional(v.nullable(secretName)),
  types: v.optional(AdTypesBody),
  enabled: v.optional(v.boolean('must be true or false')),
  accountId: v.optional(numericId('the Tencent Ads account id')),
  userActionSetId: v.optional(numericId('the Tencent Ads data source id (user_action_set_id)')),
  appKey: v.optional(v.pipe(v.string('must be the 360 App-Key'), v.regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be the 360 App-Key: letters, digits, "-" or "_"'))),
}, 'must hold only secretName, types, enabled, accountId, userActionSetId and appKey');
export type AdConnectorInput = v.InferOutput<typeof AdConnectorBody>;

export const AdDeliveriesQuery = v.object({
  status: v.optional(oneOf(DELIVERY_STATUSES)),
  platform: v.optional(oneOf(AD_PLATFORMS)),
});

// ---------------------------------------------------------------- answers

export interface AdConnectorJson {
  site: string;
  platform: AdPlatform;
  enabled: boolean;
  secretName: string | null; // the Worker secret's name, never its value
  secretSet: boolean; // whether the worker has that secret now
  types: AdTypes; // stage → the platform's conversion type; a stage absent is not sent
  settings: { accountId?: string; userActionSetId?: string; appKey?: string };
  createdAt: string;
  updatedAt: string;
  deliveries: Record<DeliveryStatus, number>;
}

/** One conversion: what was sent (credential masked) and what the platform answered. */
export interface AdDeliveryJson {
  id: string;
  platform: AdPlatform;
  lead: string;
  stage: AdStage;
  type: string | null; // the conversion type of the last attempt
  clickId: string;
  value: number | null; // the deal's amount, minor units
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null; // the platform's HTTP status
  lastError: string | null;
  sent: string | null; // the body as sent, credential masked
  answer: string | null; // the start of the platform's answer
  happenedAt: string;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

// ---------------------------------------------------------------- examples

const at = '2026-12-01T06:30:00.000Z';
const connector: AdConnectorJson = {
  site: 'demo', platform: 'baidu', enabled: true, secretName: 'BAIDU_OCPC_TOKEN_MUYU', secretSet: true,
  types: { appointment: 3, unqualified: 3 }, settings: {}, createdAt: at, updatedAt: at,
  deliveries: { pending: 0, delivered: 42, failed: 1 },
};
const delivery: AdDeliveryJson = {
  id: 'add_3f9a0c51d2e84b17', platform: 'baidu', lead: '2Y649R', stage: 'appointment', type: '3', clickId: 'bd-click-8843',
  value: null, status: 'delivered', attempts: 1, lastStatus: 200, lastError: null,
  sent: '{"token":"••••","conversionTypes":[{"logidUrl":"https://www.example.com/sofa?bd_vid=bd-click-8843","newType":3,"convertTime":1796106600}]}',
  answer: '{"header":{"desc":"success","status":0}}', happenedAt: at, nextAttemptAt: null, createdAt: at, deliveredAt: at,
};

/** Example answers, one per endpoint, for the OpenAPI description. */
export const adPlatformExamples = {
  connectors: { site: 'demo', connectors: [connector] } satisfies { site: string; connectors: AdConnectorJson[] },
  connector: { connector } satisfies { connector: AdConnectorJson },
  removed: { site: 'demo', platform: 'baidu' as const, removed: true },
  deliveries: { site: 'demo', deliveries: [delivery] } satisfies { site: string; deliveries: AdDeliveryJson[] },
};
