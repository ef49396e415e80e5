import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // The JSON report lets CI print one plain closing line of counts.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    // Integration tests run real ffmpeg on two cores; keep them from starving each other.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
