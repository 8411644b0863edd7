// Epoch mode end to end on a tiny run: the embedded MNIST cut to 64 images, model 002 on the cpu
// backend (one training step, one test batch), and PyTorch's epoch on the same files when a
// Python with torch is here. Checks the plumbing and the counts, never the times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { findTorchPython } from '../src/torch';

const APP = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cnn-bench-epoch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('--epoch --limit 64 times one epoch per side and reports counts and accuracies', { timeout: 240_000 }, () => {
  const out = join(dir, 'epoch.json');
  const args = ['--epoch', '--limit', '64', '--models', '002', '--backend', 'cpu', '--repeats', '1'];
  args.push('--torch-threads', '1', '--out', out);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', 'src/main.ts', ...args], {
    cwd: APP,
    encoding: 'utf8',
    timeout: 230_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  expect(report.errors).toEqual([]);
  const torch = findTorchPython() !== null;
  expect(report.epochs.map((e: { backend: string }) => e.backend)).toEqual(torch ? ['pytorch', 'cpu'] : ['cpu']);
  for (const e of report.epochs) {
    expect(e).toMatchObject({ model: '002', repeat: 1, batch: 128, testBatch: 128, trainImages: 64, testImages: 64 });
    expect(e.steps).toBe(1);
    expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(e.testAccuracy).toBeLessThanOrEqual(1);
    expect(Number.isFinite(e.trainLoss)).toBe(true);
    expect(e.totalSeconds).toBeCloseTo(e.loadSeconds + e.trainSeconds + e.evalSeconds, 6);
  }
  const own = report.epochs.find((e: { backend: string }) => e.backend === 'cpu');
  expect(own.leakedTensors).toBe(0);
  expect(report.project).toEqual([expect.objectContaining({ backend: 'cpu', library: null })]);
  expect(r.stdout).toMatch(/\| 002 +\| cpu +\| 128 +\| +1 \|/);
  if (torch) {
    expect(report.reference.threads).toBe(1);
    expect(report.summary[1].totalRatio).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^PyTorch \S+: 1 threads/m);
  }
});
