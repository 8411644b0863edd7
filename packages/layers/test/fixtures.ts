import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

const FIXTURES = new URL('../../../../shared/fixtures/', import.meta.url);

export type Nested = number | Nested[];

/** Reads `/work/shared/fixtures/<name>.json` (resolved relative to the repo). */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as T;
}

export function t(values: Nested): tf.Tensor {
  return tf.tensor(values as number[], undefined, 'float32');
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| element-wise (the fixture
 * README's tolerances), reporting the worst element when it fails.
 */
export function expectClose(actual: tf.Tensor, expected: Nested | tf.Tensor, rtol = 1e-4, atol = 1e-5): void {
  const exp = expected instanceof tf.Tensor ? expected : t(expected);
  expect(actual.shape).toEqual(exp.shape);
  const a = actual.dataSync();
  const e = exp.dataSync();
  if (!(expected instanceof tf.Tensor)) exp.dispose();
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const diff = Math.abs((a[i] as number) - (e[i] as number));
    const excess = diff - (atol + rtol * Math.abs(e[i] as number));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${worst} is ${a[worst]} but expected ${e[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}
