import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@cnn/source'] },
  ssr: { resolve: { conditions: ['@cnn/source'] } },
  test: { name: '@cnn/kernels', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
