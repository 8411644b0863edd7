/**
 * A small seeded generator of floats in [0, 1): a Weyl sequence step followed by a
 * murmur-style 32-bit finaliser. Same seed, same sequence, on every platform.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}

/** Combines a seed and a counter (e.g. the epoch) into a new 32-bit seed. */
export function mixSeed(seed: number, counter: number): number {
  let z = (Math.imul(seed >>> 0, 0x27d4eb2d) ^ Math.imul(counter >>> 0, 0x165667b1)) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d);
  z = Math.imul(z ^ (z >>> 12), 0x297a2d39);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Shuffles `values` in place (Fisher–Yates) with the given generator; returns them. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(values: T, random: () => number): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i]!;
    values[i] = values[j]!;
    values[j] = tmp;
  }
  return values;
}

/** A seeded permutation of `0 .. n - 1`. */
export function permutation(n: number, seed: number): Uint32Array {
  const values = new Uint32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return shuffleInPlace(values, seededRandom(seed));
}
