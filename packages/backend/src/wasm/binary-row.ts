import { Add, Multiply, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callStock } from './kernel-call';
import type { SimdKernels } from './simd-exports';
import { heapAddress, simdKernels } from './simd-kernels';

/** Whether `small`'s shape is the innermost part of `big`'s (so `small` repeats along big's rows). */
function isTrailing(big: readonly number[], small: readonly number[]): boolean {
  if (small.length > big.length) return false;
  const offset = big.length - small.length;
  return small.every((size, i) => size === big[offset + i]);
}

/**
 * A float32 tensor combined with one shaped like its innermost dimensions (a bias [C], C >= 4,
 * added to [N, H, W, C]; a mask of the same shape multiplied in) as one SIMD pass; the stock
 * kernel creates an XNNPACK operator on every call, which for a training step's small operands
 * costs more than the arithmetic. Everything else goes to the stock kernel. Addition and
 * multiplication are commutative in IEEE arithmetic, so the order of a and b does not matter.
 */
function rowKernel(
  name: typeof Add | typeof Multiply,
  op: keyof Pick<SimdKernels, 'add_row' | 'multiply_row'>,
): KernelFunc {
  return ((args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: HeapBackend }): TensorInfo => {
    const { inputs, backend } = args;
    const { a, b } = inputs;
    const simd = a.dtype === 'float32' && b.dtype === 'float32' ? simdKernels(backend) : undefined;
    const [big, row] = isTrailing(a.shape, b.shape) ? [a, b] : [b, a];
    const cols = util.sizeFromShape(row.shape);
    // A scalar or a row shorter than one SIMD vector is the stock kernel's (it splats scalars).
    if (simd === undefined || !isTrailing(big.shape, row.shape) || cols < 4) return callStock(backend, name, { a, b });
    const size = util.sizeFromShape(big.shape);
    const out = backend.makeOutput([...big.shape], 'float32');
    if (size > 0) {
      simd[op](heapAddress(backend, big), heapAddress(backend, row), heapAddress(backend, out), size / cols, cols);
    }
    return out;
  }) as unknown as KernelFunc;
}

export const addConfig: KernelConfig = { kernelName: Add, backendName: 'wasm', kernelFunc: rowKernel(Add, 'add_row') };

export const multiplyConfig: KernelConfig = {
  kernelName: Multiply,
  backendName: 'wasm',
  kernelFunc: rowKernel(Multiply, 'multiply_row'),
};
