import { Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callStock } from './kernel-call';

/**
 * Whether summing `shape` over `axes` keeps only the innermost axis (a bias gradient: [N, H, W, C]
 * summed over N, H and W).
 */
function keepsOnlyInnermost(shape: readonly number[], axes: readonly number[]): boolean {
  const rank = shape.length;
  if (rank < 2 || axes.length !== rank - 1) return false;
  const sorted = [...axes].sort((p, q) => p - q);
  return sorted.every((axis, i) => axis === i);
}

/**
 * From this many elements on, the one pass below beats the stock transpose + sum, whose transpose
 * of a tensor this big misses the cache (measured in one process: [50, 28, 28, 150] 13.8 vs
 * 25.5 ms, [50, 28, 28, 32] 3.1 vs 3.3 ms); below it the stock kernel is as fast or faster.
 */
const MIN_SIZE = 1 << 20;

/**
 * Sum over every axis but the innermost, for big inputs (a wide layer's bias gradient), in one
 * pass over the wasm heap: the rows of the [R, C] view are added into the output in order, in
 * float32 (the output view rounds each addition), so the result is the one the stock kernel gives
 * after it transposes the reduced axes innermost and sums them in order. Every other reduction
 * (and small, int32 or bool input) goes to the stock kernel.
 */
function sum(args: { inputs: { x: TensorInfo }; backend: HeapBackend; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const axes = util.parseAxisParam(attrs.axis, x.shape);
  if (x.dtype !== 'float32' || util.sizeFromShape(x.shape) < MIN_SIZE || !keepsOnlyInnermost(x.shape, axes)) {
    return callStock(backend, Sum, { x }, { axis: attrs.axis, keepDims: attrs.keepDims });
  }
  const channels = x.shape[x.shape.length - 1] as number;
  const rows = util.sizeFromShape(x.shape) / channels;
  const shape = attrs.keepDims ? [...new Array<number>(x.shape.length - 1).fill(1), channels] : [channels];
  const out = backend.makeOutput(shape, 'float32');
  // Views after the allocation: growing the wasm memory detaches older views.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const acc = backend.typedArrayFromHeap(out) as Float32Array;
  acc.fill(0);
  let i = 0;
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < channels; d++, i++) acc[d] = (acc[d] as number) + (src[i] as number);
  }
  return out;
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
