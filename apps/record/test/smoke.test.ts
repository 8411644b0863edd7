// CI smoke test: the record recipe's model has the parameters it states, and the app trains two
// short epochs on augmented digits in a child process and leaves a complete run directory
// (batches of 64, as in the fast app's test: 10 steps of 256 leave the batch-norm statistics too rough).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectRunDir, runAppChild } from '@cnn/runner';
import { countParameters, recordCnn } from '@cnn/zoo';
import { afterAll, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'record-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

it('builds the model the recipe describes', () => {
  const model = recordCnn.build();
  expect(countParameters(model)).toBe(recordCnn.params);
  expect(recordCnn.params).toBe(104_938);
  model.dispose();
});

// A generous limit: on the shared 2-core machine at load 16 this took 90 s.
it('trains two short epochs and writes the run directory', { timeout: 300_000 }, async () => {
  const run = await runAppChild(appDir, [
    '--limit',
    '1280',
    '--batch-size',
    '64',
    '--epochs',
    '2',
    '--log-interval',
    '20',
    '--test-limit',
    '500',
    '--out',
    out,
  ]);
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^step 20: loss \d\.\d{4}, batch accuracy \d+\.\d% \(augmented digits\)$/m);
  // The recipe prints the test every other epoch.
  expect(run.stdout).not.toMatch(/^epoch 1: test/m);
  expect(run.stdout).toMatch(/^epoch 2: test loss \d\.\d{4}, accuracy \d+\.\d{2}% \(\d+\/500\)$/m);
  expect(run.summary?.epochs).toBe(2);
  expect(run.summary?.testAccuracy).toBeGreaterThan(0.3); // chance is 0.1
  expect(await inspectRunDir(out)).toEqual({ missing: [], modelParameters: recordCnn.params });
});

it('checks everything with --dry-run (one step: no one-cycle schedule to run)', async () => {
  const dry = fs.mkdtempSync(path.join(os.tmpdir(), 'record-dry-'));
  try {
    const run = await runAppChild(appDir, ['--dry-run', '--no-report', '--out', dry]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.summary?.steps).toBe(1);
  } finally {
    fs.rmSync(dry, { recursive: true, force: true });
  }
});

it('rejects a bad flag with exit code 2 and names it', async () => {
  const run = await runAppChild(appDir, ['--lr', 'fast']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--lr');
});
