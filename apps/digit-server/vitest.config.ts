import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@cnn/source'] },
  ssr: { resolve: { conditions: ['@cnn/source'] } },
  test: {
    name: '@cnn/app-digit-server',
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
  },
});
