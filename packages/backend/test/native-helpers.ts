// Shared by the native-*.test.ts files: deterministic inputs and cpu-vs-native comparison.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { expect } from 'vitest';
import { nativeStatus, registerNativeBackend } from '../src/index';
import { cpuFallbacks } from '../src/native/kernels/util';

export const status = nativeStatus();
export const available = status.available && registerNativeBackend();
export const skipReason = status.available ? '' : ` (skipped: ${status.reason})`;

/** A small deterministic PRNG (mulberry32) so both backends see identical inputs. */
export function randoms(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export interface Input {
  shape: number[];
  values: Float32Array;
}

export function input(shape: number[], seed: number): Input {
  return {
    shape,
    values: randoms(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  };
}

/** Runs fn on `backend` with fresh tensors of the inputs and returns every output's values. */
export function runOn(backend: string, inputs: Input[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]) {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const out = fn(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, values: t.dataSync().slice() }));
  });
}

/** Calls handed from native kernels to cpu ones, by kernel name, while fn ran. */
export function fallbacksDuring(fn: () => void): Record<string, number> {
  const before = new Map(cpuFallbacks);
  fn();
  const out: Record<string, number> = {};
  for (const [k, n] of cpuFallbacks) if (n !== (before.get(k) ?? 0)) out[k] = n - (before.get(k) ?? 0);
  return out;
}

/**
 * Asserts native and cpu agree (same shapes, values within float32 accumulation error) and that
 * the native run handed no kernel to cpu except the `fallbacks` expected (kernel name: calls).
 */
export function expectSameAsCpu(
  inputs: Input[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  tol = 1e-4,
  fallbacks: Record<string, number> = {},
) {
  const cpu = runOn('cpu', inputs, fn);
  let native: ReturnType<typeof runOn> = [];
  expect(fallbacksDuring(() => (native = runOn('native', inputs, fn)))).toEqual(fallbacks);
  expect(native.length).toBe(cpu.length);
  cpu.forEach((c, i) => {
    const n = native[i]!;
    expect(n.shape).toEqual(c.shape);
    expectClose(n.values, c.values, tol);
  });
}

/** |a - b| <= tol * (1 + |b|) everywhere (NaN only where b is NaN), with the worst element named on failure. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number) {
  expect(a.length).toBe(b.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < b.length; i++) {
    const same = a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])); // also NaN and infinities
    const err = same ? 0 : Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `worst relative error at ${at}: ${a[at]} vs ${b[at]}`).toBeLessThanOrEqual(tol);
}
