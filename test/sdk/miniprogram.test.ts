// The mini program SDK (o2o-tracker/miniprogram) under a simulated `wx`
// (miniprogram-wx.ts), every case against both builds (the ESM, and the
// CommonJS copy WeChat DevTools takes): set-up, views and landings, dwell,
// consults, appointments, the scene codec. Payloads are asserted in part, and
// every event sent must pass the worker's own event check.
import * as esm from 'o2o-tracker/miniprogram';
import { describe, expect, it, vi } from 'vitest';
import { BUILDS, harness, settle, useSimulatedWx, w, type Hooks } from './miniprogram-wx';

useSimulatedWx();

describe.each(BUILDS)('%s build', (_, load) => {
  const mp = load();
  const { make, openPage, appOf, valid } = harness(mp);
  describe('set-up', () => {
    it('fails fast with a message naming createTracker: no site, no endpoint, not a URL, not in a mini program', () => {
      expect(() => mp.createTracker({ site: '', endpoint: 'https://x.cn' })).toThrow(/createTracker.*site/);
      expect(() => mp.createTracker({ site: 's', endpoint: 'stats.acme.cn' })).toThrow(/createTracker.*https/);
      vi.stubGlobal('wx', undefined);
      expect(() => make()).toThrow(/createTracker.*mini program/);
    });

    it('posts JSON to /collect with wx.request whatever form the endpoint takes', async () => {
      for (const endpoint of ['https://x.cn', 'https://x.cn/', 'https://x.cn/collect']) {
        w.requests = [];
        const t = make({ endpoint });
        openPage(t, 'pages/index/index');
        t.flush();
        expect(w.requests[0]).toMatchObject({ url: 'https://x.cn/collect', method: 'POST', header: { 'content-type': 'application/json' }, batch: { s: 'acme' } });
      }
    });
  });

  describe('views and landings', () => {
    it('sends a view per page show; the first after the launch carries the scene number and the channel and promoter decoded from the code', () => {
      w.launch = { path: 'pages/sku/index', scene: 1047, query: { scene: encodeURIComponent(mp.encodeScene({ ch: 'dy_live', pr: 'p0123' })) } };
      const t = make();
      const app = appOf(t);
      app.onLaunch.call(app, w.launch);
      app.onShow.call(app, w.launch);
      const sku = openPage(t, 'pages/sku/index', { sku: 'SOFA-101', phone: '13800138000' });
      sku.onHide.call(sku);
      openPage(t, 'pages/list/index');
      t.flush();
      const [first, second] = valid('view');
      expect(first).toMatchObject({ u: '/pages/sku/index', k: 'SOFA-101', sc: 1047, q: { ch: 'dy_live', pr: 'p0123' } });
      expect(second).toMatchObject({ u: '/pages/list/index' });
      expect(second.sc).toBeUndefined();
      expect(second.q).toBeUndefined();
      expect(JSON.stringify(w.requests)).not.toContain('13800138000'); // page options other than the SKU stay in the phone
    });

    it('a return from the background is a new landing, with its own scene; the launch query wins over the scene', () => {
      const t = make();
      const app = appOf(t);
      app.onShow.call(app, w.launch);
      const page = openPage(t, 'pages/index/index');
      app.onHide.call(app);
      page.onHide.call(page);
      const back = { path: 'pages/index/index', scene: 1007, query: { ch: 'wx_share', scene: 'other~p9', utm_source: 'moments', gdt_vid: 'G1', name: 'Li' } };
      app.onShow.call(app, back);
      page.onShow.call(page);
      t.flush();
      const views = valid('view');
      expect(views).toHaveLength(2);
      expect(views[0]).toMatchObject({ sc: 1001 });
      expect(views[1]).toMatchObject({ sc: 1007, q: { ch: 'wx_share', pr: 'p9', utm_source: 'moments', gdt_vid: 'G1' } });
      expect(views[1].q).not.toHaveProperty('name');
    });

    it('counts the cold start from wx.getLaunchOptionsSync when only the pages are wrapped; sceneCodes: false leaves a scene alone', () => {
      w.launch = { path: 'pages/index/index', scene: 1011, query: { scene: 'item42' } };
      const t = make({ sceneCodes: false });
      openPage(t, 'pages/index/index');
      t.flush();
      expect(valid('view')[0]).toMatchObject({ sc: 1011 });
      expect(valid('view')[0].q).toBeUndefined();
    });

    it('takes the SKU from a configured page option, else from o2o.sku(), which is its own page only', () => {
      const t = make({ skuParam: 'item' });
      openPage(t, 'pages/sku/index', { item: 'BED-7' });
      const other = t.page({ onLoad() { t.sku('LAMP-3'); } }) as Hooks;
      const page = Object.assign({ route: 'pages/custom/index' }, other);
      page.onLoad.call(page, {});
      page.onShow.call(page);
      t.consult('chat', 'x');
      page.onHide.call(page);
      openPage(t, 'pages/index/index');
      t.flush();
      expect(valid().map((e) => [e.t, e.k])).toEqual([['view', 'BED-7'], ['view', 'LAMP-3'], ['consult', 'LAMP-3'], ['view', undefined]]);
    });
  });


    it('o2o.sku() in the page\'s onShow is on its view; in onLoad it stays the page\'s for its later shows and consults', () => {
      const t = make();
      const shown = Object.assign({ route: 'pages/sku/index' }, t.page({ onShow() { t.sku('SOFA-9'); } })) as unknown as Hooks;
      shown.onLoad.call(shown, {});
      shown.onShow.call(shown);
      shown.onHide.call(shown);
      const loaded = Object.assign({ route: 'pages/sku/index' }, t.page({ onLoad() { t.sku('BED-2'); } })) as unknown as Hooks;
      loaded.onLoad.call(loaded, {});
      loaded.onShow.call(loaded);
      loaded.onHide.call(loaded);
      const b = openPage(t, 'pages/b/index');
      b.onUnload.call(b);
      loaded.onShow.call(loaded); // navigateBack
      t.consult('phone', 'x');
      t.flush();
      expect(valid().filter((e) => e.t !== 'dwell').map((e) => [e.t, e.u, e.k])).toEqual([
        ['view', '/pages/sku/index', 'SOFA-9'], ['view', '/pages/sku/index', 'BED-2'], ['view', '/pages/b/index', undefined],
        ['view', '/pages/sku/index', 'BED-2'], ['consult', '/pages/sku/index', 'BED-2'],
      ]);
    });

    it('wrapping twice counts once; a Component() page has its hooks in methods, wrapped there', () => {
      const t = make();
      const twice = Object.assign({ route: 'pages/a/index' }, t.page(t.page({}))) as unknown as Hooks;
      twice.onLoad.call(twice, {});
      twice.onShow.call(twice);
      const comp = t.page({ methods: { onLoad() {}, onShow() { return 'own'; } } }) as { methods: Hooks };
      const self = { is: 'pages/c/index', ...comp.methods };
      comp.methods.onLoad.call(self, { sku: 'DESK-1' });
      expect(comp.methods.onShow.call(self)).toBe('own');
      t.flush();
      expect(valid('view').map((e) => [e.u, e.k])).toEqual([['/pages/a/index', undefined], ['/pages/c/index', 'DESK-1']]);
    });

  describe('dwell, consults, appointments', () => {
    it('sends the visible time from onShow to onHide (and onUnload) as dwell of the view; a return from the background (a call, an image preview) is the same view', () => {
      const t = make();
      const app = appOf(t);
      app.onShow.call(app, w.launch);
      const page = openPage(t, 'pages/sku/index', { sku: 'SOFA-101' });
      vi.advanceTimersByTime(12_000); // the view left at the 2 s threshold
      expect(w.requests).toHaveLength(1);
      page.onHide.call(page);
      app.onHide.call(app);
      expect(w.requests).toHaveLength(2); // hiding sends the dwell at once
      vi.advanceTimersByTime(60_000); // away: not dwell
      app.onShow.call(app, w.launch); // WeChat repeats the launch's options
      page.onShow.call(page);
      vi.advanceTimersByTime(3_000);
      page.onHide.call(page);
      // Shown again after another page (navigateBack): a new view of the page, with its SKU.
      const next = openPage(t, 'pages/list/index');
      next.onUnload.call(next); // no time visible: no dwell
      page.onShow.call(page);
      vi.advanceTimersByTime(2_000);
      page.onUnload.call(page);
      const [view1, list, view2] = valid('view');
      expect(valid('view')).toHaveLength(3);
      expect(list.u).toBe('/pages/list/index');
      expect(valid('dwell')).toMatchObject([
        { d: 12_000, pv: view1.pv, k: 'SOFA-101' }, { d: 3_000, pv: view1.pv, k: 'SOFA-101' }, { d: 2_000, pv: view2.pv, k: 'SOFA-101' },
      ]);
      expect(view2).toMatchObject({ k: 'SOFA-101' });
    });

    it('a return with a new scene but the launch\'s parameters is a landing of that scene alone, never the code again', () => {
      w.launch = { path: 'pages/index/index', scene: 1047, query: { ch: 'poster_a' } };
      const t = make();
      const app = appOf(t);
      app.onLaunch.call(app, w.launch);
      app.onShow.call(app, w.launch);
      const page = openPage(t, 'pages/index/index');
      page.onHide.call(page);
      app.onHide.call(app);
      app.onShow.call(app, { ...w.launch, scene: 1089 }); // reopened from the recent list
      page.onShow.call(page);
      t.flush();
      const views = valid('view');
      expect(views).toHaveLength(2);
      expect(views[0]).toMatchObject({ sc: 1047, q: { ch: 'poster_a' } });
      expect(views[1]).toMatchObject({ sc: 1089 });
      expect(views[1].q).toBeUndefined();
    });

    it('records a bindtap consult from the data-o2o-* dataset, and wraps wx.makePhoneCall without sending the number', () => {
      const t = make();
      openPage(t, 'pages/store/index');
      t.tap({ currentTarget: { dataset: { o2oConsult: 'wechat', o2oLabel: '加顾问微信' } } });
      t.tap({ currentTarget: { dataset: {} } });
      t.makePhoneCall({ phoneNumber: '4008001234', label: '门店电话' });
      expect(w.calls).toEqual([expect.objectContaining({ phoneNumber: '4008001234' })]);
      expect(w.calls[0]).not.toHaveProperty('label');
      expect(valid('consult')).toMatchObject([{ c: 'wechat', l: '加顾问微信', u: '/pages/store/index' }, { c: 'chat', l: '' }, { c: 'phone', l: '门店电话' }]);
      expect(JSON.stringify(w.requests)).not.toContain('4008001234');
    });

    it('sends an appointment at once with what is queued and resolves the lead code the worker answers', async () => {
      const t = make();
      openPage(t, 'pages/sku/index', { sku: 'SOFA-101' });
      w.answer = (b) => ({ statusCode: 202, data: { accepted: b.e.length, duplicates: 0, rejected: [], leads: { [b.e[b.e.length - 1].i]: '2Y649R' } } });
      const code = t.appointment({ store: 'sh-xuhui', budget: 12000 });
      await settle();
      expect(await code).toBe('2Y649R');
      expect(w.requests).toHaveLength(1);
      expect(w.requests[0].batch.e.map((e) => e.t)).toEqual(['view', 'appointment']);
      expect(valid('appointment')[0]).toMatchObject({ k: 'SOFA-101', p: { store: 'sh-xuhui', budget: 12000 } });
    });
  });

});

