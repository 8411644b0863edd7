// Ctrl-C during a run: the bench keeps the rows that finished. Model 002 takes one cpu step;
// 000 on cpu takes minutes per step, so the SIGINT always lands while 000 runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cnn-bench-sigint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('on SIGINT prints the table and writes the JSON of the finished rows, then exits 130', {
  timeout: 240_000,
}, async () => {
  const out = join(dir, 'bench.json');
  const args = [
    '--models',
    '002,000',
    '--backend',
    'cpu',
    '--no-torch',
    '--steps',
    '1',
    '--seconds',
    '0',
    '--warmup',
    '0',
    '--warmup-seconds',
    '0',
  ];
  args.push('--repeats', '1', '--infer-images', '100', '--infer-batch', '100', '--out', out);
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', 'src/main.ts', ...args], {
    cwd: APP,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    // the worker announces each model as it starts: 000 starting means 002's row is in
    if (!sent && stderr.includes('[cpu] 000 ...')) {
      sent = true;
      child.kill('SIGINT'); // the parent only, as `kill -INT <pid>` would
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  expect(sent, stderr).toBe(true);
  expect(code, stderr).toBe(130);
  expect(stderr).toContain('bench: interrupted');
  expect(stdout).toMatch(/\| 002 +\| cpu +\| 128 +\|/);
  expect(stdout).not.toMatch(/\| 000 /);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  expect(report.interrupted).toBe(true);
  expect(report.errors).toEqual([]);
  expect(report.rows).toHaveLength(1);
  expect(report.rows[0]).toMatchObject({
    model: '002',
    backend: 'cpu',
    batch: 128,
    trainStepsAll: [1],
    leakedTensors: 0,
  });
  expect(report.rows[0].trainImgPerSec).toBeGreaterThan(0);
  expect(Number.isFinite(report.rows[0].finalLoss)).toBe(true);
});
