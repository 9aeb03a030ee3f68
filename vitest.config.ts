import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests under src/web are of the browser app's pure logic (no DOM), so they run in Node like the rest.
    exclude: ['node_modules/**', 'dist/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll waits for a browser page or a background job; its default second is too short on a
    // loaded two-core CI machine (a page's lazily loaded catalogue once took longer). A real failure
    // still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    // Browser and database tests print the engine they ran on; keep the output readable.
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
