// Driving the ingest queue's consumer directly, as the queue would: messages
// made by the real edge checks (checkBatch, messageOf), delivered in batches of
// our choosing to the worker's own queue() handler, and the ack/retry outcome.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import worker from '../../worker/index';
import { getSite } from '../../worker/db/sites';
import type { Env } from '../../worker/env';
import { requestFacts } from '../../worker/enrich';
import { checkBatch, messageOf } from '../../worker/ingest/edge';
import type { IngestMessage } from '../../worker/ingest/message';
import type { WireEvent } from '../../protocol/wire';

let seq = 0;

/** One /collect request's message, checked and enriched as the edge does (request.cf from `geo`). */
export async function message(site: string, events: WireEvent[], geo = { country: 'CN', region: 'Shanghai', city: 'Shanghai' }, receivedAt = Date.now()): Promise<IngestMessage> {
  const s = await getSite(env.DB, site);
  if (!s) throw new Error(`no site ${site}`);
  const req = new Request('http://o2o.test/collect', { method: 'POST', headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Mobile' } });
  Object.defineProperty(req, 'cf', { value: geo });
  const facts = { ...requestFacts(req, receivedAt) };
  const { events: queued } = checkBatch(s, events, facts);
  return messageOf(s, queued, facts);
}

export interface Delivery {
  id: string;
  body: unknown;
  attempts?: number;
}

/** Delivers one queue batch to the worker's consumer; returns the queue's view of it. */
export async function deliver(messages: Delivery[], queue = 'o2o-ingest') {
  const batch = createMessageBatch(queue, messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })));
  const ctx = createExecutionContext();
  await worker.queue!(batch as MessageBatch<unknown>, env as unknown as Env, ctx);
  return getQueueResult(batch, ctx);
}

export const msgId = () => `m${Date.now().toString(36)}${(seq++).toString(36)}`;
