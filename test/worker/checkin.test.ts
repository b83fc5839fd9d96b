// Self check-in: the store's QR (SVG), the poster, the page the phone opens, and
// the POST it makes; in workerd against real D1.
import { beforeAll, describe, expect, it } from 'vitest';
import { encode } from 'uqr';
import { KEYS } from '../../sdk/storage';
import { SDK_IDS_KEY } from '../../worker/routes/checkin-pages';
import { BASE, call } from './helpers';
import { book, land, offlineSite, rows, type OfflineSite } from './leads-fixtures';

let s: OfflineSite;
let link: { url: string; poster: string };
beforeAll(async () => {
  s = await offlineSite();
  const res = await call('/api/v1/stores/sh-1/checkin', { token: s.sh });
  link = (await res.json()) as typeof link;
});

const params = (url: string) => Object.fromEntries(new URL(url).searchParams) as { s: string; k: string };
const checkIn = (url: string, v: unknown) => {
  const { s: site, k } = params(url);
  return call(new URL(url).pathname, { method: 'POST', json: { s: site, k, v } });
};

/** The dark modules (row,column) drawn by an SVG of `pixel`-sized squares. */
function modules(svg: string, pixel = 10): Set<string> {
  const out = new Set<string>();
  for (const m of svg.matchAll(/M(\d+),(\d+)h/g)) out.add(`${Number(m[2]) / pixel},${Number(m[1]) / pixel}`);
  return out;
}

describe('the store’s QR code', () => {
  it('gives staff the check-in URL, with the site and the store’s key', () => {
    expect(link.url).toMatch(new RegExp(`^${BASE}/checkin/sh-1\\?s=${s.site}&k=[A-Za-z0-9_-]{16}$`));
    expect(link.poster).toBe(link.url.replace('/checkin/sh-1?', '/checkin/sh-1/poster?'));
  });

  it('serves the QR as SVG that encodes exactly that URL', async () => {
    const res = await call('/api/v1/stores/sh-1/qr.svg', { token: s.sh });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await res.text();
    expect(svg.startsWith('<svg')).toBe(true);
    // The matrix of that URL at the same error-correction level and quiet zone (4 modules).
    const qr = encode(link.url, { ecc: 'M', border: 4 });
    const expected = new Set<string>();
    qr.data.forEach((line, y) => line.forEach((dark, x) => dark && expected.add(`${y},${x}`)));
    expect(modules(svg)).toEqual(expected);
  });

  it('is refused to a token for another store, and to no token', async () => {
    const wrong = await call('/api/v1/stores/sh-1/qr.svg', { token: s.bj });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await call('/api/v1/stores/sh-1/qr.svg')).status).toBe(401);
    const foreign = await call('/api/v1/stores/sh-1/checkin?origin=https://evil.example', { token: s.sh });
    expect(foreign.status).toBe(400);
  });

  it('prints on a poster page that needs only the key', async () => {
    const res = await call(link.poster.slice(BASE.length));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('上海徐汇店');
    expect(html).toContain('<svg');
  });
});

describe('the check-in page', () => {
  it('loads the script tag for the site and carries the key to its own POST', async () => {
    const res = await call(link.url.slice(BASE.length));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(`<script defer src="/o2o.js" data-site="${s.site}"></script>`);
    expect(html).toContain(`data-key="${params(link.url).k}"`);
    // The page's script (a file: the CSP allows no inline script) reads the visitor id where the script tag keeps it.
    expect(html).toContain(`<script src="/checkin/checkin.js" data-site="${s.site}"`);
    expect(SDK_IDS_KEY).toBe(KEYS.ids);
    expect(await (await call('/checkin/checkin.js')).text()).toContain(`localStorage.getItem('${KEYS.ids}')`);
    expect(html).toContain('上海徐汇店');
  });

  it('answers a wrong or missing key with a 403 page', async () => {
    for (const path of [`/checkin/sh-1?s=${s.site}&k=wrong`, `/checkin/sh-1?s=${s.site}`, `/checkin/bj-1?s=${s.site}&k=${params(link.url).k}`]) {
      const res = await call(path);
      expect([path, res.status]).toEqual([path, 403]);
      expect(await res.text()).toContain('二维码已失效');
    }
  });
});

describe('self check-in', () => {
  it('records an arrival for the phone’s visitor, shows their lead code, and counts a rescan once', async () => {
    const v = await land(s.site, 'baidu_sem');
    const code = await book(s.site, v, { store: 'sh-1' });
    const res = await checkIn(link.url, v);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { arrival: Record<string, unknown>; lead: { code: string }; store: { name: string } };
    expect(body.arrival).toMatchObject({ method: 'self', lead: code, visitor: v, store: 'sh-1', lastChannel: 'baidu_sem' });
    // The poster's key is public: the lead's screening never reaches the phone.
    expect(body.lead).toEqual({ code });
    expect(body.store.name).toBe('上海徐汇店');

    expect((await checkIn(link.url, v)).status).toBe(200);
    // Staff checking the same customer in by code the same day: still one arrival.
    const staff = await call('/api/v1/arrivals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1' } });
    expect(((await staff.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await rows('SELECT method, lead_code FROM arrivals WHERE site_key = ?1 AND visitor_id = ?2', s.site, v)).toEqual([{ method: 'self', lead_code: code }]);
  });

  it('counts a walk-in from an online visit for its channel', async () => {
    const v = await land(s.site, 'zhihu');
    const res = await checkIn(link.url, v);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { arrival: Record<string, unknown>; lead: null };
    expect(body.lead).toBeNull();
    expect(body.arrival).toMatchObject({ method: 'self', lead: null, lastChannel: 'zhihu' });
  });

  it('refuses a forged check-in (wrong key, another store’s key, a rotated key) with the envelope', async () => {
    const v = await land(s.site, 'baidu_sem');
    const { s: site, k } = params(link.url);
    const cases: [string, unknown][] = [
      ['/checkin/sh-1', { s: site, k: 'guessed-key-0000', v }],
      ['/checkin/bj-1', { s: site, k, v }],
      ['/checkin/sh-1', { s: 'other-site', k, v }],
      ['/checkin/sh-1', { s: site, v }],
    ];
    for (const [path, json] of cases) {
      const res = await call(path, { method: 'POST', json });
      expect([path, res.status]).toEqual([path, 403]);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_checkin_key' } });
    }
    const badVisitor = await checkIn(link.url, 'not a visitor id');
    expect(badVisitor.status).toBe(400);
    expect(await rows('SELECT 1 FROM arrivals WHERE site_key = ?1 AND visitor_id = ?2', s.site, v)).toEqual([]);

    // A poster photo went round: rotate, reprint. The old key stops working, the new one works.
    const rotated = (await (await call('/api/v1/stores/bj-1/checkin/rotate', { method: 'POST', token: s.bj })).json()) as typeof link;
    const before = (await (await call('/api/v1/stores/bj-1/checkin', { token: s.all })).json()) as typeof link;
    expect(before.url).toBe(rotated.url);
    const again = (await (await call('/api/v1/stores/bj-1/checkin/rotate', { method: 'POST', token: s.bj })).json()) as typeof link;
    expect(again.url).not.toBe(rotated.url);
    expect((await checkIn(rotated.url, v)).status).toBe(403);
    expect((await checkIn(again.url, v)).status).toBe(201);
  });
});
