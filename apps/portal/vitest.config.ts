import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Component tests run in happy-dom; the end-to-end test (e2e/) drives Debian's chromium against a real server.
export default defineConfig({
  plugins: [react()],
  test: {
    name: 'portal',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
    environment: 'happy-dom',
    setupFiles: ['src/test-support/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
