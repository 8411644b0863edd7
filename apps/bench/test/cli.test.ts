// The two commands as a user runs them: help exits 0, a bad command line exits 2 naming the problem.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('..', import.meta.url));

function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', script, ...args], {
    cwd: APP,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each([
  ['bench', 'src/main.ts'],
  ['kernels', 'src/kernels/main.ts'],
])('%s', (name, script) => {
  it('prints its flags for -h and for -- --help (as pnpm passes them), exit 0', { timeout: 120_000 }, () => {
    for (const args of [['-h'], ['--', '--help']]) {
      const r = run(script, args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: pnpm /);
      expect(r.stdout).toContain('--backend native,wasm');
      expect(r.stdout).toContain('-h, --help');
    }
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [
      ['--backend', 'native,gpu'],
      /--backend: unknown backend gpu; expected one of tensorflow-gpu, tensorflow, native, wasm, cpu/,
    ],
    [['--models', 'tiny-cnn'], /--models: unknown model .*tiny-cnn.*; expected one of 000 \(basic-cnn\)/],
    ...(name === 'bench'
      ? ([
          [['--limit', '10'], /--limit applies to --epoch runs only/],
          [['--epoch', '--seconds', 'x'], /--seconds expects a number/],
          [['--warmup-seconds', 'soon'], /--warmup-seconds expects a number of seconds from 0 to 600, got "soon"/],
        ] as [string[], RegExp][])
      : []),
  ])(`exits 2 on %j`, { timeout: 120_000 }, (args, message) => {
    const r = run(script, args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${name}: `));
    expect(r.stderr).toMatch(message);
  });
});
