import { type KernelConfig, Sum, util } from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { alloc, f32, sizeOf, withCpuFallback } from './util';

/** Sum over contiguous axes of a float32 tensor (bias gradients, row sums); other cases go to cpu. */
export const sumConfig: KernelConfig = withCpuFallback(Sum, ({ inputs, backend, attrs }) => {
  const x = inputs.x!;
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  if (x.dtype !== 'float32' || sizeOf(x.shape) === 0) return undefined;
  const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1]! + 1)) return undefined;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const outer = sizeOf(x.shape.slice(0, first));
  const reduce = sizeOf(x.shape.slice(first, last + 1));
  const inner = sizeOf(x.shape.slice(last + 1));
  const out = alloc(outer * inner);
  nativeAddon().reduceSum(f32(backend, x), out, outer, reduce, inner);
  const shape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  return backend.makeTensorInfo(shape, 'float32', out);
});
