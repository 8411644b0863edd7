import { describe, expect, it } from 'vitest';
import { BenchArgsError, DEFAULT_OPTIONS, parseArgs, USAGE } from '../src/args';
import { torchArgs } from '../src/torch';

const FILES = { trainImages: 'a', trainLabels: 'b', testImages: 'c', testLabels: 'd' };
import { batchStart } from '../src/measure';

describe('parseArgs', () => {
  it('defaults to all five models, every non-cpu backend, windows of 2 s and 30 steps, 10 000 images at batch 1000', () => {
    const o = parseArgs([]);
    expect(o.models).toEqual(['000', '001', '002', '003', '004']);
    expect(o.backends).toBeUndefined();
    expect(o).toMatchObject({
      steps: 30,
      seconds: 2,
      warmup: 5,
      warmupSeconds: 3,
      epoch: false,
      limit: undefined,
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

  it('--epoch defaults to models 002-004 (000 and 001 take minutes) and takes --limit', () => {
    expect(parseArgs(['--epoch'])).toMatchObject({ epoch: true, models: ['002', '003', '004'], limit: undefined });
    expect(parseArgs(['--epoch', '--models', '000', '--limit', '64'])).toMatchObject({ models: ['000'], limit: 64 });
    expect(parseArgs(['--seconds', '0.5']).seconds).toBe(0.5);
    expect(USAGE).toMatch(/000 and 001 take minutes per epoch/);
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
      '--warmup-seconds=0.5',
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
      warmupSeconds: 0.5,
      repeats: 2,
      torchThreads: 1,
      inferImages: 2000,
      inferBatch: 500,
      out: 'x.json',
      record: true,
      seed: 7,
    });
  });

  it("keeps PyTorch's own thread count unless --torch-threads says otherwise", () => {
    expect(parseArgs([]).torchThreads).toBeUndefined();
    expect(torchArgs({ kind: 'reference' }, FILES, undefined)).not.toContain('--threads');
    expect(torchArgs({ kind: 'reference' }, FILES, 2).slice(1)).toEqual(['--threads', '2', '--reference']);
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
    [['--limit', '100'], /--limit applies to --epoch runs only/],
    [['--epoch', '--limit', '0'], /--limit expects an integer ≥ 1, got "0"/],
    [['--seconds', 'two'], /--seconds expects a number of seconds from 0 to 600, got "two"/],
    [['--seconds=-1'], /--seconds expects a number of seconds from 0 to 600, got "-1"/],
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
