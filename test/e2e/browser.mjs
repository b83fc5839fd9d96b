// Debian's chromium driven by playwright-core: headless, no sandbox, nothing
// in the background that talks to the internet, a fresh profile per context.
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * A visitor's Chrome on Linux. Headless Chromium says "HeadlessChrome", which the
 * worker's bot filter (rightly) drops. Set for the whole browser (--user-agent),
 * not per context: a beacon sent on pagehide leaves from the browser process after
 * the page is gone, with the browser's own user agent, not the context's override
 * (measured on Chromium 156: such beacons said HeadlessChrome and were dropped as a bot's).
 */
export function visitorAgent() {
  const major = /(\d+)\./.exec(spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '156';
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-agent=${visitorAgent()}`],
  });
}

/** Options for a visitor's context: a Chinese visitor's locale and time zone (the user agent is the browser's, see visitorAgent). */
export function visitorOptions(extra = {}) {
  return {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 860 },
    ...extra,
  };
}

/**
 * Hides or shows the page as a switch to another tab would. Measured on
 * Chromium 156 headless: opening or activating another tab (Target.createTarget
 * / activateTarget, window.open, bringToFront), minimising the window
 * (Browser.setWindowBounds) and Page.setWebLifecycleState never change
 * document.visibilityState; headless pages stay "visible" (probe: hiddenByTabSwitch).
 * So the test sets visibilityState / hidden on the real document and dispatches
 * the real `visibilitychange` event the SDK listens to, in the page's own event loop.
 */
export async function setVisibility(page, state) {
  await page.evaluate((s) => {
    for (const [prop, value] of [['visibilityState', s], ['hidden', s === 'hidden']]) {
      Object.defineProperty(document, prop, { configurable: true, get: () => value });
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
  const now = await page.evaluate(() => document.visibilityState);
  if (now !== state) throw new Error(`visibilityState is ${now}, wanted ${state}`);
}

/** Does opening another tab hide this one in this Chromium? (Printed by the test, so a future Chromium that does is noticed.) */
export async function hiddenByTabSwitch(context, page) {
  const other = await context.newPage();
  await other.bringToFront();
  await new Promise((r) => setTimeout(r, 300));
  const state = await page.evaluate(() => document.visibilityState);
  await other.close();
  await page.bringToFront();
  return state === 'hidden';
}
