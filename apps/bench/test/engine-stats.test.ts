import { describe, expect, it } from 'vitest';
import { countersSince, type EngineSnapshot, engineSnapshot, formatEngineCounters } from '../src/engine-stats';

describe('native engine counters', () => {
  it('diffs two snapshots: only kernels that fell back in between, pool outputs in between', () => {
    const before = { fallbacks: { Cast: 3, Tile: 1 }, pool: { reused: 10, allocated: 5 } };
    const after = { fallbacks: { Cast: 3, Tile: 4, Pad: 2 }, pool: { reused: 70, allocated: 6 } };
    expect(countersSince(before, after)).toEqual({
      fallbacks: { Tile: 3, Pad: 2 },
      pool: { reused: 60, allocated: 1 },
    });
  });

  it('prints one line per native row, largest count first', () => {
    const rows: ({ model: string; backend: string } & EngineSnapshot)[] = [
      { model: '004', backend: 'native', fallbacks: { Pad: 2, Tile: 3 }, pool: { reused: 60, allocated: 1 } },
      { model: '004', backend: 'pytorch', fallbacks: null, pool: null },
      { model: '002', backend: 'native', fallbacks: {}, pool: null },
    ];
    expect(formatEngineCounters(rows)).toEqual([
      'native 004: cpu fallbacks: Tile 3, Pad 2; buffer pool: 60 reused, 1 allocated',
      'native 002: cpu fallbacks: none',
    ]);
  });

  it('gives identical epoch repeats one line and differing ones a line each', () => {
    const same = { fallbacks: {}, pool: { reused: 159, allocated: 68 } };
    const rows: ({ model: string; backend: string; repeat: number } & EngineSnapshot)[] = [
      { model: '002', backend: 'native', repeat: 1, ...same },
      { model: '002', backend: 'native', repeat: 2, ...same },
      { model: '003', backend: 'native', repeat: 1, fallbacks: { Cast: 1 }, pool: null },
      { model: '003', backend: 'native', repeat: 2, fallbacks: {}, pool: null },
    ];
    expect(formatEngineCounters(rows)).toEqual([
      'native 002 (each of 2 runs): cpu fallbacks: none; buffer pool: 159 reused, 68 allocated',
      'native 003 (run 1): cpu fallbacks: Cast 1',
      'native 003 (run 2): cpu fallbacks: none',
    ]);
  });

  it('reads the counters of this @cnn/backend (cumulative, so never negative)', () => {
    const s = engineSnapshot();
    expect(s.fallbacks).not.toBeNull();
    expect(Object.values(s.fallbacks!).every((n) => n >= 0)).toBe(true);
    expect(s.pool!.reused).toBeGreaterThanOrEqual(0);
  });
});
