// Staff check-in (POST /api/v1/arrivals) in workerd against real D1.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, today } from './helpers';
import { book, land, offlineSite, row, rows, type OfflineSite } from './leads-fixtures';

let s: OfflineSite;
beforeAll(async () => {
  s = await offlineSite();
});

const arrive = (token: string, json: unknown) => call('/api/v1/arrivals', { method: 'POST', token, json });

describe('staff check-in', () => {
  it('checks a lead in by its code as typed, crediting the visitor’s channel; a second scan records nothing more', async () => {
    const v = await land(s.site, 'baidu_sem');
    const code = await book(s.site, v, { store: 'sh-1' });
    const typed = `${code.slice(0, 3)}-${code.slice(3)}`.toLowerCase();
    const res = await arrive(s.sh, { lead: typed, store: 'sh-1' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { arrival: Record<string, unknown>; lead: { code: string }; duplicate: boolean };
    expect(body.arrival).toMatchObject({ lead: code, visitor: v, store: 'sh-1', method: 'staff', day: today(), firstChannel: 'baidu_sem', lastChannel: 'baidu_sem' });
    expect(body.lead.code).toBe(code);
    expect(body.duplicate).toBe(false);

    const again = await arrive(s.sh, { lead: code, store: 'sh-1' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await rows('SELECT lead_code, visitor_id, store_id, method, last_channel FROM arrivals WHERE site_key = ?1 AND lead_code = ?2', s.site, code))
      .toEqual([{ lead_code: code, visitor_id: v, store_id: 'sh-1', method: 'staff', last_channel: 'baidu_sem' }]);
  });

  it('counts a walk-in with no appointment for the channel it came from', async () => {
    const v = await land(s.site, 'xiaohongshu');
    const res = await arrive(s.bj, { visitor: v, store: 'bj-1' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { arrival: unknown }).arrival).toMatchObject({ lead: null, visitor: v, lastChannel: 'xiaohongshu', firstChannel: 'xiaohongshu' });
  });

  it('credits a visitor the worker never saw to direct', async () => {
    const res = await arrive(s.bj, { visitor: 'never-seen-visitor', store: 'bj-1' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { arrival: unknown }).arrival).toMatchObject({ lead: null, firstChannel: 'direct', lastChannel: 'direct' });
  });

  it('finds the lead of a visitor checked in by visitor id', async () => {
    const v = await land(s.site, 'douyin');
    const code = await book(s.site, v, { store: 'bj-1' });
    const body = (await (await arrive(s.all, { visitor: v, store: 'bj-1' })).json()) as { arrival: { lead: string } };
    expect(body.arrival.lead).toBe(code);
  });

  it('shows another store’s lead to the store the customer walked into only as a summary', async () => {
    const v = await land(s.site, 'baidu_sem');
    const code = await book(s.site, v, { store: 'sh-1' });
    const res = await arrive(s.bj, { lead: code, store: 'bj-1' });
    expect(res.status).toBe(201);
    const { lead } = (await res.json()) as { lead: Record<string, unknown> };
    expect(lead).toMatchObject({ code, store: 'sh-1' });
    expect(Object.keys(lead).sort()).toEqual(['budget', 'code', 'skus', 'store', 'style']);
  });

  it('refuses a token for another store with 403 and records nothing', async () => {
    const v = await land(s.site, 'baidu_sem');
    const code = await book(s.site, v, { store: 'sh-1' });
    const res = await arrive(s.bj, { lead: code, store: 'sh-1' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(await row('SELECT 1 FROM arrivals WHERE site_key = ?1 AND lead_code = ?2', s.site, code)).toBeNull();
  });

  it('answers every bad request with a 4xx envelope', async () => {
    const other = await offlineSite();
    const cases: [string | undefined, unknown, number, string][] = [
      [s.sh, { lead: 'ZZZZZZ', store: 'sh-1' }, 404, 'unknown_lead'],
      [s.sh, { lead: 'IOIO10', store: 'sh-1' }, 400, 'invalid_lead_code'],
      [s.sh, { store: 'sh-1' }, 400, 'missing_field'],
      [s.sh, { visitor: 'has spaces', store: 'sh-1' }, 400, 'invalid_field'],
      [s.sh, { lead: 'ZZZZZZ' }, 400, 'missing_field'],
      [s.all, { lead: 'ZZZZZZ', store: 'nowhere' }, 403, 'forbidden'],
      [s.sh, { site: other.site, lead: 'ZZZZZZ', store: 'sh-1' }, 403, 'forbidden'],
      [s.report, { lead: 'ZZZZZZ', store: 'sh-1' }, 403, 'forbidden'],
      [undefined, { lead: 'ZZZZZZ', store: 'sh-1' }, 401, 'unauthorized'],
    ];
    for (const [token, json, status, code] of cases) {
      const res = await call('/api/v1/arrivals', { method: 'POST', token, json });
      expect([JSON.stringify(json), res.status]).toEqual([JSON.stringify(json), status]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const bad = await call('/api/v1/arrivals', { method: 'POST', token: s.sh, headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
  });
});
