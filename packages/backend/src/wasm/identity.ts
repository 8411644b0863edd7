import { Identity } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callStock, type WasmKernelBackend } from './kernel-call';

/** The part of the wasm backend this kernel uses: its reference count per buffer. */
interface RefCountedBackend extends WasmKernelBackend {
  incRef(dataId: object): void;
}

/**
 * Identity (tf.clone, and the copies the gradient tape keeps of saved tensors) sharing the input's
 * heap buffer, as the cpu backend does, instead of the stock kernel's copy. Tensors are immutable;
 * the one kernel here that writes in place (the optimizer update) only does so to buffers whose
 * reference count is 1, so a shared buffer is never overwritten. Strings go to the stock kernel.
 */
function identity(args: { inputs: { x: TensorInfo }; backend: RefCountedBackend }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return callStock(backend, Identity, { x });
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
