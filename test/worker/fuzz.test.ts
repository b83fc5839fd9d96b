// Property-based battery (fast-check) against the real worker and D1: thousands
// of generated and mutated bodies. Properties: no input gets a 5xx or a non-JSON
// answer; in any batch, every event not listed as rejected is stored exactly
// once (a replay stores nothing more), every generated-valid event is accepted
// (props past their limits included: trimmed, stored within LIMITS) and every
// generated-invalid one rejected at its index.
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_EVENT_TYPES, DEFAULT_PARAMS, LIMITS, type CollectResult } from '../../protocol/wire';
import { gunzipLines } from '../../worker/archive/chunks';
import { call, createSite, post } from './helpers';

const RAW_RUNS = 2000;
const BATCH_RUNS = 700;
const counts = { raw: 0, batches: 0, replays: 0, events: 0, statuses: {} as Record<number, number> };

// Failures end the run at once (endOnFailure) with fast-check's seed and path to replay them:
// shrinking would re-post against a database that remembers every earlier run, for minutes.
let seq = 0;
const fresh = () => `f${(seq++).toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
const now = Date.now();

// Strings of any UTF-16 content, cut to the limit (a cut surrogate pair is still a string of that length).
const text = (max: number) => fc.string({ unit: 'binary', maxLength: max }).map((s) => s.slice(0, max));
const ascii = (max: number) => fc.string({ maxLength: max });
const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const PARAM_KEYS = [DEFAULT_PARAMS.channel, DEFAULT_PARAMS.promoter, ...DEFAULT_PARAMS.utm.split(','), ...DEFAULT_PARAMS.clickIds.split(',')];
// Prop values of every JSON kind, strings past their limit: the worker trims props, never refuses them.
const propValue = fc.oneof(text(2 * LIMITS.propValueLength), fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null), fc.jsonValue());

/** An event the worker must accept (its id is replaced by a fresh one at run time). */
const validEvent = fc
  .record(
    {
      t: fc.constantFrom(...BROWSER_EVENT_TYPES),
      ts: fc.integer({ min: now - 10 * 86_400_000, max: now + 86_400_000 }),
      v: fc.constantFrom('fz-v1', 'fz-v2', 'fz-v3').chain((v) => fc.oneof(fc.constant(v), idArb)),
      ss: idArb,
      pv: idArb,
      u: text(2 * LIMITS.pathLength), // past the limit: cut, not refused
      r: fc.oneof(text(LIMITS.referrerLength), fc.webUrl().map((u) => u.slice(0, LIMITS.referrerLength))),
      q: fc.dictionary(fc.oneof(fc.constantFrom(...PARAM_KEYS), ascii(40)), text(2 * LIMITS.paramLength), { maxKeys: 24 }), // unknown keys dropped, values cut
      k: text(LIMITS.skuLength),
      c: text(2 * LIMITS.nameLength),
      l: text(LIMITS.labelLength),
      n: fc.string({ minLength: 1, maxLength: LIMITS.nameLength }),
      p: fc.dictionary(ascii(2 * LIMITS.propKeyLength), propValue, { maxKeys: 2 * LIMITS.maxProps }), // trimmed, not refused
      d: fc.integer({ min: 0, max: 2 * LIMITS.maxDwellMs }),
      extra: fc.anything(), // unknown keys are ignored
    },
    { requiredKeys: ['t', 'ts', 'v', 'ss', 'n', 'd'] },
  )
  .map((e) => ({ ...e, kind: 'valid' as const }));

/** Events the worker must refuse, whatever else they hold. */
const invalidEvent = fc
  .tuple(
    validEvent,
    fc.constantFrom('type', 'noVisitor', 'badSku', 'badTs', 'badParam', 'propsNotObject', 'badDwell', 'trackNoName', 'badId'),
    fc.anything(),
  )
  .map(([e, how, junk]) => {
    const bad: Record<string, unknown> = { ...e };
    if (how === 'type') bad.t = typeof junk === 'string' && !(BROWSER_EVENT_TYPES as readonly string[]).includes(junk) ? junk : 'arrival';
    if (how === 'noVisitor') delete bad.v;
    if (how === 'badSku') bad.k = { sku: 'x' }; // a long one is cut, not refused (issue 19)
    if (how === 'badTs') bad.ts = typeof junk === 'number' && junk <= 0 ? junk : '2026-01-01';
    if (how === 'badParam') bad.q = { ch: 42 };
    if (how === 'propsNotObject') bad.p = typeof junk === 'string' ? junk : [junk]; // a string, or an array (of anything; JSON makes NaN null)
    if (how === 'badDwell') Object.assign(bad, { t: 'dwell', d: -1 });
    if (how === 'trackNoName') Object.assign(bad, { t: 'track', n: '' });
    if (how === 'badId') bad.forceId = 'has space';
    return { ...bad, kind: 'invalid' as const };
  });

/** Events of unknown validity: a valid one with one key set to anything, or anything at all. */
const unknownEvent = fc.oneof(
  fc.tuple(validEvent, fc.constantFrom('t', 'ts', 'v', 'ss', 'pv', 'u', 'r', 'q', 'k', 'c', 'l', 'n', 'p', 'd'), fc.anything()).map(([e, key, junk]) => ({
    ...e, [key]: junk, kind: 'unknown' as const,
  })),
  fc.anything().map((x) => ({ raw: x, kind: 'unknown' as const })),
);

type Gen = { kind: 'valid' | 'invalid' | 'unknown'; [k: string]: unknown };

/** The wire form of a generated event, with a fresh id. */
function wire(g: Gen): unknown {
  if ('raw' in g) return g.raw;
  const { kind: _k, extra, forceId, ...e } = g as Gen & { extra?: unknown; forceId?: string };
  return { ...e, i: forceId ?? fresh(), ...(extra === undefined ? {} : { zz: extra }) };
}

let site: string;
let rawSite: string;
beforeAll(async () => {
  site = await createSite({ origins: ['https://shop.example.cn'] });
  rawSite = await createSite();
});
afterAll(() => {
  console.log(
    `fuzz battery: ${counts.raw} raw bodies + ${counts.batches} batches (${counts.events} events) + ${counts.replays} replays = ` +
      `${counts.raw + counts.batches + counts.replays} requests; statuses ${JSON.stringify(counts.statuses)}`,
  );
});

/**
 * The site's folded events with these ids, each with how many times the chunks
 * hold it. Only chunks the fold wrote since `since` (when the batch was sent; one
 * workerd clock, a 100 ms margin) are read: the ids are fresh, so an older chunk
 * cannot hold them, and reading every chunk each run would make the battery quadratic.
 * (The margin was a second: with folds ~40 ms apart that unzipped ~25 earlier chunks
 * per read, an eighth of the battery's CPU. Any margin >= 0 reads every chunk that can
 * hold the ids; a chunk read needlessly only costs time.)
 */
type Found = { id: string; type: string; visitor: string; p: unknown; n: number };
async function storedOf(ids: string[], since: number): Promise<Found[]> {
  const { results } = await env.DB.prepare('SELECT body FROM event_chunks WHERE site_key = ?1 AND created_at >= ?2')
    .bind(site, since - 100)
    .all<{ body: ArrayBuffer | number[] }>();
  const want = new Set(ids);
  const out = new Map<string, Found>();
  for (const r of results) {
    for (const l of await gunzipLines(r.body instanceof ArrayBuffer ? r.body : new Uint8Array(r.body).buffer)) {
      if (!want.has(l.id)) continue;
      const seen = out.get(l.id);
      if (seen) seen.n++;
      else out.set(l.id, { id: l.id, type: l.type, visitor: l.visitor, p: l.data?.p, n: 1 });
    }
  }
  return [...out.values()];
}

/** Kept props whose cut key repeats an earlier one's (the later value wins, one key fewer). */
function shadowed(entries: [string, unknown][]): number {
  const keys = entries.slice(0, LIMITS.maxProps).filter(([, x]) => x !== null).map(([k]) => k.slice(0, LIMITS.propKeyLength));
  return keys.length - new Set(keys).size;
}

async function foldDuplicates(): Promise<number> {
  return (await env.DB.prepare('SELECT coalesce(SUM(duplicates), 0) AS n FROM ingest_days WHERE site_key = ?1').bind(site).first<{ n: number }>())!.n;
}

async function answer(res: Response): Promise<unknown> {
  counts.statuses[res.status] = (counts.statuses[res.status] ?? 0) + 1;
  expect(res.status).toBeLessThan(500);
  const body = await res.json(); // never a non-JSON answer
  if (res.status !== 202) {
    const { error } = body as { error: { code: unknown; message: unknown } };
    expect(typeof error.code).toBe('string');
    expect(typeof error.message).toBe('string');
  }
  return body;
}

describe('fuzz battery', () => {
  it(`never answers a 5xx to ${RAW_RUNS} generated and mutated raw bodies`, { timeout: 240_000 }, async () => {
    const goodText = fc.array(validEvent, { maxLength: 5 }).map((es) => JSON.stringify({ s: rawSite, e: es.map(wire) }));
    const body = fc.oneof(
      text(300),
      fc.jsonValue().map((j) => JSON.stringify(j)),
      fc.anything().map((x) => JSON.stringify({ s: rawSite, e: x }) ?? 'undefined'),
      fc.anything().map((x) => JSON.stringify({ s: x, e: [] }) ?? 'undefined'),
      fc.tuple(goodText, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))), // truncated
      fc.tuple(goodText, fc.nat(), text(3)).map(([t, n, c]) => { const at = n % (t.length + 1); return t.slice(0, at) + c + t.slice(at + 1); }), // one spot changed
      fc.integer({ min: 1, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)), // deep nesting
      fc.integer({ min: 1, max: 20_000 }).map((n) => `{"s":"${rawSite}","e":[${'{},'.repeat(n)}{}]}`), // many events
      fc.integer({ min: LIMITS.maxBodyBytes - 20, max: LIMITS.maxBodyBytes + 100 }).map((n) => `{"s":"${rawSite}","e":[],"pad":"${'x'.repeat(n)}"}`),
    );
    // Bytes no JS string can carry: random ones, and a good batch with invalid UTF-8 spliced in.
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(goodText, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([t, n, junk]) => {
        const b = new TextEncoder().encode(t);
        const at = n % (b.length + 1);
        return new Uint8Array([...b.slice(0, at), ...junk.map((x) => x | 0x80), ...b.slice(at)]);
      }),
    );
    const contentType = fc.constantFrom('text/plain', 'application/json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', '');
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 5, arbitrary: body }, { weight: 1, arbitrary: bytes }), contentType, async (b, ct) => {
        counts.raw++;
        await answer(typeof b === 'string' ? await post(b, ct) : await call('/collect', { method: 'POST', headers: { 'content-type': ct }, body: b }));
      }),
      { numRuns: RAW_RUNS, endOnFailure: true },
    );
  });

  it(`stores every accepted event of ${BATCH_RUNS} mixed batches exactly once`, { timeout: 240_000 }, async () => {
    const batch = fc.array(fc.oneof({ weight: 3, arbitrary: validEvent }, { weight: 2, arbitrary: invalidEvent }, { weight: 1, arbitrary: unknownEvent }), {
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(batch, fc.boolean(), fc.constantFrom('text/plain', 'application/json'), async (gens, replay, ct) => {
        counts.batches++;
        counts.events += gens.length;
        const events = gens.map(wire);
        const sent = Date.now();
        const res = (await answer(await post({ s: site, e: events as never[] }, ct))) as CollectResult;
        const rejected = new Set(res.rejected.map((r) => r.index));
        gens.forEach((g, i) => {
          if (g.kind === 'valid') expect(rejected.has(i), `valid event ${i} was rejected: ${JSON.stringify(res.rejected)}`).toBe(false);
          if (g.kind === 'invalid') expect(rejected.has(i), `invalid event ${i} was accepted`).toBe(true);
        });
        expect(res.accepted + res.rejected.length).toBe(events.length);
        const kept = events.filter((_, i) => !rejected.has(i)) as { i: string; t: string; v: string }[];
        const ids = kept.map((e) => e.i);
        const rows = () => storedOf(ids, sent);
        const found = await rows();
        expect(found.length).toBe(new Set(ids).size);
        for (const r of found) expect(r.n).toBe(1);
        // The stored row is this event's own, for every event made valid.
        const byId = new Map(found.map((r) => [r.id, r]));
        gens.forEach((g, i) => {
          if (g.kind !== 'valid') return;
          const e = events[i] as { i: string; t: string; v: string };
          const row = byId.get(e.i)!;
          expect(row).toMatchObject({ type: e.t, visitor: e.v });
          // Props within LIMITS: the first maxProps keys, keys and strings cut, scalars only.
          const sentProps = Object.entries((g as { p?: Record<string, unknown> }).p ?? {});
          const kept = Object.entries((row.p ?? {}) as Record<string, unknown>);
          expect(kept.length).toBe(sentProps.slice(0, LIMITS.maxProps).filter(([, x]) => x !== null).length - shadowed(sentProps));
          for (const [k, x] of kept) {
            expect(k.length).toBeLessThanOrEqual(LIMITS.propKeyLength);
            expect(['string', 'number', 'boolean']).toContain(typeof x);
            if (typeof x === 'string') expect(x.length).toBeLessThanOrEqual(LIMITS.propValueLength);
          }
        });
        if (replay && kept.length) {
          // A replay across requests is dropped by the fold (issue 16): the answer's
          // duplicates count only what the request itself repeats, the fold's count the rest.
          counts.replays++;
          const dups = await foldDuplicates();
          const again = (await answer(await post({ s: site, e: events as never[] }, ct))) as CollectResult;
          expect(again.accepted).toBe(res.accepted);
          expect(again.duplicates).toBe(res.duplicates);
          expect(await foldDuplicates()).toBe(dups + new Set(ids).size);
          expect((await rows()).every((r) => r.n === 1)).toBe(true);
        }
      }),
      { numRuns: BATCH_RUNS, endOnFailure: true },
    );
  });
});
