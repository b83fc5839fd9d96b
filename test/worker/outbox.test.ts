// The CRM outbox row is written in the same D1 transaction as the change it
// reports: when the outbox write fails, the arrival, the deal or the void is not
// kept either (no change without its webhook), and with it working, each change
// has exactly one outbox row.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN, call } from './helpers';
import { book, CRM_SECRET, land, offlineSite, row, rows } from './leads-fixtures';

/** Runs `fn` while crm_deliveries cannot be written (a trigger refuses every insert). */
async function withBrokenOutbox<T>(fn: () => Promise<T>): Promise<T> {
  await env.DB.exec("CREATE TRIGGER outbox_down BEFORE INSERT ON crm_deliveries BEGIN SELECT RAISE(ABORT, 'outbox down'); END");
  try {
    return await fn();
  } finally {
    await env.DB.exec('DROP TRIGGER outbox_down');
  }
}

describe('the outbox in the change\'s transaction', () => {
  it('keeps no arrival, deal or void whose webhook row could not be written, and one row each when it can', async () => {
    const s = await offlineSite();
    expect((await call(`/api/v1/admin/sites/${s.site}/crm`, { method: 'PUT', token: ADMIN, json: { url: 'http://crm.test/ok/outbox', secret: CRM_SECRET } })).status).toBe(201);
    const visitor = await land(s.site, 'baidu_sem');
    const code = await book(s.site, visitor, { store: 'sh-1' });

    const arrive = () => call('/api/v1/arrivals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1' } });
    const failed = await withBrokenOutbox(arrive);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await row('SELECT * FROM arrivals WHERE site_key = ?1', s.site)).toBeNull();

    const deal = () => call('/api/v1/deals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1', amount: 500_000 }, headers: { 'idempotency-key': 'outbox-1' } });
    expect((await withBrokenOutbox(deal)).status).toBeGreaterThanOrEqual(500);
    expect(await row('SELECT * FROM deals WHERE site_key = ?1', s.site)).toBeNull();

    expect((await arrive()).status).toBe(201);
    const made = await deal();
    expect(made.status).toBe(201);
    const { deal: d } = (await made.json()) as { deal: { id: string } };
    const voidIt = () => call(`/api/v1/deals/${d.id}/void`, { method: 'POST', token: s.sh, json: { reason: 'returned' } });
    expect((await withBrokenOutbox(voidIt)).status).toBeGreaterThanOrEqual(500);
    expect(await row('SELECT voided_at FROM deals WHERE site_key = ?1 AND id = ?2', s.site, d.id)).toEqual({ voided_at: null });
    expect((await voidIt()).status).toBe(200);

    const types = (await rows<{ type: string }>('SELECT type FROM crm_deliveries WHERE site_key = ?1 ORDER BY created_at', s.site)).map((r) => r.type);
    expect(types.filter((t) => t !== 'lead.created')).toEqual(['arrival.created', 'deal.created', 'deal.voided']);
    expect(types.filter((t) => t === 'lead.created')).toHaveLength(1);
  });
});
