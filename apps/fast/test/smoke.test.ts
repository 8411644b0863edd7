// CI smoke test of the main job: the fast recipe's model has the parameters its recipe states,
// and the app trains on a few images in a child process and leaves a complete run directory
// (in batches of 64: 10 steps of 256 leave the batch-norm running statistics too rough to test with).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectRunDir, runAppChild } from '@cnn/runner';
import { countParameters, fastCnn } from '@cnn/zoo';
import { afterAll, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

it('builds the model the recipe describes', () => {
  const model = fastCnn.build();
  expect(countParameters(model)).toBe(fastCnn.params);
  expect(fastCnn.params).toBe(17_882);
  model.dispose();
});

it('trains one short epoch and writes the run directory', async () => {
  const run = await runAppChild(appDir, [
    '--limit',
    '2560',
    '--batch-size',
    '64',
    '--epochs',
    '1',
    '--test-limit',
    '500',
    '--out',
    out,
  ]);
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^epoch 1: test loss \d\.\d{4}, accuracy \d+\.\d{2}% \(\d+\/500\)$/m);
  expect(run.summary?.epochs).toBe(1);
  expect(run.summary?.testAccuracy).toBeGreaterThan(0.3); // chance is 0.1
  expect(await inspectRunDir(out)).toEqual({ missing: [], modelParameters: fastCnn.params });
});

it('lists the other apps in --help', async () => {
  const run = await runAppChild(appDir, ['--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Trains to 99% test accuracy in 1 epoch on the embedded MNIST.');
  for (const app of [
    'basic-cnn',
    'wide-cnn',
    'small-cnn',
    'sequential-cnn',
    'batchnorm-cnn',
    '--epochs N',
    '--data-dir DIR',
  ])
    expect(run.stdout).toContain(app);
});
