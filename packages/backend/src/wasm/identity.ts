import { Cast, Identity } from '@tensorflow/tfjs-core';
import type { backend_util, CastAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callStock, type WasmKernelBackend } from './kernel-call';

/** The part of the wasm backend these kernels use: its reference count per buffer. */
interface RefCountedBackend extends WasmKernelBackend {
  incRef(dataId: object): void;
}

/** ...and, for Cast, its heap. */
interface HeapRefBackend extends RefCountedBackend {
  makeOutput(shape: number[], dtype: 'bool'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): backend_util.TypedArray;
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

/**
 * Cast to the dtype the tensor already has (the float32 step mask of ReLU's gradient) shares the
 * buffer like {@link identity}; the stock kernel copies it. Numbers to bool are `x !== 0` (the
 * stock kernel stores the low byte, so -2 became 254); other conversions go to the stock kernel.
 */
function cast(args: { inputs: { x: TensorInfo }; backend: HeapRefBackend; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (attrs.dtype === x.dtype && x.dtype !== 'string') return identity({ inputs, backend });
  if (attrs.dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
    const out = backend.makeOutput([...x.shape], 'bool');
    // Views after the allocation: growing the wasm memory detaches older views.
    const from = backend.typedArrayFromHeap(x);
    const to = backend.typedArrayFromHeap(out);
    for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
    return out;
  }
  return callStock(backend, Cast, { x }, { dtype: attrs.dtype });
}

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
