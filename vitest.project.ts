import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

type ProjectTest = NonNullable<UserWorkspaceConfig['test']>;

/** A project's own settings: vitest's test options (a name is given separately), plus one switch. */
export interface ProjectOptions extends Omit<ProjectTest, 'name'> {
  /** Run scripts/vitest-setup.ts first: silences tfjs's cpu banner (for projects that compute on cpu). */
  quietTfjs?: boolean;
}

/**
 * The vitest project every package and app defines in its vitest.config.ts (the root config lists
 * them): tests import package sources through the "@cnn/source" export condition, so nothing needs
 * building first; tests live in src/ or test/; a test or hook may take 2 minutes (training tests
 * on a loaded 2-core machine). `options` adds to or replaces any of these.
 */
export function cnnProject(name: string, options: ProjectOptions = {}) {
  const { quietTfjs = false, ...test } = options;
  return defineProject({
    resolve: { conditions: ['@cnn/source'] },
    ssr: { resolve: { conditions: ['@cnn/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      // Relative to the project's root: every package and app is two folders down.
      ...(quietTfjs ? { setupFiles: ['../../scripts/vitest-setup.ts'] } : {}),
      ...test,
    },
  });
}
