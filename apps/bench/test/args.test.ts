import { describe, expect, it } from 'vitest';
import { BenchArgsError, DEFAULT_OPTIONS, parseArgs, USAGE } from '../src/args';
import { batchStart } from '../src/measure';
import { checkTargets, formatTable, withRatios } from '../src/table';
import { parseTorchReport, TorchBenchError } from '../src/torch';
import type { ModelResult } from '../src/measure';

describe('parseArgs', () => {
  it('defaults to all five models, every non-cpu backend, 30 steps and 10 000 images at batch 1000', () => {
    const o = parseArgs([]);
    expect(o.models).toEqual(['000', '001', '002', '003', '004']);
    expect(o.backends).toBeUndefined();
    expect(o).toMatchObject({
      steps: 30,
      warmup: 3,
      repeats: 3,
      inferImages: 10_000,
      inferBatch: 1000,
      torch: true,
      record: false,
    });
    expect(o.out).toBeUndefined();
  });

  it('reads the flags the root script passes through', () => {
    const o = parseArgs(['--', '--models', '000,2', '--backend', 'native,wasm', '--steps', '50', '--no-torch']);
    expect(o.models).toEqual(['000', '002']);
    expect(o.backends).toEqual(['native', 'wasm']);
    expect(o.steps).toBe(50);
    expect(o.torch).toBe(false);
  });

  it('takes models by zoo name, and --backends as another spelling of --backend', () => {
    const o = parseArgs(['--models', 'small-cnn,batchnorm-cnn,002', '--backends=cpu']);
    expect(o.models).toEqual(['002', '004']);
    expect(o.backends).toEqual(['cpu']);
  });

  it('asks for help with -h or --help', () => {
    expect(parseArgs(['-h']).help).toBe(true);
    expect(parseArgs(['--', '--help']).help).toBe(true);
    expect(USAGE).toMatch(/-h, --help/);
    expect(USAGE).toMatch(/--backend native,wasm/);
  });

  it('accepts --flag=value and the remaining options', () => {
    const o = parseArgs([
      '--steps=5',
      '--warmup=0',
      '--infer-images=2000',
      '--infer-batch',
      '500',
      '--out',
      'x.json',
      '--record',
      '--seed',
      '7',
      '--repeats',
      '2',
      '--torch-threads',
      '1',
    ]);
    expect(o).toMatchObject({
      steps: 5,
      warmup: 0,
      repeats: 2,
      torchThreads: 1,
      inferImages: 2000,
      inferBatch: 500,
      out: 'x.json',
      record: true,
      seed: 7,
    });
  });

  it('does not let one call change the defaults of the next', () => {
    parseArgs(['--models', '003']);
    expect(parseArgs([]).models).toEqual(DEFAULT_OPTIONS.models);
  });

  it.each([
    [['--models', '007'], /--models: unknown model "007"; expected one of 000 \(basic-cnn\), 001 \(wide-cnn\)/],
    [['--backend', 'native,gpu'], /--backend: unknown backend gpu; expected one of .*native/],
    [['-x'], /Unknown option '-x'/],
    [['--torch', '--no-torch'], /contradict/],
    [['--steps', '0'], /--steps expects an integer ≥ 1, got "0"/],
    [['--repeats', '0'], /--repeats expects an integer ≥ 1, got "0"/],
    [['--steps', '2.5'], /--steps expects an integer ≥ 1, got "2.5"/],
    [['--steps'], /--steps <value>' argument missing/],
    [['--backend', ','], /--backend needs at least one name/],
    [['--fast'], /Unknown option '--fast'/],
    [['native'], /Unexpected argument 'native'/],
    [['--infer-images', '100', '--infer-batch', '1000'], /--infer-batch 1000 is larger than --infer-images 100/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(BenchArgsError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('training windows', () => {
  it('walks consecutive training windows that never run past the set', () => {
    expect([0, 1, 2].map((i) => batchStart(i, 50, 60_000))).toEqual([0, 50, 100]);
    expect(batchStart(1200, 50, 60_000)).toBe(49);
    expect(batchStart(1199, 50, 60_000) + 50).toBeLessThanOrEqual(60_000);
  });
});

const row = (model: string, backend: string, train: number, infer: number): ModelResult => ({
  model,
  backend,
  params: 1,
  batch: 50,
  steps: 30,
  warmup: 3,
  repeats: 1,
  trainSeconds: 1,
  trainSecondsAll: [1],
  trainImgPerSec: train,
  finalLoss: 2.3,
  inferImages: 10_000,
  inferBatch: 1000,
  inferSeconds: 1,
  inferSecondsAll: [1],
  inferImgPerSec: infer,
  leakedTensors: 0,
});

describe('table', () => {
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

  it('formats a Markdown table with thousands separators and ratios', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^\| model \| backend \| batch \| train img\/s \| inference img\/s \|/);
    expect(lines[5]).toMatch(/\| 002 +\| native +\| 50 +\| +4,000 \| +30,000 \| +0\.50× \| +1\.50× \|/);
  });

  it('checks the issue targets', () => {
    const checks = checkTargets(rows);
    expect(checks.find((c) => c.model === '000' && c.backend === 'wasm')).toMatchObject({ met: true, ratio: 0.125 });
    expect(checks.find((c) => c.model === '002' && c.backend === 'native' && c.metric === 'train')).toMatchObject({
      met: true,
    });
    expect(checks.find((c) => c.model === '000' && c.backend === 'native')?.met).toBeNull();
  });
});

describe('parseTorchReport', () => {
  it('maps the script JSON onto rows with backend "pytorch"', () => {
    const text = JSON.stringify({
      torch_version: '1.13.0',
      python: '3.11.2',
      python_executable: '/usr/bin/python3',
      threads: 2,
      mkldnn: true,
      env: {},
      results: [
        {
          model: '002',
          params: 8490,
          batch: 128,
          steps: 30,
          warmup: 3,
          repeats: 2,
          train_seconds: 0.5,
          train_seconds_all: [0.6, 0.5],
          train_img_s: 7680,
          final_loss: 1.4,
          infer_images: 10000,
          infer_batch: 1000,
          infer_seconds: 0.5,
          infer_seconds_all: [0.5, 0.7],
          infer_img_s: 20000,
        },
      ],
    });
    const run = parseTorchReport(`progress\n${text}\n`);
    expect(run.torchVersion).toBe('1.13.0');
    expect(run.results[0]).toMatchObject({
      model: '002',
      backend: 'pytorch',
      trainImgPerSec: 7680,
      inferImgPerSec: 20000,
    });
    expect(run.results[0]!.trainSecondsAll).toEqual([0.6, 0.5]);
  });

  it('rejects output that is not its report', () => {
    expect(() => parseTorchReport('Traceback (most recent call last)')).toThrow(TorchBenchError);
    expect(() => parseTorchReport('{"results": 3}')).toThrow(/no "results" array/);
    expect(() => parseTorchReport('{"results": [{"model": "000"}]}')).toThrow(
      /results\[0\]\.params: expected a number/,
    );
  });
});
