// The morning report in WeCom and DingTalk group chats (worker/robots/): the
// message of a seeded day field by field, both robots' messages as the robots
// check them (test/worker/crm-receiver.js: WeCom's shape and limit, DingTalk's
// shape and signature), queued exactly once per (site, robot, day) however
// often the cron fires, a robot answering errcode ≠ 0 retried with the CRM's
// backoff, and keys and secrets never answered. In workerd against real D1.
import { createScheduledController, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { BACKOFF_MS, MAX_ATTEMPTS } from '../../worker/crm/deliver';
import { getSite } from '../../worker/db/sites';
import { bytes } from '../../worker/robots/format';
import { MESSAGE_BYTES, morningMessage } from '../../worker/robots/message';
import { morningNumbers, type Line, type MorningNumbers } from '../../worker/robots/numbers';
import { FREQUENT } from '../../worker/scheduled';
import { ADMIN, call, createSite } from './helpers';
import { eventually, rows } from './leads-fixtures';
import { shanghaiDay } from './report-fixtures';
import { addRobot, D, DINGTALK_SECRET, ORIGIN, robotGot, seededSite, W } from './robots-fixtures';

interface Row {
  id: string;
  robot_id: string;
  day: string;
  kind: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_at: number;
}
const deliveries = (site: string, robot: string) =>
  rows<Row>('SELECT id, robot_id, day, kind, status, attempts, last_status, last_error, next_at FROM robot_deliveries WHERE site_key = ?1 AND robot_id = ?2 ORDER BY created_at, id', site, robot);

/** The worker's real scheduled handler, as the 10-minute Cron Trigger calls it, at time `at`. */
const cron = (at: number) => worker.scheduled!(createScheduledController({ scheduledTime: at, cron: FREQUENT }), env);

/** POST …/robots/:id/test and wait for its first attempt. */
async function testSend(site: string, robot: string): Promise<Row> {
  const res = await call(`/api/v1/admin/sites/${site}/robots/${robot}/test`, { method: 'POST', token: ADMIN });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id, day } = (await res.json()) as { id: string; day: string };
  expect(day).toBe(D.day); // yesterday, in the site's time zone
  return eventually(async () => (await deliveries(site, robot)).find((d) => d.id === id && d.attempts > 0), `the first attempt of ${id}`);
}

let site: string;
let places: { shanghai: string; zhejiang: string }; // the regions as the reports name them
let expected: string; // the markdown of D's report with the site's default link
beforeAll(async () => {
  ({ site, ...places } = await seededSite());
  expected = morningMessage(await morningNumbers(env.DB, (await getSite(env.DB, site))!, D.day), `${ORIGIN}/dashboard`).text;
});

