// The ingest queue's consumer. A queue batch is grouped by site and each site's
// messages folded in one commit (worker/ingest/commit.ts). What can never fold
// (a shape this code does not know, a site that is gone) is set aside in the
// dead-letter queue at once and never blocks the rest; a fold that fails is
// tried again message by message, so one poisoned message is retried alone and,
// after max_retries (wrangler.toml), lands in the dead-letter queue too. The
// dead-letter queue's own consumer archives what reaches it to R2 (dead-letter/).
import { BROWSER_EVENT_TYPES, LIMITS } from '../../protocol/wire';
import { sendAdsSoon } from '../adplatforms/outbox';
import { deliverSoon } from '../crm/notify';
import { forgetSite, getSite, getSiteCached } from '../db/sites';
import type { Env } from '../env';
import { commitFold } from './commit';
import { MESSAGE_VERSION, type IngestMessage, type RecreditMessage } from './message';
import { recreditStep } from './recredit';

export async function consume(batch: MessageBatch<unknown>, env: Env, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<void> {
  if (batch.queue.endsWith('-dlq')) return archiveDead(batch, env);
  const bySite = new Map<string, Message<IngestMessage>[]>();
  for (const m of batch.messages) {
    const problem = messageProblem(m.body);
    if (problem) {
      await setAside(env, m, problem);
      continue;
    }
    if ((m.body as RecreditMessage).kind === 'recredit') {
      await recredit(env, m as Message<RecreditMessage>);
      continue;
    }
    const msg = m as Message<IngestMessage>;
    (bySite.get(msg.body.site) ?? bySite.set(msg.body.site, []).get(msg.body.site)!).push(msg);
  }
  for (const [siteKey, msgs] of bySite) await foldSite(env, ctx, siteKey, msgs);
}

async function foldSite(env: Env, ctx: Pick<ExecutionContext, 'waitUntil'>, siteKey: string, msgs: Message<IngestMessage>[]): Promise<void> {
  const site = await getSiteCached(env.DB, siteKey);
  if (!site) {
    for (const m of msgs) await setAside(env, m, `site "${siteKey}" is not registered`);
    return;
  }
  try {
    const done = await commitFold(env, site, msgs.map((m) => m.body), msgs.map((m) => m.id));
    for (const m of msgs) m.ack();
    if (done.webhooks) deliverSoon(env.DB, siteKey, (p) => ctx.waitUntil(p));
    if (done.adConversions) sendAdsSoon(env.DB, env as unknown as Record<string, unknown>, siteKey, (p) => ctx.waitUntil(p));
  } catch (err) {
    if (msgs.length > 1) {
      // Find the one that fails: the others fold now, it alone is retried.
      for (const m of msgs) await foldSite(env, ctx, siteKey, [m]);
      return;
    }
    // Folded with a cached half-life the admin has since changed: the retry reads the site afresh.
    if (String(err).includes('the half-life changed')) forgetSite(siteKey);
    console.error(`fold of message ${msgs[0].id} (site ${siteKey}, attempt ${msgs[0].attempts}) failed`, err);
    msgs[0].retry({ delaySeconds: Math.min(300, 2 ** msgs[0].attempts) });
  }
}

/** One step of a half-life change's re-share; the next step is the next message. */
async function recredit(env: Env, m: Message<RecreditMessage>): Promise<void> {
  try {
    // Fresh, not cached: the change was just made. A newer change sent its own steps.
    const site = await getSite(env.DB, m.body.site);
    if (site && site.halfLifeDays === m.body.h) {
      const after = await recreditStep(env.DB, site, m.body.after);
      if (after !== null) await env.INGEST.send({ ...m.body, after }, { contentType: 'json' });
    }
    m.ack();
  } catch (err) {
    console.error(`re-share step of site ${m.body.site} failed`, err);
    m.retry({ delaySeconds: Math.min(300, 2 ** m.attempts) });
  }
}

async function setAside(env: Env, m: Message<unknown>, reason: string): Promise<void> {
  try {
    await env.INGEST_DLQ.send({ id: m.id, reason, at: Date.now(), body: m.body }, { contentType: 'json' });
    m.ack();
  } catch (err) {
    console.error(`could not set message ${m.id} aside`, err);
    m.retry();
  }
}

/** Dead letters kept where an admin can read them: dead-letter/day=YYYY-MM-DD/<id>.json. */
async function archiveDead(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const m of batch.messages) {
    const day = new Date(m.timestamp).toISOString().slice(0, 10);
    try {
      await env.ARCHIVE.put(`dead-letter/day=${day}/${m.id}.json`, JSON.stringify({ id: m.id, attempts: m.attempts, body: m.body }), {
        httpMetadata: { contentType: 'application/json' },
      });
      m.ack();
    } catch (err) {
      console.error(`could not archive dead letter ${m.id}`, err);
      m.retry();
    }
  }
}

const str = (x: unknown, max: number) => typeof x === 'string' && x.length > 0 && x.length <= max;

/** Why a message cannot be folded, or null. The edge validated every event; this checks the shape survived. */
export function messageProblem(body: unknown): string | null {
  const m = body as Partial<IngestMessage> | null;
  if (typeof m !== 'object' || m === null) return 'not an object';
  if (m.v !== MESSAGE_VERSION) return `unknown message version ${JSON.stringify(m.v)}`;
  if (!str(m.site, LIMITS.siteKeyLength)) return 'no site key';
  const r = body as Partial<RecreditMessage>;
  if (r.kind === 'recredit') return Number.isInteger(r.h) && typeof r.after === 'string' ? null : 'a re-share step without its half-life or cursor';
  if (typeof m.at !== 'number' || !Number.isFinite(m.at)) return 'no receive time';
  if (typeof m.geo !== 'object' || m.geo === null) return 'no geo';
  if (!Array.isArray(m.events) || m.events.length > LIMITS.maxEvents) return 'events is not a bounded array';
  if (m.bot !== undefined && !(Number.isInteger(m.bot) && m.bot >= 0)) return 'bad bot count';
  for (const [i, q] of m.events.entries()) {
    const e = (q as unknown as { e?: Record<string, unknown> } | null)?.e;
    const ok = !!e && str(e.i, LIMITS.idLength) && str(e.v, LIMITS.idLength) && str(e.ss, LIMITS.idLength)
      && typeof e.ts === 'number' && Number.isFinite(e.ts) && (BROWSER_EVENT_TYPES as readonly unknown[]).includes(e.t);
    if (!ok) return `event ${i} is malformed`;
  }
  return null;
}
