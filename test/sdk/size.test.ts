// The script tag's size is part of the promise: at most 2,048 bytes gzip -9.
// Deterministic, so it is checked here rather than benchmarked.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sizes } from '../../rollup.config.mjs';

const BUDGET_GZIP = 2048;

describe('dist/o2o.js', () => {
  it(`is built and at most ${BUDGET_GZIP} B gzip`, () => {
    expect(existsSync('dist/o2o.js'), 'run `npm run build` first').toBe(true);
    const s = sizes('dist/o2o.js');
    console.log(`dist/o2o.js: ${s.raw} B raw, ${s.gzip} B gzip -9, ${s.brotli} B brotli`);
    expect(s.gzip).toBeLessThanOrEqual(BUDGET_GZIP);
  });
});
