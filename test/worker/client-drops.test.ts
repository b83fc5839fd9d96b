// What browsers lost: the SDK's o2o_dropped reports, folded per site and local
// day on ingest (replays add nothing), readable by the admin only.
import { beforeAll, describe, expect, it } from 'vitest';
import { DROPPED_EVENT } from '../../protocol/wire';
import { ADMIN, call, createSite, createToken, ev, post, today } from './helpers';

let site: string;
beforeAll(async () => {
  site = await createSite();
});

const drop = (n: unknown) => ev({ t: 'track', n: DROPPED_EVENT, p: { n } as never });
const read = async (from = today(), to = today()) => call(`/api/v1/admin/sites/${site}/client-drops?from=${from}&to=${to}`, { token: ADMIN });

describe('client drops', () => {
  it('adds up the reports of a day, once each, and ignores malformed ones', async () => {
    const seven = drop(7);
    expect((await post({ s: site, e: [ev(), seven] })).status).toBe(202);
    await post({ s: site, e: [seven] }); // a replay of the same report
    await post({ s: site, e: [drop(3), ev({ t: 'track', n: 'coupon', p: { n: 500 } })] }); // another report, and a custom event that is not one
    const res = await post({ s: site, e: [drop(-2), drop(1.5), drop('9'), ev({ t: 'track', n: DROPPED_EVENT })] });
    expect(await res.json()).toMatchObject({ accepted: 4, rejected: [] }); // stored as custom events, not counted
    const body = await (await read()).json();
    expect(body).toEqual({ site, from: today(), to: today(), days: [{ day: today(), events: 10, reports: 2 }] });
  });

  it('answers an empty list for days without reports, and only to the admin', async () => {
    expect(await (await read('2026-01-01', '2026-01-31')).json()).toMatchObject({ days: [] });
    const report = await createToken('report', [site]);
    const res = await call(`/api/v1/admin/sites/${site}/client-drops?from=${today()}&to=${today()}`, { token: report });
    expect(res.status).toBe(403);
    expect((await read('2026-02-01', '2026-01-01')).status).toBe(400);
    expect((await call(`/api/v1/admin/sites/no-such-site/client-drops?from=${today()}&to=${today()}`, { token: ADMIN })).status).toBe(404);
  });
});
