// The mini program SDK's delivery under a simulated `wx` (miniprogram-wx.ts),
// against both builds: the offline queue in wx storage (replay, backoff,
// bounds), the visitor's ids, opt-out, and that nothing throws into the mini program.
import { describe, expect, it, vi } from 'vitest';
import type { WireEvent } from '../../protocol/wire';
import { BUILDS, harness, settle, useSimulatedWx, w, type Hooks } from './miniprogram-wx';

useSimulatedWx();

describe.each(BUILDS)('%s build', (_, load) => {
  const { make, openPage, appOf, valid } = harness(load());
  describe('the offline queue', () => {
    it('keeps a failed batch in wx storage and replays it, same ids, at the next launch after the backoff; an answer empties it', async () => {
      const t = make();
      w.answer = 'fail';
      openPage(t, 'pages/index/index');
      t.consult('phone', 'x');
      t.flush();
      const code = await Promise.resolve(t.appointment({ store: 's1' }));
      await settle();
      expect(await code).toBeUndefined();
      const kept = (w.getStorageSync('o2o_q') as { e: WireEvent[] }).e;
      expect(kept.map((e) => e.t)).toEqual(['view', 'consult', 'appointment']);

      w.answer = { statusCode: 202, data: { accepted: 3, duplicates: 0, rejected: [] } };
      const next = appOf(make()); // the next launch replays at once (a fresh failure set no wait), once for its three hooks
      next.onLaunch.call(next, w.launch);
      next.onShow.call(next, w.launch);
      await settle();
      expect(w.requests).toHaveLength(1);
      expect(w.requests[0].batch.e.map((e) => e.i)).toEqual(kept.map((e) => e.i));
      expect(w.getStorageSync('o2o_q')).toBe(0);
    });

    it('keeps a batch that failed while a replay was under way when the replay is then answered', async () => {
      w.answer = 'fail';
      const t = make();
      openPage(t, 'pages/index/index');
      t.flush();
      await settle();
      // The next launch's replay is slow to answer (a 10 s timeout is allowed); a batch sent meanwhile fails at once.
      const held: (() => void)[] = [];
      const request = w.request;
      w.request = (o) => (held.push(() => o.success({ statusCode: 202, data: { accepted: 1, duplicates: 0, rejected: [] } })), { abort() {} });
      const u = make();
      expect(held).toHaveLength(1);
      w.request = request;
      openPage(u, 'pages/sku/index');
      u.flush();
      await settle();
      const failed = (w.getStorageSync('o2o_q') as { e: WireEvent[] }).e.at(-1)!;
      expect(failed.u).toBe('/pages/sku/index');
      held[0]();
      await settle();
      // The replay's events leave the queue; the batch that failed meanwhile stays for the next replay.
      expect((w.getStorageSync('o2o_q') as { e: WireEvent[] }).e.map((e) => e.i)).toEqual([failed.i]);
    });

    it('keeps what failed while wx storage is full (writes refused, reads still answer) for the next replay', async () => {
      w.answer = 'fail';
      const t = make();
      openPage(t, 'pages/index/index');
      t.flush();
      await settle();
      // The host app fills the 10 MB quota: setStorageSync throws, getStorageSync still reads the older values.
      const set = w.setStorageSync;
      w.setStorageSync = () => {
        throw new Error('setStorageSync:fail exceed storage max size 10Mb');
      };
      openPage(t, 'pages/sku/index');
      t.flush();
      await settle();
      w.answer = { statusCode: 202, data: { accepted: 2, duplicates: 0, rejected: [] } };
      const app = appOf(t);
      app.onShow.call(app, w.launch); // back from the background: the replay
      await settle();
      expect(w.requests.at(-1)!.batch.e.map((e) => e.u)).toEqual(['/pages/index/index', '/pages/sku/index']);
      w.setStorageSync = set;
    });

    it('backs off after a failed replay (5 s, then 10 s) and retries a 429 or 5xx but drops a 400', async () => {
      w.answer = { statusCode: 503, data: {} };
      const t = make();
      openPage(t, 'pages/index/index');
      t.flush();
      await settle();
      make(); // replay 1 fails: wait 5 s
      await settle();
      expect(w.requests).toHaveLength(2);
      vi.advanceTimersByTime(4_000);
      make();
      await settle();
      expect(w.requests).toHaveLength(2); // still waiting
      vi.advanceTimersByTime(1_000);
      w.answer = { statusCode: 429, data: {} };
      make();
      await settle();
      expect(w.requests).toHaveLength(3);
      expect((w.getStorageSync('o2o_q') as { n: number; t: number }).t).toBe(Date.now() + 10_000);
      w.storage.clear();
      w.answer = { statusCode: 400, data: { error: { code: 'invalid_batch', message: 'x' } } };
      const u = make();
      openPage(u, 'pages/index/index');
      u.flush();
      await settle();
      expect(w.getStorageSync('o2o_q')).toBe('');
    });

    it('is bounded like the web SDK: 49 events kept, the oldest dropped and counted in an o2o_dropped event of the replay', async () => {
      const t = make();
      w.answer = 'fail';
      openPage(t, 'pages/index/index');
      for (let i = 0; i < 59; i++) t.track('tap', { i });
      t.flush();
      await settle();
      const kept = w.getStorageSync('o2o_q') as { e: WireEvent[]; x: number };
      expect(kept.e).toHaveLength(49);
      expect(kept.x).toBe(11);
      w.answer = { statusCode: 202, data: {} };
      make();
      await settle();
      const replayed = w.requests[0].batch.e;
      expect(replayed).toHaveLength(50);
      expect(replayed[49]).toMatchObject({ t: 'track', n: 'o2o_dropped', p: { n: 11 } });
      expect(new Set(replayed.map((e) => e.i)).size).toBe(50); // every event its own id
      valid();
    });
  });

  describe('the visitor', () => {
    it('keeps one visitor and session id in wx storage across launches; every event has its own id', () => {
      const t = make();
      openPage(t, 'pages/a/index');
      openPage(t, 'pages/b/index');
      t.flush();
      const u = make();
      openPage(u, 'pages/c/index');
      u.flush();
      const e = valid();
      expect(new Set(e.map((x) => x.v)).size).toBe(1);
      expect(new Set(e.map((x) => x.ss)).size).toBe(1);
      expect(new Set(e.map((x) => x.i)).size).toBe(e.length);
      vi.advanceTimersByTime(31 * 60_000);
      openPage(u, 'pages/d/index');
      u.flush();
      expect(valid().at(-1)!.ss).not.toBe(e[0].ss); // a new session after 30 minutes idle
    });

    it('opts out for good: nothing queued or sent, the queue forgotten, and a later launch stays quiet', async () => {
      const t = make();
      w.answer = 'fail';
      openPage(t, 'pages/a/index');
      t.flush();
      await settle();
      t.optout();
      expect(w.getStorageSync('o2o_off')).toBe(1);
      expect(w.getStorageSync('o2o_q')).toBe(0);
      w.answer = { statusCode: 202, data: {} };
      openPage(t, 'pages/b/index');
      t.consult('phone');
      expect(await t.appointment({ store: 's' })).toBeUndefined();
      t.flush();
      const u = make();
      openPage(u, 'pages/c/index');
      u.flush();
      await settle();
      expect(w.requests).toHaveLength(0);
    });
  });

  describe('what the phone may hold', () => {
    it('reads only the well-formed part of its storage keys: a value another part of the app wrote never stops it', async () => {
      for (const junk of ['garbage', { x: 3 }, [1, 2], { e: 'x', x: 'y' }, { e: [null, 5, { t: 'view' }] }]) {
        w.storage.set('o2o_q', JSON.stringify(junk));
        w.storage.set('o2o_id', JSON.stringify(typeof junk === 'string' ? 5 : [junk, junk, 'x']));
        w.storage.set('o2o_f', JSON.stringify(junk));
        w.requests = [];
        const t = make();
        openPage(t, 'pages/index/index');
        t.flush();
        await settle();
        expect(valid('view'), JSON.stringify(junk)).toHaveLength(1);
      }
    });

    it('sends a batch over the worker\'s 64 KiB in parts, each under it, and loses none of it', async () => {
      const bodies: number[] = [];
      w.answer = (b) => {
        const n = Buffer.byteLength(JSON.stringify(b));
        bodies.push(n);
        return n > 65_536 ? { statusCode: 413, data: {} } : { statusCode: 202, data: { accepted: b.e.length, duplicates: 0, rejected: [] } };
      };
      const t = make();
      const props: Record<string, string> = {};
      for (let i = 0; i < 20; i++) props['k' + i] = '沙发'.repeat(200); // cut to 256 characters: 768 bytes each
      openPage(t, 'pages/index/index');
      for (let i = 0; i < 9; i++) t.track('spec_view', props);
      await settle();
      expect(Math.max(...bodies)).toBeLessThanOrEqual(65_536);
      expect(valid('track')).toHaveLength(9);
      expect(valid('view')).toHaveLength(1);
      expect(valid('track')[0].p!.k0).toHaveLength(256);
    });

    it('writes a fresh batch down until it is answered: a run ended before the answer has it replayed by the next', async () => {
      const held: (() => void)[] = [];
      const t = make();
      w.request = ((o: { success: (r: unknown) => void }) => { held.push(() => o.success({ statusCode: 202, data: {} })); }) as unknown as typeof w.request;
      openPage(t, 'pages/index/index');
      const code = t.appointment({ store: 's1' });
      expect((w.getStorageSync('o2o_f') as { e: WireEvent[] }).e.map((e) => e.t)).toEqual(['view', 'appointment']);
      held[0]();
      await settle();
      expect(await code).toBeUndefined(); // answered with no lead code
      expect(w.getStorageSync('o2o_f')).toBe(0);

      // Another batch under way when the run ends: the flight key names its run, so a tracker of the same run
      // leaves it alone and the next run (a fresh build of the module: another run id) queues and replays it.
      t.consult('phone', 'x');
      t.flush();
      const left = w.getStorageSync('o2o_f') as { r: string; e: WireEvent[] };
      expect(left.e.map((e) => e.t)).toEqual(['consult']);
      make();
      expect(w.getStorageSync('o2o_f')).toEqual(left);
      w.storage.set('o2o_f', JSON.stringify({ ...left, r: 'an-ended-run' }));
      const sent: WireEvent[][] = [];
      w.request = ((o: { data: string; success: (r: unknown) => void }) => { sent.push(JSON.parse(o.data).e); o.success({ statusCode: 202, data: {} }); }) as unknown as typeof w.request;
      make();
      await settle();
      expect(sent.flat().map((e) => e.i)).toEqual(left.e.map((e) => e.i));
      expect(w.getStorageSync('o2o_q')).toBe(0);
    });

    it('an opt-out keeps nothing on the phone, not even a batch under way that then fails, and holds when storage was full', async () => {
      let fail: (() => void) | undefined;
      const t = make();
      w.request = ((o: { fail: (e: unknown) => void }) => { fail = () => o.fail({ errMsg: 'request:fail' }); }) as unknown as typeof w.request;
      openPage(t, 'pages/index/index', { sku: 'S1' });
      t.flush();
      t.optout();
      fail!();
      await settle();
      expect(w.getStorageSync('o2o_q')).toBe(0);
      expect(w.getStorageSync('o2o_f')).toBe(0);

      // Storage full of the tracker's own queue: the opt-out makes room by forgetting it, and is kept.
      w.storage.clear();
      const u = make();
      w.answer = 'fail';
      openPage(u, 'pages/a/index');
      u.flush();
      await settle();
      const real = w.setStorageSync;
      w.setStorageSync = (k: string, v: unknown) => {
        if (v !== 0 && w.storage.has('o2o_q')) throw new Error('setStorageSync:fail exceed storage max size 10Mb');
        if (v === 0) w.storage.delete(k);
        else real(k, v);
      };
      u.optout();
      expect(w.getStorageSync('o2o_off')).toBe(1);
    });
  });

  describe('never throws into the mini program', () => {
    it("runs the mini program's own hooks with their this, arguments and return value, whatever the tracker meets", async () => {
      const t = make();
      w.answer = 'throw';
      w.storageThrows = true;
      const seen: unknown[] = [];
      const page = openPage(t, 'pages/a/index', { sku: 'X' }, {
        onLoad(this: unknown, o: unknown) { seen.push(['load', (this as { route: string }).route, o]); },
        onShow() { return 'shown'; },
      });
      expect(page.onShow.call(page)).toBe('shown');
      expect(seen).toEqual([['load', 'pages/a/index', { sku: 'X' }]]);
      const app = appOf(t, { onShow: () => 'app shown' });
      expect(app.onShow.call(app, undefined)).toBe('app shown');
      expect(() => {
        page.onHide.call(page);
        t.tap(undefined as never);
        t.track(undefined as never, { n: 1n } as never);
        t.consult(undefined as never);
        t.flush();
        app.onHide.call(app);
      }).not.toThrow();
      await expect(t.appointment({ big: 1n } as never)).resolves.toBeUndefined();
      await expect(t.appointment(undefined as never)).resolves.toBeUndefined();
      // An own hook's error is the mini program's, and reaches it.
      const failing = Object.assign({ route: 'p' }, t.page({ onShow() { throw new Error('own'); } })) as unknown as Hooks;
      expect(() => failing.onShow.call(failing)).toThrow('own');
    });
  });
});
