import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['graph-nodes/**/*.test.ts', 'workers/**/*.test.ts', 'tests/unit/**/*.test.ts', 'cli/**/*.test.ts', 'server/**/*.test.ts'],
    setupFiles: ['tests/unit/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
