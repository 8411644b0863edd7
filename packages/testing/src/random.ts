import { TestingArgumentError } from './errors';

/**
 * mulberry32: a tiny seeded generator of floats in [0, 1). Same seed, same sequence on every
 * platform, so a failing randomised test reproduces. (The same algorithm as `@cnn/layers`'
 * `Generator`, kept separate so tests never move the library's own random state.)
 *
 * Example: `const next = mulberry32(7); next(); // 0.1..`
 */
export function mulberry32(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new TestingArgumentError(`mulberry32: seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator: a seed (a fresh {@link mulberry32}) or an existing `() => number`. */
export type Random = number | (() => number);

function generator(random: Random): () => number {
  return typeof random === 'number' ? mulberry32(random) : random;
}

/**
 * `count` floats uniform in [low, high) (default [-1, 1)).
 *
 * Shape: a flat Float32Array of length `count`; pass `shape.reduce((a, b) => a * b, 1)` for a tensor.
 */
export function randomFloats(count: number, random: Random, low = -1, high = 1): Float32Array {
  if (!Number.isInteger(count) || count < 0) {
    throw new TestingArgumentError(`randomFloats: count must be a whole number >= 0, got ${count}`);
  }
  if (!(high > low)) throw new TestingArgumentError(`randomFloats: need low < high, got [${low}, ${high})`);
  const next = generator(random);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = low + (high - low) * next();
  return out;
}

/** A whole number uniform in [low, high] (both ends included). */
export function randomInt(next: () => number, low: number, high: number): number {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high < low) {
    throw new TestingArgumentError(`randomInt: need whole numbers low <= high, got ${low} and ${high}`);
  }
  return low + Math.floor(next() * (high - low + 1));
}

/** One of `items`, uniformly. */
export function pick<T>(next: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new TestingArgumentError('pick: items is empty');
  return items[Math.floor(next() * items.length)] as T;
}
