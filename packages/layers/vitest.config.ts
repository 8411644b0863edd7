import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@cnn/source'] },
  ssr: { resolve: { conditions: ['@cnn/source'] } },
  test: {
    name: '@cnn/layers',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['../../scripts/vitest-setup.ts'],
  },
});
