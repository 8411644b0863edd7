import { Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callStock } from './kernel-call';
import { heapAddress, simdKernels } from './simd-kernels';

/**
 * Whether summing `shape` over `axes` keeps only the innermost axis, with the axes listed in
 * order (a bias gradient: [N, H, W, C] summed over N, H and W). The stock kernel sums the reduced
 * axes in the order listed, so only this order gives its result when the rows are summed in turn.
 */
function keepsOnlyInnermost(shape: readonly number[], axes: readonly number[]): boolean {
  const rank = shape.length;
  return rank >= 2 && axes.length === rank - 1 && axes.every((axis, i) => axis === i);
}

/**
 * Without the SIMD kernels: from this many elements on, the JavaScript pass below beats the stock
 * transpose + sum, whose transpose of a tensor this big misses the cache (measured in one process:
 * [50, 28, 28, 150] 13.8 vs 25.5 ms, [50, 28, 28, 32] 3.1 vs 3.3 ms); below it the stock kernel is
 * as fast or faster.
 */
const MIN_SIZE = 1 << 20;

/**
 * Sum over every axis but the innermost (a layer's bias gradient) in one pass over the wasm heap:
 * in the SIMD kernels when they are available, else in JavaScript for big inputs only. The rows
 * of the [R, C] view are added into the output in order, in float32, so the result is the one the
 * stock kernel gives after it transposes the reduced axes innermost and sums them in order. Every
 * other reduction (and int32 or bool input) goes to the stock kernel.
 */
function sum(args: { inputs: { x: TensorInfo }; backend: HeapBackend; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const axes = util.parseAxisParam(attrs.axis, x.shape);
  const simd = simdKernels(backend);
  const faster = simd !== undefined || util.sizeFromShape(x.shape) >= MIN_SIZE;
  if (x.dtype !== 'float32' || !faster || !keepsOnlyInnermost(x.shape, axes)) {
    return callStock(backend, Sum, { x }, { axis: attrs.axis, keepDims: attrs.keepDims });
  }
  const channels = x.shape[x.shape.length - 1] as number;
  const rows = util.sizeFromShape(x.shape) / channels;
  const shape = attrs.keepDims ? [...new Array<number>(x.shape.length - 1).fill(1), channels] : [channels];
  const out = backend.makeOutput(shape, 'float32');
  if (simd !== undefined) {
    simd.sum_rows(heapAddress(backend, x), heapAddress(backend, out), rows, channels);
    return out;
  }
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