describe('scene codes', () => {
  const { encodeScene, decodeScene, SCENE_MAX } = esm;
  it('fits a channel and a promoter in the 32 characters of a mini program code, and reads them back', () => {
    expect(encodeScene({ ch: 'dy_live', pr: 'p0123' })).toBe('dy_live~p0123');
    expect(encodeScene({ ch: 'poster.sh-01' })).toBe('poster.sh-01');
    expect(encodeScene({ pr: 'zhang3' })).toBe('~zhang3');
    expect(decodeScene('dy_live~p0123')).toEqual({ ch: 'dy_live', pr: 'p0123' });
    expect(decodeScene(encodeURIComponent('~zhang3'))).toEqual({ pr: 'zhang3' });
    expect(decodeScene('poster.sh-01')).toEqual({ ch: 'poster.sh-01' });
    const longest = encodeScene({ ch: 'c'.repeat(15), pr: 'p'.repeat(16) });
    expect(longest).toHaveLength(SCENE_MAX);
    expect(decodeScene(longest)).toEqual({ ch: 'c'.repeat(15), pr: 'p'.repeat(16) });
  });

  it('reads the longer ch=…&pr=… form too, and nothing from a payload of another shape', () => {
    expect(decodeScene(encodeURIComponent('pr=p7&ch=baidu&id=9'))).toEqual({ ch: 'baidu', pr: 'p7' });
    expect(decodeScene('id=42')).toEqual({});
    expect(decodeScene('a~b~c')).toEqual({});
    expect(decodeScene('%E4%B8%AD')).toEqual({});
    expect(decodeScene('%')).toEqual({});
    expect(decodeScene(undefined)).toEqual({});
  });

  it('refuses what a code cannot carry, naming encodeScene', () => {
    expect(() => encodeScene({ ch: 'c'.repeat(20), pr: 'p'.repeat(12) })).toThrow(/encodeScene.*32/);
    expect(() => encodeScene({ ch: '抖音' })).toThrow(/encodeScene/);
    expect(() => encodeScene({ ch: 'a~b' })).toThrow(/encodeScene/);
  });
});
