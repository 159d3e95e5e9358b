import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'apps/portal/**'],
        },
      },
      // The portal's component tests run in happy-dom, and its end-to-end test drives Debian's chromium.
      'apps/portal/vitest.config.ts',
    ],
  },
});
