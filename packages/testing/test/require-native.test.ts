// CNN_REQUIRE_NATIVE=1 turns a missing native backend from a skipped block into a failure.
// This file runs itself in a child vitest with the addon path pointing nowhere (as
// CNN_NATIVE_ADDON allows), once with and once without the variable, and reads the JSON report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { describeEachBackend } from '../src/index';

interface Report {
  testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

if (process.env.CNN_TESTING_CHILD === '1') {
  describeEachBackend('child', () => {
    it('runs', () => {});
  });
} else {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const out = mkdtempSync(join(tmpdir(), 'cnn-testing-require-native-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  /** The native block's tests in a child run without the addon: [name, status]. */
  const nativeBlock = (requireNative: string): string[][] => {
    const file = join(out, `report-${requireNative || 'unset'}.json`);
    const args = ['run', '--project', '@cnn/testing', 'test/require-native.test.ts', '--reporter=json'];
    spawnSync(process.execPath, [vitest, ...args, `--outputFile=${file}`], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        CNN_TESTING_CHILD: '1',
        CNN_NATIVE_ADDON: join(out, 'missing.node'),
        CNN_REQUIRE_NATIVE: requireNative,
      },
    });
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    return report.testResults
      .flatMap((f) => f.assertionResults)
      .filter((t) => t.fullName.startsWith('child [native]'))
      .map((t) => [t.fullName, t.status]);
  };

  it('without CNN_REQUIRE_NATIVE a missing native backend is a visibly skipped test', () => {
    const [only, ...rest] = nativeBlock('');
    expect(rest).toEqual([]);
    expect(only![0]).toMatch(/^child \[native\] needs the native backend \(not available here: .*missing\.node/);
    expect(only![1]).toBe('skipped');
  });

  it('with CNN_REQUIRE_NATIVE=1 it is a failing test', () => {
    expect(nativeBlock('1')).toEqual([['child [native] needs the native backend (CNN_REQUIRE_NATIVE=1)', 'failed']]);
  });
}
