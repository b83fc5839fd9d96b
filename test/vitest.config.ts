// Two projects: the worker inside workerd against a real local D1 with the real
// migrations, and the SDK under happy-dom with only the network stubbed.
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
            },
          })),
        ],
        test: {
          name: 'worker',
          root,
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['test/worker/apply-migrations.ts'],
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
    ],
  },
});
