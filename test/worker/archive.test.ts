// The admin's view of ingest: per-day fold counters, the R2 archive of event
// chunks (listed by day, streamed as stored) and their scope and input checks.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { gunzipLines, type ChunkLine } from '../../worker/archive/chunks';
import { ADMIN, call, createSite, createToken, ev, post, today } from './helpers';

describe('admin: ingest and archive', () => {
  it('lists a day\'s chunk files and streams one, gzip NDJSON with the events as folded', async () => {
    const site = await createSite();
    const a = ev({ v: 'arch1', ss: 's1', q: { ch: 'wechat' }, k: 'SOFA' });
    const b = ev({ v: 'arch1', ss: 's1', t: 'consult', c: 'chat', k: 'SOFA' });
    expect((await post({ s: site, e: [a] })).status).toBe(202);
    expect((await post({ s: site, e: [b, a] })).status).toBe(202); // a again: a browser's replay

    const day = today();
    const list = await call(`/api/v1/admin/sites/${site}/archive?day=${day}`, { token: ADMIN });
    expect(list.status).toBe(200);
    const { files } = (await list.json()) as { files: { file: string; events: number; bytes: number }[] };
    expect(files.reduce((n, f) => n + f.events, 0)).toBe(2);
    const lines: ChunkLine[] = [];
    for (const f of files) {
      const res = await call(`/api/v1/admin/sites/${site}/archive/${day}/${f.file}`, { token: ADMIN });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/gzip');
      const bytes = await res.arrayBuffer();
      expect(bytes.byteLength).toBe(f.bytes);
      lines.push(...(await gunzipLines(bytes)));
    }
    expect(lines.map((l) => [l.id, l.type, l.channel, l.sku]).sort()).toEqual([[a.i, 'view', 'wechat', 'SOFA'], [b.i, 'consult', 'wechat', 'SOFA']].sort());
    // The same bytes are the D1 chunks.
    const d1 = await env.DB.prepare('SELECT SUM(events) AS n FROM event_chunks WHERE site_key = ?1 AND day = ?2').bind(site, day).first<{ n: number }>();
    expect(d1!.n).toBe(2);

    const stats = await call(`/api/v1/admin/sites/${site}/ingest?from=${day}&to=${day}`, { token: ADMIN });
    const { days } = (await stats.json()) as { days: { messages: number; events: number; duplicates: number; maxLagMs: number }[] };
    expect(days).toEqual([expect.objectContaining({ messages: 2, events: 3, duplicates: 1 })]);
    expect(days[0].maxLagMs).toBeGreaterThanOrEqual(0);
  });

  it('answers bad input with a 4xx envelope and keeps the archive to the admin', async () => {
    const site = await createSite();
    const report = await createToken('report', [site]);
    for (const [path, token, status, code] of [
      [`/api/v1/admin/sites/${site}/archive?day=2026-13-01`, ADMIN, 400, 'invalid_day'],
      [`/api/v1/admin/sites/${site}/archive`, ADMIN, 400, 'invalid_day'],
      [`/api/v1/admin/sites/${site}/archive/${today()}/..%2F..%2Fdead-letter.json`, ADMIN, 400, 'invalid_file'],
      [`/api/v1/admin/sites/${site}/archive/${today()}/20260101000000-abc.ndjson.gz`, ADMIN, 404, 'not_found'],
      [`/api/v1/admin/sites/no-such-site/archive?day=${today()}`, ADMIN, 404, 'unknown_site'],
      [`/api/v1/admin/sites/${site}/archive?day=${today()}`, report, 403, undefined],
      [`/api/v1/admin/sites/${site}/ingest?from=${today()}&to=${today()}`, undefined, 401, undefined],
    ] as const) {
      const res = await call(path, { token });
      expect(res.status, path).toBe(status);
      const body = (await res.json()) as { error: { code: string } };
      if (code) expect(body.error.code, path).toBe(code);
    }
  });
});
