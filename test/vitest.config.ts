// Three projects: the worker inside workerd against a real local D1 with the real
// migrations, the SDK under happy-dom with only the network stubbed, and the
// API contract (the generated OpenAPI document) under Node.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: `${root}/wrangler.toml` },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(`${root}/worker/db/migrations`),
                ADMIN_TOKEN: 'test-admin-token',
              },
              // The worker's outbound fetch (CRM webhooks) goes to a receiving test
              // worker that checks signatures as a CRM would: no network in tests.
              outboundService: 'crm-receiver',
              // The fold's batch window: 2 s in wrangler.toml (fewer, larger folds); a
              // test that posts waits for its fold (helpers.ts), so the tests take 50 ms.
              queueConsumers: {
                'o2o-ingest': { maxBatchSize: 100, maxBatchTimeout: 0.05, maxRetries: 10, deadLetterQueue: 'o2o-ingest-dlq', maxConcurrency: 1 },
                'o2o-ingest-dlq': { maxBatchSize: 100, maxBatchTimeout: 0.05 },
              },
              workers: [{ name: 'crm-receiver', modules: true, scriptPath: `${root}/test/worker/crm-receiver.js`, compatibilityDate: '2026-04-01' }],
            },
          })),
        ],
        test: {
          name: 'worker',
          root,
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['test/worker/apply-migrations.ts'],
          // Sized from full runs on a 2-core machine beside another suite run: the
          // slowest test without its own timeout took at most 2.4 s, the slowest setup
          // (a beforeAll loading report fixtures) 2.0 s. 20 s also outlasts the
          // ~5 s a test's eventually() waits, so its message shows, not vitest's.
          // Tests that are slow by design (the property tests) carry their own
          // timeout and are sized by their number of runs.
          testTimeout: 20_000,
          hookTimeout: 60_000,
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
