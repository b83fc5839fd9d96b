// @vitest-environment node
// Server-side rendering imports the package with no window: importing must not
// throw or touch a browser global.
import { describe, expect, it } from 'vitest';

describe('npm build in plain Node', () => {
  it('imports without a window', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const mod = await import('../../dist/index.mjs');
    expect(typeof mod.createTracker).toBe('function');
    expect(mod.LIMITS.maxEvents).toBe(50);
  });
});
