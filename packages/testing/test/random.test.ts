import { describe, expect, it } from 'vitest';
import { mulberry32, pick, randomFloats, randomInt, TestingArgumentError } from '../src/index';

describe('mulberry32 and the helpers built on it', () => {
  it('produces the reference mulberry32 sequence', () => {
    const next = mulberry32(1);
    expect([next(), next(), next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const other = mulberry32(42);
    expect(other()).toBe(0.6011037519201636);
  });

  it('maps a seed or a generator to floats in [low, high)', () => {
    const a = randomFloats(1000, 7);
    expect(Array.from(a)).toEqual(Array.from(randomFloats(1000, mulberry32(7))));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(a[0]).toBe(Math.fround(mulberry32(7)() * 2 - 1));
    const b = randomFloats(500, 3, 10, 12);
    expect(Math.min(...b)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...b)).toBeLessThan(12);
    expect(Array.from(randomFloats(5, 8))).not.toEqual(Array.from(randomFloats(5, 9)));
  });

  it('draws integers with both ends included, and picks items', () => {
    const next = mulberry32(5);
    const seen = new Set(Array.from({ length: 200 }, () => randomInt(next, 2, 4)));
    expect([...seen].sort()).toEqual([2, 3, 4]);
    expect(['a', 'b', 'c']).toContain(pick(next, ['a', 'b', 'c']));
  });

  it('rejects bad arguments with TestingArgumentError naming them', () => {
    expect(() => mulberry32(1.5)).toThrow(TestingArgumentError);
    expect(() => randomFloats(-1, 1)).toThrow('randomFloats: count must be a whole number >= 0, got -1');
    expect(() => randomFloats(3, 1, 2, 2)).toThrow('randomFloats: need low < high, got [2, 2)');
    expect(() => randomInt(Math.random, 3, 1)).toThrow(/need whole numbers low <= high, got 3 and 1/);
    expect(() => pick(Math.random, [])).toThrow('pick: items is empty');
  });
});
