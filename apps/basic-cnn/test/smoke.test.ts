// CI smoke test: the app trains on a few images for one epoch in a child process and leaves a
// complete run directory (summary.json, metrics log, checkpoint, model, report).
// The tutorial's lr 3e-4 learns too slowly to beat chance clearly in 40 steps, so this run passes
// --lr 0.1 (which also checks that the flag reaches the optimizer).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectRunDir, runAppChild } from '@cnn/runner';
import { recipe } from '@cnn/zoo';
import { afterAll, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'basic-cnn-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

it('trains one short epoch and writes the run directory', { timeout: 120_000 }, async () => {
  const run = await runAppChild(appDir, [
    '--limit',
    '2000',
    '--epochs',
    '1',
    '--lr',
    '0.1',
    '--log-interval',
    '10',
    '--test-limit',
    '500',
    '--out',
    out,
  ]);
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Train Step: 0\tLoss: \d\.\d{3}$/m);
  expect(run.stdout).toMatch(/^Test set: Accuracy: \d+\.\d{2}%$/m);
  expect(run.summary?.epochs).toBe(1);
  expect(run.summary?.total).toBe(500);
  expect(run.summary?.testAccuracy).toBeGreaterThan(0.3); // chance is 0.1
  expect(await inspectRunDir(out)).toEqual({ missing: [], modelParameters: recipe('basic-cnn').params });
});

it('rejects a bad flag with exit code 2 and names it', async () => {
  const run = await runAppChild(appDir, ['--batch-size', '0']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--batch-size: expected a whole number >= 1, found '0'");
});
