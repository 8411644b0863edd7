import { defineConfig } from 'vitest/config';

// One root config; each package and app is a project. Tests import package
// sources through the "@cnn/source" export condition, so no build is needed first.
export default defineConfig({
  resolve: { conditions: ['@cnn/source'] },
  ssr: { resolve: { conditions: ['@cnn/source'] } },
  test: {
    projects: ['packages/*', 'apps/*'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
