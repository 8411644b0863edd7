import { describe, expect, it } from 'vitest';
import { parseRunFlags, RunFlagError, usage } from '../src/index';

const defaults = { epochs: 15, batchSize: 50, testBatchSize: 1000, lr: 3e-4 };

function flagsOf(argv: string[]) {
  const parsed = parseRunFlags(argv, defaults);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.flags;
}

function errorOf(argv: string[]): RunFlagError {
  try {
    parseRunFlags(argv, defaults);
  } catch (err) {
    if (err instanceof RunFlagError) return err;
    throw err;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('parseRunFlags', () => {
  it('takes the recipe defaults when no flag is given', () => {
    const f = flagsOf([]);
    expect(f).toMatchObject({ epochs: 15, batchSize: 50, testBatchSize: 1000, lr: 3e-4, seed: 1 });
    expect(f).toMatchObject({ resume: false, report: true, dryRun: false, limit: undefined, out: undefined });
  });

  it('reads every flag', () => {
    const f = flagsOf(
      '--epochs 2 --batch-size 64 --test-batch-size 500 --lr 0.1 --seed 7 --log-interval 5 --limit 300 --test-limit 200 --backend cpu --data-dir d --out o --resume --no-report --dry-run'.split(
        ' ',
      ),
    );
    expect(f).toEqual({
      epochs: 2,
      batchSize: 64,
      testBatchSize: 500,
      lr: 0.1,
      seed: 7,
      logInterval: 5,
      limit: 300,
      testLimit: 200,
      backend: 'cpu',
      dataDir: 'd',
      out: 'o',
      resume: true,
      report: false,
      dryRun: true,
    });
  });

  it('answers --help and -h', () => {
    expect(parseRunFlags(['--help'], defaults)).toEqual({ help: true });
    expect(parseRunFlags(['-h'], defaults)).toEqual({ help: true });
    expect(usage('basic-cnn', defaults)).toContain('--epochs N             epochs to train (default 15)');
  });

  it('names the flag, the value and what was expected', () => {
    expect(errorOf(['--epochs', '0']).message).toBe("--epochs: expected a whole number >= 1, found '0'");
    expect(errorOf(['--limit', '2.5']).flag).toBe('--limit');
    expect(errorOf(['--lr', '0']).message).toBe("--lr: expected a number > 0, found '0'");
    expect(errorOf(['--seed', 'x']).flag).toBe('--seed');
    expect(errorOf(['--backend', 'gpu']).message).toContain("found 'gpu'");
    expect(errorOf(['--bogus']).flag).toBe('--bogus');
    expect(errorOf(['stray']).message).toMatch(/positional|Unexpected argument/i);
    expect(errorOf(['--out', '']).flag).toBe('--out');
  });
});