describe('the message', () => {
  let n: MorningNumbers;
  beforeAll(async () => {
    n = await morningNumbers(env.DB, (await getSite(env.DB, site))!, D.day);
  });
  const byKey = (ls: Line[]) => Object.fromEntries(ls.map((l) => [l.key, l]));

  it('reads the day and the same weekday a week earlier from the reports', () => {
    expect([n.day, n.weekAgo]).toEqual([D.day, W.day]);
    expect(n.total.now).toMatchObject({ visitors: 4, consults: 3, appointments: 2, arrivals: 3, walkIns: 1, deals: 2, revenue: 1_650_000 });
    expect(n.total.weekAgo).toMatchObject({ consultRate: 0.5, appointmentRate: 0.5, arrivalRate: 0, closeRate: 1 });
    const ch = byKey(n.channels);
    expect(n.channels.map((l) => l.key)).toEqual(['wechat', 'baidu_sem', 'douyin']); // most buyers, then visitors, then name
    expect(ch.wechat.now).toMatchObject({ visitors: 2, consults: 1, appointments: 1, arrivals: 2, walkIns: 1, deals: 2, revenue: 1_650_000 });
    expect(ch.douyin.weekAgo).toBeNull();
    const st = byKey(n.stores);
    expect(st.s1).toMatchObject({ label: '上海徐汇店', now: { visitors: null, appointments: 1, arrivals: 2, deals: 2, revenue: 1_650_000 } });
    expect(st.s2.now).toMatchObject({ appointments: 1, arrivals: 1, deals: 0, revenue: 0 }); // its voided deal does not count
    expect(n.regions.map((r) => r.region)).toEqual([places.shanghai, places.zhejiang]); // most visitors first
    expect(n.regions[0].skus).toEqual([
      { sku: 'SOFA-01', visitors: 2, consults: 1, appointments: 1, units: 1 },
      { sku: 'BED-02', visitors: 1, consults: 1, appointments: 0, units: 0 },
    ]);
  });

  it('says it in Chinese, field by field: funnel, rates and their change, channels, stores, SKUs, yuan, the link', () => {
    const lines = expected.split('\n');
    const [m, d] = D.day.slice(5).split('-').map(Number);
    expect(lines[0]).toBe('### 木语家居 · 昨日经营日报');
    expect(lines[1]).toMatch(new RegExp(`^> ${m}月${d}日（周[日一二三四五六]），对比上周同日 \\d+月\\d+日（周[日一二三四五六]）；pp 为百分点$`));
    const weekdays = lines[1].match(/周[日一二三四五六]/g)!;
    expect(weekdays).toHaveLength(2);
    expect(weekdays[0]).toBe(weekdays[1]); // the same weekday
    expect(lines).toContain('**全站**：访客 4 · 咨询 3 · 预约 2 · 到店 3（自然进店 1） · 成交 2 · ¥16,500');
    expect(lines).toContain('- 咨询率 75.0%（↑25.0pp）'); // 3/4 against 2/4
    expect(lines).toContain('- 预约率 66.7%（↑16.7pp）'); // 2/3 against 1/2
    expect(lines).toContain('- 到店率 100.0%（↑100.0pp）'); // 2/2 (c walked in: not in it) against 0/1 (w4 walked in)
    expect(lines).toContain('- 成交率 66.7%（↓33.3pp）'); // 2/3 against 1/1
    expect(expected).toContain('- **wechat**：访客 2 · 咨询 1 · 预约 1 · 到店 2（自然进店 1） · 成交 2 · ¥16,500\n'
      + '  咨询率 50.0%（↑16.7pp）｜预约率 100.0%（↑100.0pp）｜到店率 100.0%｜成交率 100.0%');
    expect(expected).toContain('- **baidu_sem**：访客 1 · 咨询 1 · 预约 0 · 到店 0 · 成交 0 · ¥0\n'
      + '  咨询率 100.0%（持平）｜预约率 0.0%（↓100.0pp）｜到店率 —｜成交率 —');
    expect(expected).toContain('- **douyin**：访客 1 · 咨询 1 · 预约 1 · 到店 1 · 成交 0 · ¥0\n  咨询率 100.0%｜预约率 100.0%｜到店率 100.0%｜成交率 0.0%');
    expect(expected).toContain('- **上海徐汇店**：预约 1 · 到店 2（自然进店 1） · 成交 2 · ¥16,500\n  到店率 100.0%｜成交率 100.0%（持平）');
    expect(expected).toContain('- **杭州西湖店**：预约 1 · 到店 1 · 成交 0 · ¥0\n  到店率 100.0%｜成交率 0.0%');
    expect(lines).toContain(`- ${places.shanghai}：SOFA-01（访客 2，咨询 1，预约 1，售 1 件）、BED-02（访客 1，咨询 1）`);
    expect(lines).toContain(`- ${places.zhejiang}：TABLE-9（访客 1，咨询 1）`);
    expect(lines.at(-1)).toBe(`[打开看板查看详情](${ORIGIN}/dashboard)`);
    expect(bytes(expected)).toBeLessThanOrEqual(MESSAGE_BYTES);
  });

  it('stays within 4096 bytes of UTF-8 by whole lines, says what it left out and keeps the link', () => {
    const line = (i: number): Line => ({ key: `c${i}`, label: `渠道很长的名字${'长'.repeat(40)}${i}`, now: { ...n.total.now }, weekAgo: n.total.weekAgo });
    const big = { ...n, channels: Array.from({ length: 60 }, (_, i) => line(i)), stores: Array.from({ length: 60 }, (_, i) => line(i)) };
    const { text, title } = morningMessage(big, 'https://o2o.muyu.test/dashboard');
    expect(bytes(text)).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/另有 \d+ 项，见看板/);
    expect(text).toContain('篇幅所限');
    expect(text.endsWith('[打开看板查看详情](https://o2o.muyu.test/dashboard)')).toBe(true);
    expect(title).toMatch(/^木语家居 经营日报 \d+月\d+日（周.）$/);
  });
});

