// Tokens of each kind where they may and may not go; secrets hashed at rest,
// shown once, never listed; revocation.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../worker/auth/tokens';
import { ADMIN, call, createSite, createToken, today } from './helpers';

let site: string;
let other: string;
let report: string;
let store: string;
beforeAll(async () => {
  site = await createSite();
  other = await createSite();
  for (const s of ['sh-xuhui', 'bj-chaoyang']) {
    await call(`/api/v1/admin/sites/${site}/stores/${s}`, { method: 'PUT', token: ADMIN, json: { name: s } });
  }
  report = await createToken('report', [site]);
  store = await createToken('store', [site], ['sh-xuhui']);
});

const channels = (s: string, token?: string) => call(`/api/v1/reports/channels?site=${s}&from=${today()}&to=${today()}`, { token });
const arrive = (token: string, storeId: string, s = site) =>
  call('/api/v1/arrivals', { method: 'POST', token, json: { site: s, store: storeId, visitor: 'walk-in-visitor' } });

describe('who may go where', () => {
  it('admin: reports of any site and the admin API', async () => {
    expect((await channels(site, ADMIN)).status).toBe(200);
    expect((await channels(other, ADMIN)).status).toBe(200);
    expect((await call('/api/v1/admin/sites', { token: ADMIN })).status).toBe(200);
  });

  it('report token: its own site only; never the admin API or store actions', async () => {
    expect((await channels(site, report)).status).toBe(200);
    const foreign = await channels(other, report);
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await call('/api/v1/admin/sites', { token: report })).status).toBe(403);
    expect((await call('/api/v1/admin/tokens', { method: 'POST', token: report, json: { kind: 'report', sites: [site] } })).status).toBe(403);
    expect((await arrive(report, 'sh-xuhui')).status).toBe(403);
  });

  it('store token: arrivals at its own store only; never reports or the admin API', async () => {
    expect((await channels(site, store)).status).toBe(403);
    expect((await call('/api/v1/admin/sites', { token: store })).status).toBe(403);
    expect((await arrive(store, 'bj-chaoyang')).status).toBe(403);
    expect((await arrive(store, 'sh-xuhui', other)).status).toBe(403);
    expect([200, 201]).toContain((await arrive(store, 'sh-xuhui')).status);
  });

  it.each([
    ['no token', undefined, undefined],
    ['an unknown token', 'o2o_r_not-a-real-token', undefined],
    ['a Basic header', undefined, 'Basic dXNlcjpwYXNz'],
    ['an admin token with a typo', `${ADMIN}x`, undefined],
  ])('refuses %s with 401 and WWW-Authenticate', async (_what, token, authorization) => {
    const res = await call(`/api/v1/reports/channels?site=${site}&from=${today()}&to=${today()}`, {
      token, headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('token lifecycle', () => {
  it('keeps only the hash: the secret is nowhere in the database', async () => {
    const res = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind: 'report', sites: [site], label: 'hash check' } });
    expect(res.status).toBe(201);
    const { id, token } = (await res.json()) as { id: string; token: string };
    expect(token).toMatch(/^o2o_r_/);
    const row = await env.DB.prepare('SELECT * FROM tokens WHERE id = ?1').bind(id).first<Record<string, unknown>>();
    expect(row!.hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('lists tokens by site without secrets or hashes', async () => {
    const res = await call(`/api/v1/admin/tokens?site=${site}`, { token: ADMIN });
    const { tokens } = (await res.json()) as { tokens: Record<string, unknown>[] };
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    for (const t of tokens) {
      expect(t.sites).toContain(site);
      expect(t).not.toHaveProperty('hash');
      expect(t).not.toHaveProperty('token');
    }
    expect(tokens.map((t) => t.kind).sort()).toEqual(expect.arrayContaining(['report', 'store']));
  });

  it('a revoked token stops working at once', async () => {
    const res = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind: 'report', sites: [site] } });
    const { id, token } = (await res.json()) as { id: string; token: string };
    expect((await channels(site, token)).status).toBe(200);
    const del = await call(`/api/v1/admin/tokens/${id}`, { method: 'DELETE', token: ADMIN });
    expect(await del.json()).toEqual({ id, revoked: true });
    expect((await channels(site, token)).status).toBe(401);
    const listed = (await (await call(`/api/v1/admin/tokens?site=${site}`, { token: ADMIN })).json()) as { tokens: { id: string; revokedAt: number | null }[] };
    expect(listed.tokens.find((t) => t.id === id)?.revokedAt).toEqual(expect.any(Number));
    expect((await call('/api/v1/admin/tokens/tok_nope', { method: 'DELETE', token: ADMIN })).status).toBe(404);
  });

  it.each([
    [{ kind: 'admin', sites: ['x'] }, 'invalid_field'],
    [{ kind: 'report', sites: [] }, 'missing_field'],
    [{ kind: 'report', sites: ['no-such-site'] }, 'unknown_site'],
    [{ kind: 'store', sites: ['SITE'] }, 'missing_field'],
  ])('refuses to create %j (%s)', async (json, code) => {
    const body = { ...json, sites: json.sites.map((s) => (s === 'SITE' ? site : s)) };
    const res = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: body });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });
});
