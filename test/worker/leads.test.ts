// Leads: made by appointments through the real /collect, screened through the API.
import { beforeAll, describe, expect, it } from 'vitest';
import { CODE_ALPHABET, newLeadCode, normalizeLeadCode } from '../../worker/flows/lead-code';
import { call, ev, storedEvents, today } from './helpers';
import { book, collect, land, offlineSite, row, rows, type OfflineSite } from './leads-fixtures';

let s: OfflineSite;
beforeAll(async () => {
  s = await offlineSite();
});

describe('lead codes', () => {
  it('are six characters that cannot be misread (no 0/O, 1/l/I)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const c = newLeadCode();
      expect(c).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
      seen.add(c);
    }
    // 5000 draws from 32^6 ≈ 1.07e9 expect 5000²/2/32^6 ≈ 0.01 repeats; ten would mean a broken generator.
    expect(seen.size).toBeGreaterThan(4990);
    // Codes are shown in capitals, so lowercase l never appears; capital L is kept (32 symbols = 5 bits each).
    expect(CODE_ALPHABET).not.toMatch(/[01OIl]/);
    expect(CODE_ALPHABET).toHaveLength(32);
  });

  it('read back as typed: any case, with spaces or a dash', () => {
    expect(normalizeLeadCode('ab3-k7q')).toBe('AB3K7Q');
    expect(normalizeLeadCode(' AB3 K7Q ')).toBe('AB3K7Q');
    expect(normalizeLeadCode('AB0K7Q')).toBeNull(); // 0 is never in a code
    expect(normalizeLeadCode('AB3K7')).toBeNull();
  });
});

describe('appointment → lead', () => {
  it('makes one lead per appointment, with the visitor’s touches, store, budget in fen, style and SKUs', async () => {
    const v = await land(s.site, 'baidu_sem');
    const code = await book(s.site, v, { store: 'sh-1', budget: 20000, style: '北欧简约', sku: 'SOFA-101', date: '2026-05-01' }, { k: 'BED-330' });
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    const lead = await row<Record<string, unknown>>('SELECT * FROM leads WHERE site_key = ?1 AND code = ?2', s.site, code);
    expect(lead).toMatchObject({
      visitor_id: v, store_id: 'sh-1', budget: 2_000_000, style: '北欧简约', status: 'new', day: today(),
      first_channel: 'baidu_sem', last_channel: 'baidu_sem', region: '上海', city: '上海', // request.cf's Shanghai, in Chinese
    });
    expect(JSON.parse(lead!.skus as string)).toEqual(['SOFA-101', 'BED-330']);
    expect(JSON.parse(lead!.props as string)).toEqual({ date: '2026-05-01' });
  });

  it('gives a replayed appointment the same code and stores it once', async () => {
    const v = await land(s.site, 'wechat_moments');
    const appt = ev({ t: 'appointment', v, ss: `s_${v}`, p: { store: 'bj-1' } });
    const folds = () => row<{ n: number }>('SELECT coalesce(SUM(duplicates), 0) AS n FROM ingest_days WHERE site_key = ?1', s.site);
    const first = await collect(s.site, [appt]);
    const dups = (await folds())!.n;
    const again = await collect(s.site, [appt]);
    // A repeat across requests is the fold's to drop (issue 16): the answer counts only
    // what the request itself repeats, and the fold counts the replay.
    expect(again.duplicates).toBe(0);
    expect((await folds())!.n).toBe(dups + 1);
    expect(first.leads?.[appt.i]).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(again.leads).toEqual(first.leads);
    const n = await row<{ n: number }>('SELECT COUNT(*) AS n FROM leads WHERE site_key = ?1 AND event_id = ?2', s.site, appt.i);
    expect(n!.n).toBe(1);
    expect((await storedEvents(s.site)).filter((e) => e.id === appt.i)).toHaveLength(1);
  });

  it('gives each appointment of a batch its own code', async () => {
    const v = await land(s.site, null);
    const a = ev({ t: 'appointment', v, p: { store: 'sh-1' } });
    const b = ev({ t: 'appointment', v, p: { store: 'bj-1' } });
    const out = await collect(s.site, [a, b]);
    expect(Object.keys(out.leads!).sort()).toEqual([a.i, b.i].sort());
    expect(out.leads![a.i]).not.toBe(out.leads![b.i]);
  });

  it('keeps what it cannot file (unknown store, a budget in words) in props for the screening staff', async () => {
    const v = await land(s.site, null);
    const code = await book(s.site, v, { store: 'nowhere', budget: '2万' });
    const lead = await row<Record<string, unknown>>('SELECT store_id, budget, props, first_channel FROM leads WHERE site_key = ?1 AND code = ?2', s.site, code);
    expect(lead).toMatchObject({ store_id: null, budget: null, first_channel: 'direct' });
    expect(JSON.parse(lead!.props as string)).toEqual({ store: 'nowhere', budget: '2万' });
  });

  it('reads a budget typed as a numeric string, to the fen', async () => {
    const v = await land(s.site, null);
    const code = await book(s.site, v, { store: 'sh-1', budget: '12345.67' });
    expect((await row<{ budget: number }>('SELECT budget FROM leads WHERE site_key = ?1 AND code = ?2', s.site, code))!.budget).toBe(1_234_567);
  });
});