describe('sending', () => {
  it('posts WeCom\'s markdown shape, which the robot takes', async () => {
    await addRobot(site, 'wecom-shape', { kind: 'wecom', key: 'ok-wecom-shape', name: '上海门店群' });
    const d = await testSend(site, 'wecom-shape');
    expect(d).toMatchObject({ status: 'delivered', attempts: 1, last_status: 200, last_error: null, kind: 'test' });
    const [got] = await robotGot('wecom-shape');
    expect(got).toMatchObject({ kind: 'wecom', errcode: 0, query: { key: 'ok-wecom-shape' } });
    expect(got.body).toEqual({ msgtype: 'markdown', markdown: { content: expected } });
  });

  it('posts DingTalk\'s markdown signed (加签) so the robot verifies it, with the robot\'s own link', async () => {
    await addRobot(site, 'ding', { kind: 'dingtalk', accessToken: 'ok-ding-shape', secret: DINGTALK_SECRET, dashboardUrl: 'https://o2o.muyu.test/dashboard' });
    expect((await testSend(site, 'ding')).status).toBe('delivered');
    const [got] = await robotGot('ding-shape');
    expect(got).toMatchObject({ kind: 'dingtalk', errcode: 0, query: { access_token: 'ok-ding-shape' } });
    expect(Math.abs(Number(got.query.timestamp) - Date.now())).toBeLessThan(60_000); // milliseconds
    expect(got.query.sign).toMatch(/^[A-Za-z0-9+/]+=*$/); // base64, URL-decoded by the receiver
    expect(got.body.msgtype).toBe('markdown');
    expect(got.body.markdown.title).toMatch(/^木语家居 经营日报 /);
    expect(got.body.markdown.text).toBe(expected.replace(`(${ORIGIN}/dashboard)`, '(https://o2o.muyu.test/dashboard)'));
  });

  it('is refused by DingTalk when signed with another secret, and kept for a retry', async () => {
    await addRobot(site, 'ding-wrong', { kind: 'dingtalk', accessToken: 'ok-ding-wrong', secret: 'SECnotthesecretthereceiverknows0000' });
    const d = await testSend(site, 'ding-wrong');
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status: 200, last_error: 'errcode 310000: sign not match' });
    expect((await robotGot('ding-wrong'))[0].errcode).toBe(310000);
    // Removing the robot fails what it had not sent.
    const del = await call(`/api/v1/admin/sites/${site}/robots/ding-wrong`, { method: 'DELETE', token: ADMIN });
    expect(await del.json()).toEqual({ site, id: 'ding-wrong', removed: true });
    expect((await deliveries(site, 'ding-wrong'))[0]).toMatchObject({ status: 'failed', last_error: 'the robot was removed' });
  });

  it('retries a robot answering errcode ≠ 0 with the CRM\'s backoff, then delivers the same message', async () => {
    await addRobot(site, 'flaky', { kind: 'wecom', key: 'flaky-wecom-retry' });
    const first = await testSend(site, 'flaky');
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_status: 200, last_error: 'errcode 45009: api freq out of limit' });
    await cron(first.next_at - 1); // not due yet
    expect((await deliveries(site, 'flaky'))[0].attempts).toBe(1);
    await cron(first.next_at);
    expect((await deliveries(site, 'flaky'))[0]).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
    const got = await robotGot('wecom-retry');
    expect(got.map((g) => [g.attempt, g.errcode])).toEqual([[1, 45009], [2, 0]]);
    expect(got[1].body).toEqual(got[0].body);
  });

  it('gives up after the CRM\'s attempts, each after its backoff, and shows why', async () => {
    await addRobot(site, 'down', { kind: 'wecom', key: 'down-wecom-down' });
    let d = await testSend(site, 'down');
    const gaps: number[] = [];
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      const at = d.next_at;
      await cron(at);
      const next = (await deliveries(site, 'down'))[0];
      if (next.status === 'pending') gaps.push(next.next_at - at);
      d = next;
    }
    expect(gaps).toEqual(BACKOFF_MS.slice(1));
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'errcode -1: system busy' });
    const res = await call(`/api/v1/admin/sites/${site}/robots/deliveries?robot=down&status=failed`, { token: ADMIN });
    expect(((await res.json()) as { deliveries: unknown[] }).deliveries).toEqual([expect.objectContaining({ robot: 'down', attempts: MAX_ATTEMPTS, lastError: 'errcode -1: system busy' })]);
  });
});

