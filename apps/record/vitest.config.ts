import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@cnn/source'] },
  ssr: { resolve: { conditions: ['@cnn/source'] } },
  test: {
    name: '@cnn/app-record',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../scripts/vitest-setup.ts'],
    testTimeout: 120_000,
  },
});
