import { describe, expect, it } from 'vitest';
import type { EpochResult } from '../src/epoch';
import { formatEpochTable, summariseEpochs } from '../src/epoch-table';
import type { ModelResult } from '../src/measure';
import { median } from '../src/median';
import { checkTargets, formatTable, withRatios } from '../src/table';

const row = (model: string, backend: string, train: number, infer: number): ModelResult => ({
  model,
  backend,
  params: 1,
  batch: 50,
  warmup: 5,
  repeats: 1,
  trainStepsAll: [40],
  trainSecondsAll: [2],
  trainImgPerSecAll: [train],
  trainImgPerSec: train,
  trainCpuMsPerStep: 12.5,
  finalLoss: 2.3,
  inferBatch: 1000,
  inferImagesAll: [10_000],
  inferSecondsAll: [2],
  inferImgPerSecAll: [infer],
  inferImgPerSec: infer,
  gcMsPerStep: backend === 'pytorch' ? null : 0.25,
  fallbacks: null,
  pool: null,
  leakedTensors: 0,
  loadBefore: 1.5,
  loadAfter: 2.25,
});

describe('step table', () => {
  const rows = withRatios([
    row('002', 'native', 4000, 30_000),
    row('000', 'wasm', 100, 500),
    row('000', 'pytorch', 800, 2000),
    row('002', 'pytorch', 8000, 20_000),
  ]);

  it('puts PyTorch first per model and divides by its throughput', () => {
    expect(rows.map((r) => `${r.model}/${r.backend}`)).toEqual([
      '000/pytorch',
      '000/wasm',
      '002/pytorch',
      '002/native',
    ]);
    expect(rows[1]!.trainRatio).toBeCloseTo(0.125);
    expect(rows[3]!.inferRatio).toBeCloseTo(1.5);
  });

  it('formats a Markdown table with thousands separators, ratios, GC per step and the load', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      /^\| model \| backend \| batch \| train img\/s \| inference img\/s \|.*CPU ms\/step \| GC ms\/step \| load/,
    );
    expect(lines[5]).toMatch(
      /\| 002 +\| native +\| 50 +\| +4,000 \| +30,000 \| +0\.50× \| +1\.50× \| +12\.50 \| +0\.25 \| +1\.5→2\.3 \|/,
    );
    expect(lines[2]).toMatch(/\| 000 +\| pytorch .*\| +— \|/);
  });

  it('checks the issue-12 targets: native ≥ 1× PyTorch, wasm training ≥ 0.3×', () => {
    const checks = checkTargets(rows);
    expect(checks).toHaveLength(15);
    expect(checks.find((c) => c.model === '000' && c.backend === 'wasm')).toMatchObject({ met: false, ratio: 0.125 });
    const native002 = checks.filter((c) => c.model === '002' && c.backend === 'native');
    expect(native002.map((c) => [c.metric, c.met])).toEqual([
      ['train', false],
      ['infer', true],
    ]);
    expect(checks.find((c) => c.model === '004' && c.backend === 'native')?.met).toBeNull();
  });
});

const epoch = (backend: string, repeat: number, total: number, acc: number): EpochResult => ({
  model: '002',
  backend,
  repeat,
  batch: 128,
  testBatch: 128,
  trainImages: 60_000,
  testImages: 10_000,
  steps: 469,
  loadSeconds: 0.5,
  trainSeconds: total - 1,
  evalSeconds: 0.5,
  totalSeconds: total,
  trainImgPerSec: 60_000 / (total - 1),
  trainCpuSeconds: total * 2,
  trainLoss: 0.5,
  testAccuracy: acc,
  gcMs: null,
  fallbacks: null,
  pool: null,
  leakedTensors: 0,
  loadBefore: repeat,
  loadAfter: repeat + 0.5,
});

describe('epoch summary', () => {
  const summary = summariseEpochs([
    epoch('native', 1, 9, 0.95),
    epoch('pytorch', 1, 4, 0.94),
    epoch('native', 2, 5, 0.96),
    epoch('pytorch', 2, 4, 0.95),
    epoch('native', 3, 7, 0.955),
    epoch('pytorch', 3, 6, 0.945),
  ]);

  it('takes medians over the repeats and divides PyTorch seconds by ours', () => {
    expect(summary.map((s) => s.backend)).toEqual(['pytorch', 'native']);
    expect(summary[1]).toMatchObject({ repeats: 3, totalSeconds: 7, trainSeconds: 6, testAccuracy: 0.955 });
    expect(summary[1]!.totalRatio).toBeCloseTo(4 / 7);
    expect(summary[1]!.trainRatio).toBeCloseTo(3 / 6);
    expect(summary[1]!.loadRange).toEqual([1, 3.5]);
  });

  it('formats seconds, accuracy in percent and the ratios', () => {
    const lines = formatEpochTable(summary).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(
      /\| 002 +\| native +\| 128 +\| +3 \| +0\.50 \| +6\.00 \| +0\.50 \| +7\.00 \| +10,000 \| +14\.0 \| +95\.50% \| +0\.57× \| +0\.50× \| +1\.0–3\.5 \|/,
    );
  });

  it('median: the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});