describe('the admin API', () => {
  it('never answers a key, token or secret in full', async () => {
    const s = await createSite({ origins: [ORIGIN] });
    const key = 'ok-secret-wecom-693a91f6';
    const url = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`;
    const put = await addRobot(s, 'w', { kind: 'wecom', key: url }); // the whole webhook URL, as the robot's page shows it
    expect(put).toMatchObject({ kind: 'wecom', key: '••••91f6', secret: null, link: `${ORIGIN}/dashboard`, enabled: true });
    await addRobot(s, 'd', { kind: 'dingtalk', accessToken: 'ok-secret-ding-c0ffee', secret: DINGTALK_SECRET });
    expect((await call(`/api/v1/admin/sites/${s}/robots/d/test`, { method: 'POST', token: ADMIN })).status).toBe(202);
    // A change without the credentials keeps them.
    const again = await call(`/api/v1/admin/sites/${s}/robots/d`, { method: 'PUT', token: ADMIN, json: { kind: 'dingtalk', name: '钉钉群' } });
    expect(again.status).toBe(200);
    const stored = await rows<{ token: string; secret: string | null }>('SELECT token, secret FROM robots WHERE site_key = ?1 ORDER BY id', s);
    expect(stored).toEqual([{ token: 'ok-secret-ding-c0ffee', secret: DINGTALK_SECRET }, { token: key, secret: null }]);
    const answers = await Promise.all(['', '/w', '/d', '/deliveries'].map(async (p) => (await call(`/api/v1/admin/sites/${s}/robots${p}`, { token: ADMIN })).text()));
    for (const text of [...answers, JSON.stringify(put), await again.text()]) {
      for (const secret of [key, 'ok-secret-ding-c0ffee', DINGTALK_SECRET, DINGTALK_SECRET.slice(0, 12)]) expect(text).not.toContain(secret);
    }
    const list = JSON.parse(answers[0]) as { robots: { id: string; key: string; secret: string | null; name: string }[] };
    expect(list.robots.map((r) => [r.id, r.key, r.secret, r.name])).toEqual([['d', '••••ffee', '••••2345', '钉钉群'], ['w', '••••91f6', null, 'w']]);
  });

  it('asks for the credentials a new robot needs', async () => {
    const s = await createSite();
    const put = (json: unknown) => call(`/api/v1/admin/sites/${s}/robots/r`, { method: 'PUT', token: ADMIN, json });
    const noKey = await put({ kind: 'wecom' });
    expect([noKey.status, ((await noKey.json()) as { error: { code: string } }).error.code]).toEqual([400, 'missing_field']);
    expect((await put({ kind: 'dingtalk', accessToken: 'ok-ding-nosecret' })).status).toBe(400);
    expect((await put({ kind: 'dingtalk', accessToken: 'ok-ding-nosecret', secret: 'not-a-secret' })).status).toBe(400);
    expect((await put({ kind: 'feishu', key: 'ok-robot-x' })).status).toBe(400);
    expect((await call(`/api/v1/admin/sites/${s}/robots/r`, { token: ADMIN })).status).toBe(404);
  });
});

describe('the morning', () => {
  it('queues each robot\'s report of yesterday once past 08:00 local, exactly once however often the cron fires', async () => {
    const s = await createSite({ name: '一日一报', origins: [ORIGIN] });
    await addRobot(s, 'once', { kind: 'wecom', key: 'ok-wecom-once' });
    // Tomorrow in Shanghai: the robot was added before that morning's 08:00.
    const tomorrow = shanghaiDay(-1);
    const at = (h: number, m = 0, days = 0) => tomorrow.start + days * 86_400_000 + (h * 60 + m) * 60_000;
    await cron(at(7, 50));
    expect(await deliveries(s, 'once')).toEqual([]); // 07:50: not yet
    await cron(at(8, 0));
    await Promise.all([1, 2, 3, 4, 5].map(() => cron(at(8, 10)))); // overlapping runs
    await cron(at(9, 0));
    await cron(at(23, 50));
    const today = shanghaiDay(0).day;
    expect((await deliveries(s, 'once')).map((d) => [d.day, d.kind, d.status])).toEqual([[today, 'daily', 'delivered']]);
    await cron(at(8, 0, 1)); // the morning after: the next day's report
    await cron(at(8, 10, 1));
    expect((await deliveries(s, 'once')).map((d) => [d.day, d.kind])).toEqual([[today, 'daily'], [tomorrow.day, 'daily']]);
    expect((await robotGot('wecom-once')).map((g) => g.errcode)).toEqual([0, 0]);
  });

  it('waits for tomorrow when the robot is added after this morning\'s 08:00, and skips a paused robot', async () => {
    const s = await createSite();
    await addRobot(s, 'late', { kind: 'wecom', key: 'ok-wecom-late' });
    await addRobot(s, 'paused', { kind: 'wecom', key: 'ok-wecom-paused', enabled: false });
    const now = Date.now();
    await cron(now + 60_000);
    expect(await deliveries(s, 'late')).toEqual([]);
    await cron(shanghaiDay(-1).start + 8 * 3600_000);
    expect((await deliveries(s, 'late')).length).toBe(1);
    expect(await deliveries(s, 'paused')).toEqual([]);
    const test = await call(`/api/v1/admin/sites/${s}/robots/paused/test`, { method: 'POST', token: ADMIN });
    expect(test.status).toBe(409);
  });
});
