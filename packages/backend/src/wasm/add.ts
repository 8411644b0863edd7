import { Add, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callStock } from './kernel-call';
import { heapAddress, simdKernels } from './simd-kernels';

/** Whether `small`'s shape is the innermost part of `big`'s (so `small` repeats along big's rows). */
function isTrailing(big: readonly number[], small: readonly number[]): boolean {
  if (small.length > big.length) return false;
  const offset = big.length - small.length;
  return small.every((size, i) => size === big[offset + i]);
}

/**
 * Add on the wasm backend. A float32 tensor plus one shaped like its innermost dimensions (a
 * bias [C], C >= 4, added to [N, H, W, C], or two tensors of one shape) runs as one SIMD pass
 * (`add_row`); the stock kernel creates an XNNPACK operator on every call, which for a training
 * step's small bias additions costs more than the addition. Everything else goes to the stock
 * kernel. Addition is commutative in IEEE arithmetic, so the order of a and b does not matter.
 */
function add(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: HeapBackend }): TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  const simd = a.dtype === 'float32' && b.dtype === 'float32' ? simdKernels(backend) : undefined;
  const [big, row] = isTrailing(a.shape, b.shape) ? [a, b] : [b, a];
  const cols = util.sizeFromShape(row.shape);
  // A scalar or a row shorter than one SIMD vector is the stock kernel's (it splats scalars).
  if (simd === undefined || !isTrailing(big.shape, row.shape) || cols < 4) return callStock(backend, Add, { a, b });
  const size = util.sizeFromShape(big.shape);
  const out = backend.makeOutput([...big.shape], 'float32');
  if (size > 0) {
    simd.add_row(heapAddress(backend, big), heapAddress(backend, row), heapAddress(backend, out), size / cols, cols);
  }
  return out;
}

export const addConfig: KernelConfig = {
  kernelName: Add,
  backendName: 'wasm',
  kernelFunc: add as unknown as KernelFunc,
};
