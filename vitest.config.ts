import { defineConfig } from 'vitest/config';

// One root config; each package and app is a project, defined in its vitest.config.ts with
// cnnProject() from vitest.project.ts (which holds what they share: the "@cnn/source" export
// condition, so no build is needed first, and the timeouts).
export default defineConfig({
  resolve: { conditions: ['@cnn/source'] },
  ssr: { resolve: { conditions: ['@cnn/source'] } },
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
