// Four projects: the worker inside workerd against a real local D1 with the real
// migrations (its property battery, fuzz.test.ts, in a project of its own),
// the SDK under happy-dom with only the network stubbed, and the API contract
// (the generated OpenAPI document) under Node.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

// Each workerd keeps its D1 (SQLite), R2 and queue state in a fresh directory under
// os.tmpdir(), removed after the run. On a RAM disk a fold's commit skips the disk's
// fsync: the same D1, a third less time in the fuzz battery. Unless TMPDIR is set.
if (!process.env.TMPDIR) {
  try {
    accessSync('/dev/shm', constants.W_OK);
    process.env.TMPDIR = '/dev/shm';
  } catch {
    // no /dev/shm (macOS, Windows): the system's temporary directory
  }
}

/**
 * The worker's runtime: one workerd with the worker, its real D1, Queues and R2
 * bindings, and the CRM receiver. `batchTimeout` is the fold's batch window.
 */
const workerd = (batchTimeout: number) =>
  cloudflareTest(async () => ({
    wrangler: { configPath: `${root}/wrangler.toml` },
    miniflare: {
      bindings: {
        TEST_MIGRATIONS: await readD1Migrations(`${root}/worker/db/migrations`),
        ADMIN_TOKEN: 'test-admin-token',
        // The ad platforms' credentials as Worker secrets (worker/adplatforms/), checked by test/worker/adplatforms-receiver.js.
        BAIDU_OCPC_TOKEN_TEST: 'baidu-test-token',
        TENCENT_ADS_TOKEN_TEST: 'tencent-test-token',
        QIHOO360_SECRET_TEST: 'qihoo-test-secret',
      },
      // The worker's outbound fetch (CRM webhooks) goes to a receiving test
      // worker that checks signatures as a CRM would: no network in tests.
      outboundService: 'crm-receiver',
      queueConsumers: {
        'o2o-ingest': { maxBatchSize: 100, maxBatchTimeout: batchTimeout, maxRetries: 10, deadLetterQueue: 'o2o-ingest-dlq', maxConcurrency: 1 },
        'o2o-ingest-dlq': { maxBatchSize: 100, maxBatchTimeout: 0.05 },
      },
      // The receiver's modules: the CRM and robots (the entry), and the ad platforms it hands their hosts to.
      workers: [{
        name: 'crm-receiver', modulesRoot: root, compatibilityDate: '2026-04-01',
        modules: [
          { type: 'ESModule', path: `${root}/test/worker/crm-receiver.js` },
          { type: 'ESModule', path: `${root}/test/worker/adplatforms-receiver.js` },
        ],
      }],
    },
  }));

const workerTest = {
  root,
  setupFiles: ['test/worker/apply-migrations.ts'],
  // Sized from full runs on a 2-core machine beside another suite run: the
  // slowest test without its own timeout took at most 2.4 s, the slowest setup
  // (a beforeAll loading report fixtures) 2.0 s. 20 s also outlasts the
  // ~5 s a test's eventually() waits, so its message shows, not vitest's.
  // Tests that are slow by design (the property tests) carry their own
  // timeout and are sized by their number of runs.
  testTimeout: 20_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    root,
    // At least two files at a time, also on a 2-core machine (vitest's default there
    // is one): the fuzz battery, the longest file by far, runs beside all the others.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        // Named to sort first (vitest queues projects by name): the longest file
        // starts at once and the others share the second worker meanwhile.
        plugins: [
          // The battery sends one request at a time and waits for each fold it checks,
          // so a window only adds its wait to every one of its ~1,000 folds: at 50 ms,
          // the suite's largest cost. It flushes at once here (folds still batch
          // whatever comes in while one runs, as with any window).
          workerd(0),
        ],
        test: { ...workerTest, name: 'fuzz', include: ['test/worker/fuzz.test.ts'] },
      },
      {
        plugins: [
          // The fold's batch window: 2 s in wrangler.toml (fewer, larger folds); a
          // test that posts waits for its fold (helpers.ts), so the tests take 50 ms.
          // Requests sent at once (rollup.test.ts) still fold together.
          workerd(0.05),
        ],
        test: {
          ...workerTest,
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/worker/fuzz.test.ts'],
          // One workerd (and one D1, migrated once) for the files a vitest worker
          // runs in turn, not one started per file (~1.5 s each): every test makes
          // its own sites (helpers.ts createSite) and reads its own sites' rows, and
          // what runs over every site (the crons in the crm and report-retention tests,
          // migration 0007 re-run in scopes.test.ts) changes nothing another file checks.
          isolate: false,
        },
      },
      {
        test: {
          name: 'sdk',
          root,
          environment: 'happy-dom',
          include: ['test/sdk/**/*.test.ts'],
        },
      },
      {
        // The API contract under Node: the real app's generated OpenAPI document.
        test: {
          name: 'contract',
          root,
          environment: 'node',
          include: ['test/contract/**/*.test.ts'],
        },
      },
    ],
  },
});
