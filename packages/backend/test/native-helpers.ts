// Shared by the native-*.test.ts files: seeded inputs and cpu-vs-native comparison
// (|native - cpu| <= tol * (1 + |cpu|), i.e. expectClose with rtol = atol = tol).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { expectClose, randomFloats } from '@cnn/testing';
import { expect } from 'vitest';
import { nativeStatus, registerNativeBackend } from '../src/index';
import { cpuFallbacks } from '../src/native/kernels/util';

export const status = nativeStatus();
export const available = status.available && registerNativeBackend();
export const skipReason = status.available ? '' : ` (skipped: ${status.reason})`;

export interface Input {
  shape: number[];
  values: Float32Array;
}

export function input(shape: number[], seed: number): Input {
  return {
    shape,
    values: randomFloats(tf.util.sizeFromShape(shape), seed),
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
    expectClose(n.values, c.values, { rtol: tol, atol: tol, what: `output ${i}` });
  });
}

/** Every broadcasting binary op the native backend runs, applied to one pair (division kept away from 0). */
export function binaryOps(a: tf.Tensor, b: tf.Tensor): tf.Tensor[] {
  return [
    tf.add(a, b),
    tf.sub(a, b),
    tf.mul(a, b),
    tf.div(a, tf.add(tf.abs(b), 0.5)),
    tf.squaredDifference(a, b),
    tf.maximum(a, b),
    tf.minimum(a, b),
  ];
}
