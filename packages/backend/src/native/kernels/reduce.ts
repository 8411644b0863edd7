import { type KernelConfig, Mean, Sum, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { nativeAddon } from '../addon';
import { alloc, callAddon, f32, type NativeKernelArgs, sizeOf, withCpuFallback } from './util';

/**
 * Sum (divisor 1) or mean (divisor = reduced count) over contiguous axes of a float32 tensor:
 * bias gradients, row sums, batch-norm moments over [0, 1, 2] of NHWC. Other cases go to cpu.
 */
function reduce(mean: boolean) {
  return ({ inputs, backend, attrs }: NativeKernelArgs): TensorInfo | undefined => {
    const x = inputs.x!;
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32' || sizeOf(x.shape) === 0) return undefined;
    const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1]! + 1)) return undefined;
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    const outer = sizeOf(x.shape.slice(0, first));
    const count = sizeOf(x.shape.slice(first, last + 1));
    const inner = sizeOf(x.shape.slice(last + 1));
    const out = alloc(outer * inner);
    callAddon(mean ? Mean : Sum, { x: x.shape }, () =>
      nativeAddon().reduceSum(f32(backend, x), out, outer, count, inner, mean ? count : 1),
    );
    const shape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    return backend.makeTensorInfo(shape, 'float32', out);
  };
}

export const sumConfig: KernelConfig = withCpuFallback(Sum, reduce(false));
export const meanConfig: KernelConfig = withCpuFallback(Mean, reduce(true));