describe('screening', () => {
  let shCode: string;
  let bjCode: string;
  let loose: string;
  beforeAll(async () => {
    shCode = await book(s.site, await land(s.site, 'baidu_sem'), { store: 'sh-1' });
    bjCode = await book(s.site, await land(s.site, 'douyin'), { store: 'bj-1' });
    loose = await book(s.site, await land(s.site, null), {});
  });
  const q = (extra = '') => `/api/v1/leads?site=${s.site}&from=${today()}&to=${today()}${extra}`;

  it('lists every lead of the site for a report token, and only its stores’ for a store token', async () => {
    const all = (await (await call(q(), { token: s.report })).json()) as { leads: { code: string }[] };
    expect(all.leads.map((l) => l.code)).toEqual(expect.arrayContaining([shCode, bjCode, loose]));
    const res = await call(q(), { token: s.sh });
    expect(res.status).toBe(200);
    const mine = (await res.json()) as { leads: { code: string; store: string }[] };
    expect(mine.leads.map((l) => l.code)).toContain(shCode);
    expect(mine.leads.every((l) => l.store === 'sh-1')).toBe(true);
  });

  it('exports the list as CSV: BOM, budget in yuan, Chinese headers with lang=zh-CN, formulas defused', async () => {
    const code = await book(s.site, await land(s.site, 'wechat'), { store: 'sh-1', budget: 12000, style: '=HYPERLINK("x")' });
    const csvOf = async (extra: string) => {
      const res = await call(q(`&format=csv${extra}`), { token: s.report });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    };
    const en = await csvOf('');
    expect(en.startsWith('\uFEFFcode,day,createdAt,status,store,budget_yuan,style,skus,')).toBe(true);
    const line = en.split('\r\n').find((l) => l.startsWith(`${code},`))!;
    expect(line).toContain(`,sh-1,12000,"'=HYPERLINK(""x"")",`); // 1,200,000 fen = 12,000 yuan
    const zh = await csvOf('&lang=zh-CN');
    expect(zh.split('\r\n')[0]).toBe('\uFEFF预约码,日期,创建时间,状态,门店,预算（元）,风格,意向商品,备注,省份,城市,'
      + '首次渠道,首次活动,首次推广员,末次渠道,末次活动,末次推广员,访客ID,更新时间,来源,会话ID');
    const json = (await (await call(q(), { token: s.report })).json()) as { leads: { code: string; budget: number }[] };
    expect(json.leads.find((l) => l.code === code)!.budget).toBe(1_200_000); // the JSON keeps fen
  });

  it('screens a lead: status, note and store, then filters by status', async () => {
    const res = await call(`/api/v1/leads/${bjCode.toLowerCase()}`, { method: 'PATCH', token: s.report, json: { site: s.site, status: 'qualified', note: '想要三人沙发', store: 'sh-1' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { lead: unknown }).lead).toMatchObject({ code: bjCode, status: 'qualified', note: '想要三人沙发', store: 'sh-1' });
    const qualified = (await (await call(q('&status=qualified'), { token: s.report })).json()) as { leads: { code: string }[] };
    expect(qualified.leads.map((l) => l.code)).toEqual([bjCode]);
  });

  it('refuses what a token may not do, each with the envelope', async () => {
    const other = await book(s.site, await land(s.site, null), { store: 'bj-1' });
    const cases: [string, RequestInit & { token?: string; json?: unknown }, number, string][] = [
      [`/api/v1/leads/${other}`, { method: 'PATCH', token: s.sh, json: { status: 'qualified' } }, 403, 'forbidden'],
      [`/api/v1/leads/${loose}`, { method: 'PATCH', token: s.sh, json: { status: 'qualified' } }, 403, 'forbidden'],
      [`/api/v1/leads/${shCode}`, { method: 'PATCH', token: s.sh, json: { store: 'bj-1' } }, 403, 'forbidden'],
      [`/api/v1/leads/${shCode}`, { method: 'PATCH', token: s.report, json: { status: 'hot' } }, 400, 'invalid_field'],
      [`/api/v1/leads/${shCode}`, { method: 'PATCH', token: s.report, json: {} }, 400, 'missing_field'],
      [`/api/v1/leads/${shCode}`, { method: 'PATCH', token: s.report, json: { store: 'nowhere' } }, 404, 'unknown_store'],
      ['/api/v1/leads/ZZZZZZ', { token: s.report }, 404, 'unknown_lead'],
      ['/api/v1/leads/O0O0O0', { token: s.report }, 400, 'invalid_lead_code'],
      [`/api/v1/leads?site=${s.site}&from=${today()}`, { token: s.report }, 400, 'missing_parameter'],
      [`/api/v1/leads?site=other-site&from=${today()}&to=${today()}`, { token: s.report }, 403, 'forbidden'],
      [q(), {}, 401, 'unauthorized'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await call(path, init);
      expect([path, res.status]).toEqual([path, status]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect((await row<{ status: string }>('SELECT status FROM leads WHERE site_key = ?1 AND code = ?2', s.site, other))!.status).toBe('new');
  });

  it('lets a store token screen its own store’s lead', async () => {
    const res = await call(`/api/v1/leads/${shCode}`, { method: 'PATCH', token: s.sh, json: { status: 'unqualified', note: '只是看看' } });
    expect(res.status).toBe(200);
    expect(await rows('SELECT status, note FROM leads WHERE site_key = ?1 AND code = ?2', s.site, shCode)).toEqual([{ status: 'unqualified', note: '只是看看' }]);
  });
});
